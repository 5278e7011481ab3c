import { describe, expect, it } from 'vitest';
import type { McpClient, McpTarget, McpToolInfo } from '../../../src/domain/mcp/port';
import type { ChatChunk } from '../../../src/domain/ports';
import type { McpToolCall, RunStep } from '../../../src/domain/runs/types';
import { mcpTool } from '../../../src/tools/mcp';
import type { McpHost } from '../../../src/tools/mcp/host';
import { listKey } from '../../../src/tools/mcp/session';
import { harness } from './harness';

/**
 * The `mcp` tool in the executor (docs/mcp-assistants.md), on the in-memory harness with a fake MCP
 * client: tool lists kept per thread, calls answered or held for approval, decisions acted on.
 */

const usage: ChatChunk = { type: 'usage', promptTokens: 5, completionTokens: 1 };
const call = (name: string, args: string): ChatChunk[] => [{ type: 'tool_call', index: 0, id: 'up_1', name, argumentsDelta: args }, usage, { type: 'finish', reason: 'tool_calls' }];
const answer = (text: string): ChatChunk[] => [{ type: 'text', delta: text }, usage, { type: 'finish', reason: 'stop' }];

const TOOLS: McpToolInfo[] = [
  { name: 'add', description: 'Adds.', input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } }, annotations: { readOnlyHint: true } },
  { name: 'wipe', description: 'Wipes.', input_schema: { type: 'object', properties: {} }, annotations: null },
];

function fakeMcp() {
  const listed: McpTarget[] = [];
  const called: { name: string; args: Record<string, unknown> }[] = [];
  const lists = new Map<string, { key: string; tools: McpToolInfo[] }>();
  const client: McpClient = {
    async listTools(target) {
      listed.push(target);
      return TOOLS;
    },
    async callTool(_target, name, args) {
      called.push({ name, args });
      if (name === 'wipe') return { output: null, error: { type: 'mcp_tool_execution_error', content: 'refused' } };
      return { output: String(Number(args.a) + Number(args.b)), error: null };
    },
  };
  const host: McpHost = {
    client: () => client,
    secretsFor: async () => null,
    lists: {
      get: (label, key) => (lists.get(label)?.key === key ? lists.get(label)!.tools : null),
      put: (label, key, tools) => void lists.set(label, { key, tools }),
    },
  };
  return { host, listed, called };
}

const entry = (extra: Record<string, unknown> = {}) => ({ type: 'mcp', server_label: 'calc', server_url: 'https://mcp.example.com/mcp', ...extra }) as never;

const mcpEntries = (steps: RunStep[]) => steps.flatMap((s) => (s.step_details.type === 'tool_calls' ? s.step_details.tool_calls : [])).filter((c): c is McpToolCall => c.type === 'mcp');

describe('mcp tool in the executor', () => {
  it('answers a call needing no approval, lists the server once across model calls, and feeds the output back', async () => {
    const mcp = fakeMcp();
    const h = harness({ tools: [mcpTool], run: { tools: [entry({ require_approval: 'never' })] }, mcp: mcp.host });
    h.script(call('calc__add', '{"a":2,"b":3}'), answer('5'));
    await h.executor.execute(h.runId);
    expect(h.stored().run.status).toBe('completed');
    expect(mcp.listed).toHaveLength(1);
    expect(mcp.called).toEqual([{ name: 'add', args: { a: 2, b: 3 } }]);
    const [first] = mcpEntries(h.records.stepsOf(h.runId));
    expect(first).toEqual({ id: expect.stringMatching(/^call_/), type: 'mcp', mcp: { server_label: 'calc', name: 'add', arguments: '{"a":2,"b":3}', output: '5', error: null } });
    expect(h.requests[0]!.tools!.map((t) => t.function.name)).toEqual(['calc__add', 'calc__wipe']);
    expect(h.requests[1]!.messages.find((m) => m.role === 'tool')).toMatchObject({ content: '5' });
    // The output reached the stream as a step delta of the call.
    const deltas = h.events.filter((e) => e.event === 'thread.run.step.delta').map((e) => e.data.delta.step_details.tool_calls[0]);
    expect(deltas.at(-1)).toEqual({ index: 0, type: 'mcp', mcp: { output: '5', error: null } });
  });

  it('a tool error ends the call with an error; the model reads it and the run completes', async () => {
    const mcp = fakeMcp();
    const h = harness({ tools: [mcpTool], run: { tools: [entry({ require_approval: 'never' })] }, mcp: mcp.host });
    h.script(call('calc__wipe', '{}'), answer('It refused.'));
    await h.executor.execute(h.runId);
    expect(h.stored().run.status).toBe('completed');
    expect(mcpEntries(h.records.stepsOf(h.runId))[0]!.mcp).toMatchObject({ output: null, error: 'refused' });
    expect(h.requests[1]!.messages.find((m) => m.role === 'tool')).toMatchObject({ content: 'Error: refused' });
  });

  it('holds a call needing approval in requires_action; an approval decision runs it before the model goes on', async () => {
    const mcp = fakeMcp();
    // Read-only tools run at once; the others wait (a filter object: OpenAI's require_approval.never).
    const h = harness({ tools: [mcpTool], run: { tools: [entry({ require_approval: { never: { read_only: true } } })] }, mcp: mcp.host });
    h.script(call('calc__wipe', '{}'));
    await h.executor.execute(h.runId);
    const waiting = h.stored();
    expect(waiting.run.status).toBe('requires_action');
    const [pending] = mcpEntries(h.records.stepsOf(h.runId));
    expect(waiting.run.required_action!.submit_tool_outputs.tool_calls).toEqual([{ id: pending!.id, type: 'mcp', mcp: { server_label: 'calc', name: 'wipe', arguments: '{}' } }]);
    expect(mcp.called).toEqual([]);

    // What submitToolOutputs stores (src/durable/run-commands.ts): the decision, the run queued again.
    h.records.runs.set(h.runId, { run: { ...waiting.run, status: 'queued', required_action: null }, internal: { ...waiting.internal, mcpDecisions: { [pending!.id]: { approve: false, reason: 'no' } } } });
    h.script(answer('Not wiped.'));
    await h.executor.execute(h.runId);
    expect(h.stored().run.status).toBe('completed');
    expect(h.stored().internal.mcpDecisions).toBeUndefined();
    expect(mcp.called).toEqual([]);
    const [denied] = mcpEntries(h.records.stepsOf(h.runId));
    expect(denied!.mcp).toMatchObject({ output: null, error: 'The user denied this tool call: no' });
    expect(h.records.stepsOf(h.runId).find((s) => s.type === 'tool_calls')!.status).toBe('completed');
    expect(h.requests.at(-1)!.messages.find((m) => m.role === 'tool')).toMatchObject({ content: 'Error: The user denied this tool call: no' });
    // The list was kept: the second execution did not list again.
    expect(mcp.listed).toHaveLength(1);
  });

  it('a server that cannot be listed fails the run with a message naming it', async () => {
    const mcp = fakeMcp();
    const host: McpHost = { ...mcp.host, client: () => ({ listTools: async () => Promise.reject(new Error('connect ECONNREFUSED')), callTool: async () => Promise.reject(new Error('unused')) }) };
    const h = harness({ tools: [mcpTool], run: { tools: [entry()] }, mcp: host });
    await h.executor.execute(h.runId);
    expect(h.stored().run).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message: "Error retrieving tool list from MCP server 'calc': connect ECONNREFUSED" } });
  });

  it('keys kept lists by URL and credentials (a digest, no secret in it)', async () => {
    const a = await listKey({ url: 'https://x/mcp', headers: { Authorization: 'Bearer one' } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await listKey({ url: 'https://x/mcp', headers: { Authorization: 'Bearer one' } })).toBe(a);
    expect(await listKey({ url: 'https://x/mcp', headers: { Authorization: 'Bearer two' } })).not.toBe(a);
    expect(await listKey({ url: 'https://y/mcp', headers: { Authorization: 'Bearer one' } })).not.toBe(a);
  });
});
