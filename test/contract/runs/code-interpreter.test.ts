import { describe, expect, it } from 'vitest';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { marker, runFixture } from './run-support.js';

describe('code_interpreter in runs (smoke)', () => {
  it('runs pandas code in the thread sandbox and feeds the output back', async () => {
    const { v6 } = await runFixture('ci-smoke', { tools: [{ type: 'code_interpreter' }] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('ci');
    await pushScripts(
      m,
      { toolCalls: [{ name: 'python', arguments: JSON.stringify({ code: 'import pandas as pd\ndf = pd.DataFrame({"x": [1, 2, 3]})\nprint(df.x.sum())' }) }] },
      { text: 'The sum is 6.' },
    );
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `sum it ${m}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const steps = await v6.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    const call = (steps.data.find((s) => s.type === 'tool_calls')!.step_details as { tool_calls: any[] }).tool_calls[0];
    expect(call.type).toBe('code_interpreter');
    expect(call.code_interpreter.input).toContain('pd.DataFrame');
    expect(call.code_interpreter.outputs[0]).toMatchObject({ type: 'logs' });
    expect(call.code_interpreter.outputs[0].logs).toContain('6');
    const reqs = await upstreamRequests(m);
    const tool = reqs[1]!.body.messages.find((x: { role: string }) => x.role === 'tool');
    expect(tool.content).toContain('6');
  });
});
