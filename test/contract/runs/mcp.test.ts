// MCP servers as tools of assistants and runs (extension, docs/mcp-assistants.md), through the official
// SDK against the local MCP server (test/support/mcp-server.ts) and the scripted model upstream. Every
// body and stream event is validated against the Assistants document plus exactly the `mcp` extension
// (src/http/openapi/mcp-extensions.ts).
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { expectNoStreamErrors } from '../../support/clients.js';
import { MCP_AUTH_TOKEN, MCP_HEADER_KEY, startMcpServer } from '../../support/mcp-server.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { MAJORS, runsApi } from './majors.js';
import { marker, runFixture } from './run-support.js';

const server = () => `${inject('mcpServerUrl')}/mcp`;
const mcpTool = (extra: Record<string, unknown> = {}) => ({ type: 'mcp', server_label: 'calc', server_url: server(), ...extra }) as any;

/** The run's tool-call steps' entries, oldest first. */
async function toolCalls(client: any, threadId: string, runId: string): Promise<any[]> {
  const steps = await client.beta.threads.runs.steps.list(runId, { thread_id: threadId, order: 'asc' });
  return steps.data.filter((s: any) => s.type === 'tool_calls').flatMap((s: any) => s.step_details.tool_calls);
}

/** The tool message the model was shown for a call, in its n-th upstream request. */
async function toolMessage(m: string, request: number): Promise<string> {
  const reqs = await upstreamRequests(m);
  const tool = reqs[request]!.body.messages.find((x: { role: string }) => x.role === 'tool');
  return tool.content as string;
}

describe('mcp tools in runs', () => {
  it('calls a tool without approval (require_approval never): the step shows the call and the model gets its output', async () => {
    const { v6 } = await runFixture('mcp-never', { tools: [mcpTool({ require_approval: 'never' })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    expect(assistant.tools).toEqual([{ type: 'mcp', server_label: 'calc', server_url: server(), require_approval: 'never' }]);
    const m = marker('mcp-never');
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":2,"b":3}' }] }, { text: 'It is 5.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `add ${m}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const [call] = await toolCalls(v6, thread.id, run.id);
    expect(call).toEqual({ id: expect.stringMatching(/^call_/), type: 'mcp', mcp: { server_label: 'calc', name: 'add', arguments: '{"a":2,"b":3}', output: '5', error: null } });
    const [first] = await upstreamRequests(m);
    const offered = first!.body.tools.map((t: any) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining(['calc__add', 'calc__echo', 'calc__fail']));
    expect(await toolMessage(m, 1)).toBe('5');
  });

  it('with approval (the default): requires_action lists the call, approve runs it, deny tells the model', async () => {
    const { v6 } = await runFixture('mcp-approve', { tools: [mcpTool({ allowed_tools: ['echo'] })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    for (const approve of [true, false]) {
      const m = marker(`mcp-approve-${approve}`);
      await pushScripts(m, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"hi"}' }] }, { text: 'Done.' });
      const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `echo ${m}` }] });
      const waiting = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      expect(waiting.status).toBe('requires_action');
      const [request] = waiting.required_action!.submit_tool_outputs.tool_calls as any[];
      expect(request).toEqual({ id: expect.stringMatching(/^call_/), type: 'mcp', mcp: { server_label: 'calc', name: 'echo', arguments: '{"text":"hi"}' } });
      // Only `echo` is allowed: the model was offered nothing else.
      expect((await upstreamRequests(m))[0]!.body.tools.map((t: any) => t.function.name)).toEqual(['calc__echo']);
      const answer = approve ? { tool_call_id: request.id, approve: true } : { tool_call_id: request.id, approve: false, reason: 'not today' };
      const run = await v6.beta.threads.runs.submitToolOutputsAndPoll(waiting.id, { thread_id: thread.id, tool_outputs: [answer as any] });
      expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
      const [call] = await toolCalls(v6, thread.id, run.id);
      if (approve) {
        expect(call.mcp).toMatchObject({ output: 'echo: hi', error: null });
        expect(await toolMessage(m, 1)).toBe('echo: hi');
      } else {
        expect(call.mcp).toMatchObject({ output: null, error: 'The user denied this tool call: not today' });
        expect(await toolMessage(m, 1)).toContain('denied');
      }
    }
  });

  it('mixes a function call and an mcp approval in one turn', async () => {
    const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } } as const;
    const { v6 } = await runFixture('mcp-mixed', { tools: [weather, mcpTool()] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-mixed');
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }, { name: 'calc__add', arguments: '{"a":1,"b":1}' }] }, { text: 'Both done.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `both ${m}` }] });
    const waiting = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls as any[];
    expect(calls.map((c) => c.type)).toEqual(['function', 'mcp']);
    // An approval request answered with `output` is refused, naming what it needs.
    await expect(
      v6.beta.threads.runs.submitToolOutputs(waiting.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: calls[0].id, output: 'sunny' }, { tool_call_id: calls[1].id, output: 'x' }] }),
    ).rejects.toMatchObject({ status: 400 });
    const run = await v6.beta.threads.runs.submitToolOutputsAndPoll(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: calls[0].id, output: 'sunny' }, { tool_call_id: calls[1].id, approve: true } as any],
    });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const entries = await toolCalls(v6, thread.id, run.id);
    expect(entries.map((c) => (c.type === 'mcp' ? c.mcp.output : c.function.output))).toEqual(['sunny', '2']);
  });

  it('a tool error ends the call with an error, the model is told and the run completes', async () => {
    const { v6 } = await runFixture('mcp-fail', { tools: [mcpTool({ require_approval: 'never' })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-fail');
    await pushScripts(m, { toolCalls: [{ name: 'calc__fail', arguments: '{}' }] }, { text: 'It failed.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `fail ${m}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const [call] = await toolCalls(v6, thread.id, run.id);
    expect(call.mcp).toMatchObject({ output: null, error: expect.stringContaining('failed on purpose') });
    expect(await toolMessage(m, 1)).toContain('failed on purpose');
  });

  it('a call slower than MCP_CALL_TIMEOUT_SECONDS ends with an error and the run goes on', async () => {
    const { v6 } = await runFixture('mcp-slow', { tools: [mcpTool({ require_approval: 'never' })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-slow');
    // The contract worker's limit is 3 s (test/support/global-setup.ts); the tool would take 60.
    await pushScripts(m, { toolCalls: [{ name: 'calc__slow', arguments: '{"seconds":60}' }] }, { text: 'Too slow.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `slow ${m}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const [call] = await toolCalls(v6, thread.id, run.id);
    expect(call.mcp).toMatchObject({ name: 'slow', output: null, error: expect.any(String) });
    expect(await toolMessage(m, 1)).toMatch(/^Error: /);
  });

  it('a run waiting for an approval is cancelled like one waiting for function outputs', async () => {
    const { v6 } = await runFixture('mcp-cancel', { tools: [mcpTool()] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-cancel');
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":1,"b":2}' }] });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `cancel ${m}` }] });
    const waiting = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(waiting.status).toBe('requires_action');
    await v6.beta.threads.runs.cancel(waiting.id, { thread_id: thread.id });
    const run = await v6.beta.threads.runs.retrieve(waiting.id, { thread_id: thread.id });
    expect(run.status).toBe('cancelled');
    const steps = await v6.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(steps.data.find((s: any) => s.type === 'tool_calls')!.status).toBe('cancelled');
  });

  it('streams the call: step deltas carry the mcp entry, every event valid', async () => {
    const { v6 } = await runFixture('mcp-stream', { tools: [mcpTool({ require_approval: 'never' })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-stream');
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":4,"b":4}' }] }, { text: 'Eight.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `stream ${m}` }] });
    const stream = await v6.beta.threads.runs.create(thread.id, { assistant_id: assistant.id, stream: true });
    const deltas: any[] = [];
    let status = '';
    for await (const event of stream) {
      if (event.event === 'thread.run.step.delta') deltas.push(...((event.data.delta.step_details as any)?.tool_calls ?? []));
      if (event.event === 'thread.run.completed') status = 'completed';
    }
    await expectNoStreamErrors();
    expect(status).toBe('completed');
    expect(deltas[0]).toMatchObject({ index: 0, type: 'mcp', mcp: { server_label: 'calc', name: 'add' } });
    expect(deltas.at(-1)).toEqual({ index: 0, type: 'mcp', mcp: { output: '8', error: null } });
  });

  it('refuses a bad entry with OpenAI-shaped 400s', async () => {
    const { v6 } = await runFixture('mcp-bad');
    const create = (tool: Record<string, unknown>, more: Record<string, unknown>[] = []) => v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [tool, ...more] as any });
    await expect(create(mcpTool({ server_url: 'http://example.com/mcp' }))).rejects.toMatchObject({ status: 400, param: 'tools[0].server_url' });
    await expect(create(mcpTool(), [mcpTool()])).rejects.toMatchObject({ status: 400 });
    await expect(create(mcpTool({ connector_id: 'connector_gmail' }))).rejects.toMatchObject({ status: 400 });
    await expect(create(mcpTool({ server_label: 'bad label' }))).rejects.toMatchObject({ status: 400 });
  });
});

describe.each(MAJORS)('mcp approvals through SDK %s', (major) => {
  it('requires_action with the mcp request, approved through submit_tool_outputs, completes', async () => {
    const clients = await runFixture(`mcp-${major}`, { tools: [mcpTool()] });
    const api = runsApi(clients, major);
    const m = marker(`mcp-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":20,"b":22}' }] }, { text: '42' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `major ${m}` }] });
    const waiting = await api.createAndPoll(thread.id, { assistant_id: clients.assistant.id });
    expect(waiting.status).toBe('requires_action');
    const [request] = waiting.required_action!.submit_tool_outputs.tool_calls as any[];
    expect(request.type).toBe('mcp');
    const run = await api.submitAndPoll(thread.id, waiting.id, { tool_outputs: [{ tool_call_id: request.id, approve: true } as any] });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const steps = await api.listSteps(thread.id, run.id, { order: 'asc' });
    const call = (steps.data.find((st) => st.type === 'tool_calls')!.step_details as any).tool_calls[0];
    expect(call.mcp).toMatchObject({ name: 'add', output: '42', error: null });
  });
});

describe('mcp secrets', () => {
  it('headers and authorization reach the server but never any response body', async () => {
    const tool = mcpTool({ server_url: `${inject('mcpServerUrl')}/auth/mcp`, require_approval: 'never', headers: { 'X-Api-Key': MCP_HEADER_KEY }, authorization: MCP_AUTH_TOKEN });
    const { v6 } = await runFixture('mcp-secrets', { tools: [tool] });
    const bodies: unknown[] = [];
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    bodies.push(assistant, await v6.beta.assistants.retrieve(assistant.id), await v6.beta.assistants.update(assistant.id, { tools: [tool] }));
    const m = marker('mcp-secrets');
    await pushScripts(m, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"secret-safe"}' }] }, { text: 'ok' }, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"run-level"}' }] }, { text: 'ok' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `auth ${m}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const [call] = await toolCalls(v6, thread.id, run.id);
    expect(call.mcp).toMatchObject({ output: 'echo: secret-safe', error: null });
    // The run's own tools (an override) are sealed the same way.
    const own = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id, tools: [tool] });
    expect(own.status, JSON.stringify(own.last_error)).toBe('completed');
    // Pages by their `data` (an SDK page object also holds the request options, with our own API key).
    bodies.push(run, own, (await v6.beta.threads.runs.list(thread.id)).data, (await v6.beta.threads.runs.steps.list(own.id, { thread_id: thread.id })).data, (await v6.beta.assistants.list()).data);
    const text = JSON.stringify(bodies);
    expect(text).not.toContain(MCP_HEADER_KEY);
    expect(text).not.toContain(MCP_AUTH_TOKEN);
    expect(text).not.toContain('sealed');
    expect(text).not.toMatch(/"headers"|"authorization"/);
  });
});

describe('mcp tool lists', () => {
  let own: Awaited<ReturnType<typeof startMcpServer>>;
  beforeAll(async () => {
    own = await startMcpServer();
  });
  afterAll(async () => {
    await own.close().catch(() => undefined);
  });

  it('are listed once per thread: a later run reuses the list, and a server down ends the call with an error', async () => {
    const { v6 } = await runFixture('mcp-lists', { tools: [mcpTool({ server_label: 'own', server_url: `${own.url}/mcp`, require_approval: 'never' })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    const m = marker('mcp-lists');
    await pushScripts(m, { toolCalls: [{ name: 'own__add', arguments: '{"a":1,"b":2}' }] }, { text: '3' }, { toolCalls: [{ name: 'own__add', arguments: '{"a":2,"b":2}' }] }, { text: 'down' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `lists ${m}` }] });
    const first = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(first.status, JSON.stringify(first.last_error)).toBe('completed');
    expect((await toolCalls(v6, thread.id, first.id))[0].mcp.output).toBe('3');
    await own.close();
    // The server is gone: listing would fail the run, so offering its tools again proves the kept list.
    await v6.beta.threads.messages.create(thread.id, { role: 'user', content: `again ${m}` });
    const second = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(second.status, JSON.stringify(second.last_error)).toBe('completed');
    const [call] = await toolCalls(v6, thread.id, second.id);
    expect(call.mcp).toMatchObject({ name: 'add', output: null, error: expect.any(String) });
    const reqs = await upstreamRequests(m);
    expect(reqs[2]!.body.tools.map((t: any) => t.function.name)).toContain('own__add');
  });

  it('a server that cannot be listed fails the run with a message naming it', async () => {
    const { v6 } = await runFixture('mcp-unlisted', { tools: [mcpTool({ server_label: 'gone', server_url: `${own.url}/mcp` })] });
    const assistant = (await v6.beta.assistants.list()).data[0]!;
    await own.close().catch(() => undefined);
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `gone ${marker('mcp-gone')}` }] });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('failed');
    expect(run.last_error?.message).toContain("MCP server 'gone'");
  });
});
