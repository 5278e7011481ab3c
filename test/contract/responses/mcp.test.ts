// The `mcp` tool in the Responses API (docs/mcp.md), with SDK v6 and v7, against the real local MCP server
// (test/support/mcp-server.ts) in both protocol modes. The scripted model calls the server's tools by their
// namespaced function names (`<server_label>__<tool>`). Checked: the `mcp_list_tools` item and its reuse
// through previous_response_id; calls without approval (`mcp_call` with the output fed back to the model);
// approval requests, approved and denied; a server down, a slow tool (time limit), a failing tool; the
// stream events in OpenAI's order; OpenAI-shaped 400s; and that `headers`/`authorization` values never
// appear in any body. Every body and event is validated against the document.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { MCP_AUTH_TOKEN, MCP_HEADER_KEY } from '../../support/mcp-server.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

afterAll(() => expectNoContractViolations());

const url = (path: string) => `${inject('mcpServerUrl')}${path}`;
type Item = { type: string } & Record<string, any>;
const items = (r: { output: unknown[] }) => r.output as Item[];
const types = (r: { output: unknown[] }) => items(r).map((o) => o.type);

/** An authenticated server entry: the header and token values must reach the server and never come back. */
const authTool = (extra: Record<string, unknown> = {}) => ({
  type: 'mcp' as const,
  server_label: 'calc',
  server_url: url('/auth/mcp'),
  headers: { 'X-Api-Key': MCP_HEADER_KEY },
  authorization: MCP_AUTH_TOKEN,
  ...extra,
});

const noSecrets = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toContain(MCP_HEADER_KEY);
  expect(text).not.toContain(MCP_AUTH_TOKEN);
};

describe.each(RESPONSE_MAJORS)('mcp tool in responses (SDK %s)', (major) => {
  it.each([
    ['stateless 2026-07-28', '/mcp'],
    ['session-based 2025', '/legacy/mcp'],
  ])('a call without approval (%s server): tools listed, the call run, its output fed back to the model', async (_mode, path) => {
    const { client } = await responsesFixture(`resp-mcp-${major}`, major);
    const m = marker(`resp-mcp-${major}-${path}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":2,"b":40}', id: 'call_add' }] }, { text: 'The sum is 42.' });
    const response = await client.responses.create({
      model: MODEL,
      input: `Add 2 and 40. ${m}`,
      tools: [{ type: 'mcp', server_label: 'calc', server_url: url(path), require_approval: 'never', allowed_tools: ['add', 'echo'] }],
    });
    expect(response.status).toBe('completed');
    expect(types(response)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const [list, call] = items(response);
    expect(list!.id).toMatch(/^mcpl_/);
    expect(list).toMatchObject({ server_label: 'calc', error: null });
    expect(list!.tools.map((t: { name: string }) => t.name).sort()).toEqual(['add', 'big', 'echo', 'fail', 'slow']);
    expect(list!.tools.find((t: { name: string }) => t.name === 'add')).toMatchObject({ description: 'Adds two numbers.', annotations: { readOnlyHint: true } });
    expect(call).toMatchObject({ type: 'mcp_call', server_label: 'calc', name: 'add', arguments: '{"a":2,"b":40}', output: '42', error: null, status: 'completed', approval_request_id: null });
    expect(call!.id).toMatch(/^mcp_/);
    expect(response.output_text).toBe('The sum is 42.');
    expect(response.tools).toEqual([{ type: 'mcp', server_label: 'calc', server_url: url(path), allowed_tools: ['add', 'echo'], require_approval: 'never', headers: null }]);

    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    // Only the allowed tools are offered, namespaced by the server label.
    expect((reqs[0]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name).sort()).toEqual(['calc__add', 'calc__echo']);
    const toolMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg).toMatchObject({ tool_call_id: 'call_add', content: '42' });
  });

  it('max_tool_calls: calls past the limit are ignored (not run, not shown), and the tools are no longer offered', async () => {
    const { client } = await responsesFixture(`resp-mcp-max-${major}`, major);
    const m = marker(`resp-mcp-max-${major}`);
    await pushScripts(
      m,
      { toolCalls: [{ name: 'calc__add', arguments: '{"a":1,"b":2}', id: 'call_1' }, { name: 'calc__add', arguments: '{"a":3,"b":4}', id: 'call_2' }] },
      { text: 'Only one sum was made.' },
    );
    const response = await client.responses.create({
      model: MODEL,
      input: `Add twice. ${m}`,
      max_tool_calls: 1,
      tools: [{ type: 'mcp', server_label: 'calc', server_url: url('/mcp'), require_approval: 'never' }],
    } as never); // max_tool_calls is in OpenAI's document, not in every SDK major's types
    expect(response.status).toBe('completed');
    expect((response as unknown as { max_tool_calls: number }).max_tool_calls).toBe(1);
    expect(types(response)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(items(response)[1]).toMatchObject({ arguments: '{"a":1,"b":2}', output: '3' });
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const outputs = reqs[1]!.body.messages.filter((x: any) => x.role === 'tool');
    expect(outputs).toEqual([
      expect.objectContaining({ tool_call_id: 'call_1', content: '3' }),
      expect.objectContaining({ tool_call_id: 'call_2', content: expect.stringContaining('max_tool_calls') }),
    ]);
    expect(reqs[1]!.body.tools).toBeUndefined();
  });

  it('headers and authorization reach the server and appear in no body (create, retrieve, input items, stream)', async () => {
    const { client } = await responsesFixture(`resp-mcp-secret-${major}`, major);
    const m = marker(`resp-mcp-secret-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"hi"}' }] }, { text: 'Echoed.' });
    const response = await client.responses.create({ model: MODEL, input: `Echo hi. ${m}`, tools: [authTool({ require_approval: 'never' })] });
    expect(types(response)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(items(response)[1]).toMatchObject({ output: 'echo: hi', status: 'completed' });
    expect(response.tools[0]).toMatchObject({ type: 'mcp', headers: null });
    expect(response.tools[0]).not.toHaveProperty('authorization');
    noSecrets(response);
    noSecrets(await client.responses.retrieve(response.id));
    noSecrets((await client.responses.inputItems.list(response.id)).data);
    noSecrets(await collect(await client.responses.retrieve(response.id, { stream: true })));

    const m2 = marker(`resp-mcp-secret-stream-${major}`);
    await pushScripts(m2, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"yo"}' }] }, { text: 'Echoed.' });
    noSecrets(await collect(await client.responses.create({ model: MODEL, input: `Echo yo. ${m2}`, tools: [authTool({ require_approval: 'never' })], stream: true })));
  });

  it('background: the call runs with the headers the object keeps in memory; the stored response has none', async () => {
    const { client } = await responsesFixture(`resp-mcp-bg-${major}`, major);
    const m = marker(`resp-mcp-bg-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":5,"b":5}' }] }, { text: 'Ten.' });
    const queued = await client.responses.create({ model: MODEL, input: `5+5? ${m}`, tools: [authTool({ require_approval: 'never' })], background: true });
    expect(queued.status).toBe('queued');
    let done = await client.responses.retrieve(queued.id);
    while (done.status === 'queued' || done.status === 'in_progress') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await client.responses.retrieve(queued.id);
    }
    expect(done.status).toBe('completed');
    expect(types(done)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(items(done)[1]).toMatchObject({ output: '10', status: 'completed' });
    noSecrets(queued);
    noSecrets(done);
  });

  it('approval: the call waits as an mcp_approval_request; approved on the next request it runs, and the list is not fetched again', async () => {
    const { client } = await responsesFixture(`resp-mcp-approve-${major}`, major);
    const m = marker(`resp-mcp-approve-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"approved"}', id: 'call_echo' }] }, { text: 'It said: echo: approved.' });
    const tools = [authTool()];
    const first = await client.responses.create({ model: MODEL, input: `Echo approved. ${m}`, tools });
    expect(first.status).toBe('completed');
    expect(types(first)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    const request = items(first)[1]!;
    expect(request).toEqual({ type: 'mcp_approval_request', id: expect.stringMatching(/^mcpr_/), server_label: 'calc', name: 'echo', arguments: '{"text":"approved"}' });
    expect(first.tools[0]).toMatchObject({ require_approval: 'always' });
    expect(await upstreamRequests(m)).toHaveLength(1);

    const second = await client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: true }],
      tools,
    });
    expect(second.status).toBe('completed');
    expect(types(second)).toEqual(['mcp_call', 'message']);
    expect(items(second)[0]).toMatchObject({ name: 'echo', output: 'echo: approved', status: 'completed', approval_request_id: request.id });
    expect(second.output_text).toBe('It said: echo: approved.');
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const toolMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg).toMatchObject({ tool_call_id: request.id, content: 'echo: approved' });
    noSecrets(second);

    // The same approval again is refused.
    const again = await client.responses.create({ model: MODEL, previous_response_id: second.id, input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: true }], tools }).catch((e) => e);
    expect(again).toMatchObject({ status: 400, error: { message: `The MCP approval request '${request.id}' was already answered.` } });
  });

  it('approval denied: nothing runs and the model is told so', async () => {
    const { client } = await responsesFixture(`resp-mcp-deny-${major}`, major);
    const m = marker(`resp-mcp-deny-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__echo', arguments: '{"text":"no"}' }] }, { text: 'Understood, I did not run it.' });
    const tools = [authTool({ require_approval: { never: { tool_names: ['add'] } } })];
    const first = await client.responses.create({ model: MODEL, input: `Echo no. ${m}`, tools });
    const request = items(first).find((o) => o.type === 'mcp_approval_request')!;
    const second = await client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: false, reason: 'not today' }],
      tools,
    });
    expect(types(second)).toEqual(['message']);
    const toolMsg = (await upstreamRequests(m))[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg.content).toBe('The user did not approve this tool call: not today');
  });

  it('the list is reused on the next turn through previous_response_id, and the earlier call is in the model\'s history', async () => {
    const { client } = await responsesFixture(`resp-mcp-reuse-${major}`, major);
    const m = marker(`resp-mcp-reuse-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":1,"b":1}', id: 'call_1' }] }, { text: 'Two.' }, { text: 'Still two.' });
    const tools = [{ type: 'mcp' as const, server_label: 'calc', server_url: url('/mcp'), require_approval: 'never' as const }];
    const first = await client.responses.create({ model: MODEL, input: `1+1? ${m}`, tools });
    expect(types(first)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const second = await client.responses.create({ model: MODEL, previous_response_id: first.id, input: 'Sure?', tools });
    expect(types(second)).toEqual(['message']);
    const reqs = await upstreamRequests(m);
    expect((reqs[2]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toContain('calc__add');
    // The earlier call under its item's id (the model's own call id is not part of an mcp_call item).
    const callId = items(first)[1]!.id;
    expect(reqs[2]!.body.messages.find((x: any) => x.role === 'assistant' && x.tool_calls)).toMatchObject({ tool_calls: [{ id: callId, function: { name: 'calc__add', arguments: '{"a":1,"b":1}' } }] });
    expect(reqs[2]!.body.messages.find((x: any) => x.role === 'tool')).toMatchObject({ tool_call_id: callId, content: '2' });
  });

  it('a server that is down: mcp_list_tools carries the error and the model answers without its tools', async () => {
    const { client } = await responsesFixture(`resp-mcp-down-${major}`, major);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const m = marker(`resp-mcp-down-${major}`);
    await pushScripts(m, { text: 'The server is unavailable.' });
    const response = await client.responses.create({ model: MODEL, input: `Add. ${m}`, tools: [{ type: 'mcp', server_label: 'down', server_url: `http://127.0.0.1:${port}/mcp` }] });
    expect(response.status).toBe('completed');
    expect(types(response)).toEqual(['mcp_list_tools', 'message']);
    expect(items(response)[0]).toMatchObject({ server_label: 'down', tools: [] });
    expect(items(response)[0]!.error).toMatch(/^Error retrieving tool list from MCP server/);
    const reqs = await upstreamRequests(m);
    expect(reqs[0]!.body.tools).toBeUndefined();
    expect(reqs[0]!.body.tool_choice).toBeUndefined();
  });

  it('a failing tool and a tool past the time limit: failed mcp_call items with their errors, the response completes', async () => {
    const { client } = await responsesFixture(`resp-mcp-fail-${major}`, major);
    const m = marker(`resp-mcp-fail-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__fail', arguments: '{}', id: 'call_f' }, { name: 'calc__slow', arguments: '{"seconds":60}', id: 'call_s' }] }, { text: 'Both failed.' });
    const response = await client.responses.create({ model: MODEL, input: `Try. ${m}`, tools: [{ type: 'mcp', server_label: 'calc', server_url: url('/mcp'), require_approval: 'never' }] });
    expect(response.status).toBe('completed');
    expect(types(response)).toEqual(['mcp_list_tools', 'mcp_call', 'mcp_call', 'message']);
    const [, fail, slow] = items(response);
    expect(fail).toMatchObject({ name: 'fail', status: 'failed', output: null, error: { type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'The fail tool failed on purpose.' }] } });
    expect(slow).toMatchObject({ name: 'slow', status: 'failed', output: null, error: { type: 'mcp_protocol_error', code: -32001 } });
    expect(slow!.error.message).toMatch(/timed out/);
    const toolMsgs = (await upstreamRequests(m))[1]!.body.messages.filter((x: any) => x.role === 'tool');
    expect(toolMsgs.map((x: any) => x.content)).toEqual(['Error: [{"type":"text","text":"The fail tool failed on purpose."}]', expect.stringMatching(/^Error: The MCP tool call timed out/)]);
  });

  it('create({stream: true}): list and call events in OpenAI\'s order, numbered', async () => {
    const { client } = await responsesFixture(`resp-mcp-stream-${major}`, major);
    const m = marker(`resp-mcp-stream-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'calc__add', arguments: '{"a":3,"b":4}' }] }, { text: 'Seven.' });
    const events = (await collect(
      await client.responses.create({ model: MODEL, input: `3+4? ${m}`, tools: [{ type: 'mcp', server_label: 'calc', server_url: url('/mcp'), require_approval: 'never' }], stream: true }),
    )) as Array<{ type: string; sequence_number: number } & Record<string, any>>;
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type).slice(0, 13)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.mcp_list_tools.in_progress', 'response.mcp_list_tools.completed', 'response.output_item.done',
      'response.output_item.added', 'response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done', 'response.mcp_call.in_progress', 'response.mcp_call.completed', 'response.output_item.done',
      'response.output_item.added',
    ]);
    expect(events[7]).toMatchObject({ output_index: 1, item_id: events[6]!.item.id, delta: '{"a":3,"b":4}' });
    expect(events[11]!.item).toMatchObject({ type: 'mcp_call', output: '7', status: 'completed' });
    expect(events.at(-1)!.type).toBe('response.completed');
    await expectNoStreamErrors();
  });

  it('bad mcp tools are OpenAI-shaped 400s', async () => {
    const { client } = await responsesFixture(`resp-mcp-bad-${major}`, major);
    const create = (tool: Record<string, unknown>) => client.responses.create({ model: MODEL, input: 'x', tools: [{ type: 'mcp', server_label: 's', ...tool } as never] }).catch((e) => e);
    expect(await create({ server_url: 'http://mcp.example.com/mcp' })).toMatchObject({ status: 400, param: 'tools[0].server_url', error: { message: expect.stringMatching(/https/) } });
    expect(await create({ server_url: 'https://10.0.0.7/mcp' })).toMatchObject({ status: 400, param: 'tools[0].server_url', error: { message: expect.stringMatching(/private/) } });
    expect(await create({ server_url: 'https://169.254.169.254/' })).toMatchObject({ status: 400, param: 'tools[0].server_url' });
    expect(await create({ connector_id: 'connector_gmail' })).toMatchObject({ status: 400, param: 'tools[0].connector_id', error: { message: expect.stringMatching(/hosted by OpenAI/) } });
    expect(await create({})).toMatchObject({ status: 400, param: 'tools[0].server_url' });
    expect(await create({ server_url: url('/mcp'), require_approval: 'sometimes' })).toMatchObject({ status: 400 });
    const unknown = await client.responses.create({
      model: MODEL,
      input: [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_nope', approve: true }],
      tools: [{ type: 'mcp', server_label: 's', server_url: url('/mcp') }],
    }).catch((e) => e);
    expect(unknown).toMatchObject({ status: 400, error: { message: "No MCP approval request found with id 'mcpr_nope'." } });
  });
});
