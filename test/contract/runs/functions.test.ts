// Function tools with both SDK majors: requires_action and required_action (docs/openai-behaviour.md §2.5, §6.8),
// parallel calls in one tool_calls step, submitToolOutputsAndPoll, what goes back upstream (assistant
// tool_calls + role:"tool" messages with the same ids, never user text), multi-round tool use,
// submit errors (§4), tool_choice / parallel_tool_calls pass-through, a function without parameters.
import { describe, expect, it } from 'vitest';
import type { FunctionTool } from 'openai/resources/beta/assistants';
import type { Run } from 'openai/resources/beta/threads/runs/runs';
import type { FunctionToolCall } from 'openai/resources/beta/threads/runs/steps';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError, MAJORS, runsApi } from './majors.js';
import { marker, runFixture } from './run-support.js';

const WEATHER: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] },
  },
};
const TIME: FunctionTool = { type: 'function', function: { name: 'get_time' } }; // no parameters
const STOCK: FunctionTool = { type: 'function', function: { name: 'get_stock', parameters: { type: 'object', properties: { symbol: { type: 'string' } } } } };

const CALL_ID = /^call_[A-Za-z0-9]+$/;
const calls = (run: Run) => run.required_action?.submit_tool_outputs.tool_calls ?? [];
/** Chat Completions allows an assistant tool_calls message with `content: null` or without content. */
const withoutNullContent = (ms: Record<string, unknown>[]) =>
  ms.map((x) => (x.content === null ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'content')) : x));

describe.each(MAJORS)('function tools (SDK %s)', (major) => {
  async function setup(label: string) {
    const fx = await runFixture(`fn-${label}-${major}`, { tools: [WEATHER, TIME, STOCK] });
    const api = runsApi(fx, major);
    const m = marker(`${label}-${major}`);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Weather in Paris? ${m}` }] });
    return { ...fx, api, m, thread };
  }

  it('one call: requires_action with a call_ id, name and exactly reassembled arguments; outputs go back as a role:"tool" message', async () => {
    const { api, assistant, m, thread } = await setup('single');
    const args = '{"city": "Paris", "unit": "celsius", "note": "fragments \\"quoted\\" ünïcödé"}';
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: args }], chunkSize: 3, usage: { prompt_tokens: 10, completion_tokens: 5 } },
      { text: 'It is sunny in Paris.', usage: { prompt_tokens: 20, completion_tokens: 3 } });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('requires_action');
    expect(run.required_action).toEqual({
      type: 'submit_tool_outputs',
      submit_tool_outputs: { tool_calls: [{ id: expect.stringMatching(CALL_ID), type: 'function', function: { name: 'get_weather', arguments: args } }] },
    });
    // requires_action expires ten minutes after it starts (docs/openai-behaviour.md §2.5, docs/run-lifecycle.md); usage waits for the end.
    expect(run.expires_at! - Date.now() / 1000).toBeGreaterThan(540);
    expect(run.expires_at! - Date.now() / 1000).toBeLessThan(660);
    expect(run.completed_at).toBeNull();
    expect(run.usage).toBeNull();
    expect(run.tools).toEqual([WEATHER, TIME, STOCK]);
    const callId = calls(run)[0]!.id;

    // The tool step waits, in progress, with output null.
    const waiting = await api.listSteps(thread.id, run.id);
    expect(waiting.data).toHaveLength(1);
    expect(waiting.data[0]).toMatchObject({
      type: 'tool_calls', status: 'in_progress', completed_at: null, run_id: run.id,
      step_details: { type: 'tool_calls', tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: args, output: null } }] },
    });
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);

    const done = await api.submitAndPoll(thread.id, run.id, { tool_outputs: [{ tool_call_id: callId, output: '{"sky":"sunny"}' }] });
    expect(done).toMatchObject({ id: run.id, status: 'completed', required_action: null, expires_at: null });
    expect(done.usage).toEqual({ prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 });

    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const tools = reqs[0]!.body.tools as { type: string; function: { name: string; parameters?: unknown } }[];
    expect(tools.map((t) => t.function.name)).toEqual(['get_weather', 'get_time', 'get_stock']);
    expect(tools[0]).toEqual({ type: 'function', function: WEATHER.function });
    expect(reqs[0]!.body).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: true });
    const follow = withoutNullContent(reqs[1]!.body.messages);
    expect(follow).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: `Weather in Paris? ${m}` },
      { role: 'assistant', tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: args } }] },
      { role: 'tool', tool_call_id: callId, content: '{"sky":"sunny"}' },
    ]);
    expect(follow.filter((x) => x.role === 'user')).toHaveLength(1);

    // Steps afterwards (newest first): the reply's message step, then the tool step with its output.
    const steps = await api.listSteps(thread.id, run.id);
    expect(steps.data.map((s) => [s.type, s.status])).toEqual([['message_creation', 'completed'], ['tool_calls', 'completed']]);
    const toolStep = steps.data[1]!;
    expect(toolStep.completed_at).toEqual(expect.any(Number));
    expect(toolStep.step_details).toEqual({
      type: 'tool_calls',
      tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: args, output: '{"sky":"sunny"}' } }],
    });
    expect(await api.retrieveStep(thread.id, run.id, toolStep.id)).toEqual(toolStep);
    const reply = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(reply).toHaveLength(1);
    expect(reply[0]!.content).toEqual([{ type: 'text', text: { value: 'It is sunny in Paris.', annotations: [] } }]);
    expectNoContractViolations();
  });

  it('parallel calls: three calls in ONE tool_calls step, unique ids, outputs matched by id in any order', async () => {
    const { api, assistant, m, thread } = await setup('parallel');
    const script = [
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      { name: 'get_stock', arguments: '{"symbol":"ACME"}' },
    ];
    await pushScripts(m, { toolCalls: script, chunkSize: 4 }, { text: 'Done.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('requires_action');
    const tc = calls(run);
    expect(tc.map((c) => [c.function.name, c.function.arguments])).toEqual(script.map((s) => [s.name, s.arguments]));
    expect(tc.every((c) => CALL_ID.test(c.id) && c.type === 'function')).toBe(true);
    expect(new Set(tc.map((c) => c.id)).size).toBe(3);
    const steps = await api.listSteps(thread.id, run.id);
    expect(steps.data).toHaveLength(1);
    expect((steps.data[0]!.step_details as { tool_calls: FunctionToolCall[] }).tool_calls.map((c) => c.id)).toEqual(tc.map((c) => c.id));

    const outputs = tc.map((c, i) => ({ tool_call_id: c.id, output: `out-${i}` })).reverse();
    const done = await api.submitAndPoll(thread.id, run.id, { tool_outputs: outputs });
    expect(done.status).toBe('completed');
    const follow = (await upstreamRequests(m))[1]!.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string; content?: unknown }[];
    const assistantTurn = follow.filter((x) => x.role === 'assistant');
    expect(assistantTurn).toHaveLength(1);
    expect(assistantTurn[0]!.tool_calls!.map((c) => c.id)).toEqual(tc.map((c) => c.id));
    expect(follow.filter((x) => x.role === 'tool').map((x) => [x.tool_call_id, x.content])).toEqual(tc.map((c, i) => [c.id, `out-${i}`]));
    expect(follow.at(-4)!.role).toBe('assistant');
    const step = (await api.listSteps(thread.id, run.id, { order: 'asc' })).data[0]!;
    expect((step.step_details as { tool_calls: FunctionToolCall[] }).tool_calls.map((c) => c.function.output)).toEqual(['out-0', 'out-1', 'out-2']);
  });

  it('multi-round: tool → tool → text; each round has its own step and call id, history carries both rounds', async () => {
    const { api, assistant, m, thread } = await setup('rounds');
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], usage: { prompt_tokens: 5, completion_tokens: 1 } },
      { toolCalls: [{ name: 'get_time', arguments: '{}' }], usage: { prompt_tokens: 7, completion_tokens: 2 } },
      { text: 'Cold, and it is noon.', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const r1 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(r1.status).toBe('requires_action');
    const a = calls(r1)[0]!;
    const r2 = await api.submitAndPoll(thread.id, r1.id, { tool_outputs: [{ tool_call_id: a.id, output: '-5C' }] });
    expect(r2.status).toBe('requires_action');
    const b = calls(r2)[0]!;
    expect(b.function.name).toBe('get_time');
    expect(b.id).not.toBe(a.id);
    const r3 = await api.submitAndPoll(thread.id, r1.id, { tool_outputs: [{ tool_call_id: b.id, output: '12:00' }] });
    expect(r3.status).toBe('completed');
    expect(r3.usage).toEqual({ prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 });
    expect([r2.started_at, r3.started_at]).toEqual([r1.started_at, r1.started_at]);
    expect([r2.id, r3.id]).toEqual([r1.id, r1.id]);

    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(3);
    const last = (reqs[2]!.body.messages as { role: string; tool_calls?: { id: string }[]; tool_call_id?: string; content?: unknown }[]).slice(2);
    expect(last.map((x) => [x.role, x.tool_calls?.[0]?.id ?? x.tool_call_id, x.role === 'tool' ? x.content : undefined])).toEqual([
      ['assistant', a.id, undefined], ['tool', a.id, '-5C'], ['assistant', b.id, undefined], ['tool', b.id, '12:00'],
    ]);
    const steps = await api.listSteps(thread.id, r1.id, { order: 'asc' });
    expect(steps.data.map((s) => [s.type, s.status])).toEqual([['tool_calls', 'completed'], ['tool_calls', 'completed'], ['message_creation', 'completed']]);
    expect(steps.data.map((s) => s.usage?.total_tokens)).toEqual([6, 9, 13]);
  });

  it('submit errors: a missing id, a duplicate id, an unknown id (400); then outputs to a completed run (400)', async () => {
    const { api, assistant, m, thread } = await setup('errors');
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: '{"city":"A"}' }, { name: 'get_weather', arguments: '{"city":"B"}' }] }, { text: 'ok' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    const [a, b] = calls(run).map((c) => c.id) as [string, string];
    await expectApiError(api.submit(thread.id, run.id, { tool_outputs: [{ tool_call_id: a, output: 'x' }] }), 400,
      `Expected tool outputs for call_ids ['${a}', '${b}'], got ['${a}']`);
    await expectApiError(api.submit(thread.id, run.id, { tool_outputs: [{ tool_call_id: a, output: 'x' }, { tool_call_id: a, output: 'y' }] }), 400,
      /^Expected tool outputs for call_ids|[Dd]uplicate/);
    await expectApiError(api.submit(thread.id, run.id, { tool_outputs: [{ tool_call_id: a, output: 'x' }, { tool_call_id: 'call_NoSuchCall00000000000000', output: 'y' }] }), 400,
      /^Expected tool outputs for call_ids|call_NoSuchCall/);
    // The failed attempts changed nothing.
    expect((await api.retrieve(thread.id, run.id)).status).toBe('requires_action');
    const done = await api.submitAndPoll(thread.id, run.id, { tool_outputs: [{ tool_call_id: b, output: '2' }, { tool_call_id: a, output: '1' }] });
    expect(done.status).toBe('completed');
    await expectApiError(api.submit(thread.id, run.id, { tool_outputs: [{ tool_call_id: a, output: 'again' }] }), 400,
      'Runs in status "completed" do not accept tool outputs.');
  });

  it.each([
    ['none', 'none'],
    ['required', 'required'],
    ['named function', { type: 'function', function: { name: 'get_stock' } }],
  ] as const)('tool_choice %s is stored on the run and passed upstream', async (_label, choice) => {
    const { api, assistant, m, thread } = await setup(`choice-${_label.replace(' ', '-')}`);
    await pushScripts(m, { text: 'plain answer' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, tool_choice: choice });
    expect(run).toMatchObject({ status: 'completed', tool_choice: choice, parallel_tool_calls: true });
    const [req] = await upstreamRequests(m);
    expect(req!.body.tool_choice).toEqual(choice);
  });

  it('parallel_tool_calls=false is stored on the run and passed upstream', async () => {
    const { api, assistant, m, thread } = await setup('noparallel');
    await pushScripts(m, { text: 'one at a time' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, parallel_tool_calls: false });
    expect(run).toMatchObject({ status: 'completed', parallel_tool_calls: false, tool_choice: 'auto' });
    expect((await upstreamRequests(m))[0]!.body.parallel_tool_calls).toBe(false);
  });

  it('a function tool without parameters: upstream gets a parameters object, and the call round-trips', async () => {
    const { api, assistant, m, thread } = await setup('noparams');
    await pushScripts(m, { toolCalls: [{ name: 'get_time', arguments: '{}' }] }, { text: 'It is noon.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, tools: [TIME] });
    expect(run.status).toBe('requires_action');
    expect(run.tools).toEqual([TIME]);
    const [first] = await upstreamRequests(m);
    expect(first!.body.tools).toHaveLength(1);
    expect(first!.body.tools[0].function.name).toBe('get_time');
    expect(first!.body.tools[0].function.parameters).toEqual(expect.objectContaining({ type: 'object' }));
    const done = await api.submitAndPoll(thread.id, run.id, { tool_outputs: [{ tool_call_id: calls(run)[0]!.id, output: '12:00' }] });
    expect(done.status).toBe('completed');
  });
});
