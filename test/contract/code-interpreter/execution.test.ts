// code_interpreter executions through both SDK majors: a pandas computation whose output reaches the
// run step and the model, code that raises, code that runs past the time limit (5 s in the contract
// setup), and variables that persist between runs of one thread (one sandbox session per thread).
import { describe, expect, it } from 'vitest';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { ciCallOf, ciSetup, expectCompleted, logsOf, MAJORS, marker, python, textOf, toolMessagesSent } from './ci-support.js';

describe.each(MAJORS)('code_interpreter executions (SDK %s)', (major) => {
  it('computes with pandas: the exact code as input, the printed number in the logs and in the tool message', async () => {
    const { api, assistant, m } = await ciSetup('pandas', major);
    const code = [
      'import pandas as pd',
      "df = pd.DataFrame({'price': [12.5, 7.25, 30.0], 'qty': [4, 10, 2]})",
      'revenue = (df.price * df.qty).sum()',
      "print(f'revenue={revenue}')",
    ].join('\n');
    await pushScripts(m, python(code), { text: 'Revenue is 182.5.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `What is the revenue? ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run);

    const call = await ciCallOf(api, run);
    expect(call.code_interpreter.input).toBe(code);
    expect(call.code_interpreter.outputs).toEqual([{ type: 'logs', logs: 'revenue=182.5\n' }]);

    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const assistantTurn = reqs[1]!.body.messages.find((x: { role: string; tool_calls?: unknown[] }) => x.role === 'assistant' && x.tool_calls);
    expect(assistantTurn.tool_calls).toHaveLength(1);
    expect(assistantTurn.tool_calls[0].function.name).toBe('python');
    expect(JSON.parse(assistantTurn.tool_calls[0].function.arguments)).toEqual({ code });
    const [first, second] = await toolMessagesSent(m);
    expect(first).toEqual([]);
    expect(second).toHaveLength(1);
    expect(second![0]!.tool_call_id).toBe(assistantTurn.tool_calls[0].id);
    expect(second![0]!.content).toContain('revenue=182.5');

    const messages = await api.listMessages(thread.id, { run_id: run.id });
    expect(messages.data).toHaveLength(1);
    expect(textOf(messages.data[0]!).value).toBe('Revenue is 182.5.');
  });

  it('code that raises: the run completes, the traceback is in the logs and in what the model read', async () => {
    const { api, assistant, m } = await ciSetup('raise', major);
    const code = "print('before the error')\ntotal = 10\nratio = total / 0\nprint('never printed')";
    await pushScripts(m, python(code), { text: 'That divides by zero.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Divide it ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run);
    expect(run.last_error).toBeNull();

    const call = await ciCallOf(api, run);
    const logs = logsOf(call);
    expect(logs).toContain('before the error');
    expect(logs).toContain('Traceback (most recent call last)');
    expect(logs).toContain('ZeroDivisionError: division by zero');
    expect(logs).not.toContain('never printed');
    expect(logs.indexOf('before the error')).toBeLessThan(logs.indexOf('Traceback'));

    const tool = (await toolMessagesSent(m))[1]!;
    expect(tool).toHaveLength(1);
    expect(tool[0]!.content).toContain('ZeroDivisionError: division by zero');
    expect(tool[0]!.content).toContain('Traceback');
    const messages = await api.listMessages(thread.id, { run_id: run.id });
    expect(textOf(messages.data[0]!).value).toBe('That divides by zero.');
  });

  it('code past the time limit: stopped, the model is told, the run completes; the next execution gets a fresh interpreter', async () => {
    const { api, assistant, m } = await ciSetup('timeout', major);
    const code = "sentinel = 7\nprint('spinning', flush=True)\nwhile True: pass";
    await pushScripts(m, python(code), { text: 'It ran too long.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Spin ${m}` }] });
    const started = Date.now();
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);

    const call = await ciCallOf(api, run);
    const logs = logsOf(call);
    expect(logs).toContain('spinning');
    expect(logs).toMatch(/timed out/i);
    const tool = (await toolMessagesSent(m))[1]!;
    expect(tool).toHaveLength(1);
    expect(tool[0]!.content).toMatch(/timed out|time limit/i);
    expect(tool[0]!.content).toContain('5 seconds');

    // Same thread, later run: the sandbox works again, in a new interpreter (sentinel is gone).
    const m2 = marker(`ci-timeout-2-${major}`);
    await pushScripts(m2, python("print('sentinel' in globals(), 6 * 7)"), { text: 'Back.' });
    await api.createMessage(thread.id, { role: 'user', content: `Again ${m2}` });
    const run2 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run2);
    const logs2 = logsOf(await ciCallOf(api, run2));
    expect(logs2).toContain('False 42');
    expect(logs2).toMatch(/fresh Python interpreter/);
    expect((await toolMessagesSent(m2)).at(-1)![0]!.content).toContain('False 42');
  });

  it('variables and imports persist between two runs of the same thread', async () => {
    const { api, assistant, m } = await ciSetup('persist', major);
    await pushScripts(m, python("import numpy as np\ncounter = 40\narr = np.arange(5)\nprint('stored')"), { text: 'Stored.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Remember ${m}` }] });
    const run1 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run1);
    expect(logsOf(await ciCallOf(api, run1))).toBe('stored\n');

    const m2 = marker(`ci-persist-2-${major}`);
    await pushScripts(m2, python('counter += 2\nprint(counter, int(np.sum(arr)))'), { text: 'Recalled.' });
    await api.createMessage(thread.id, { role: 'user', content: `Recall ${m2}` });
    const run2 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run2);
    expect(logsOf(await ciCallOf(api, run2))).toBe('42 10\n');
    const sent = await toolMessagesSent(m2);
    // Run 2's follow-up request carries both runs' tool results (run 1's as history).
    expect(sent.at(-1)!.map((t) => t.content)).toContain('42 10');
  });
});
