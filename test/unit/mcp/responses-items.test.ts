import { describe, expect, it } from 'vitest';
import { mcpCallMessages, mcpHeaders, mcpItemEvents, mcpRequestState, mcpToolEcho } from '../../../src/domain/responses/mcp';
import type { StoredItem } from '../../../src/domain/responses/types';

const list = (label: string, error: string | null = null): StoredItem => ({ type: 'mcp_list_tools', id: `mcpl_${label}`, server_label: label, tools: [{ name: 'add', input_schema: {} }], error });
const request = (id: string): StoredItem => ({ type: 'mcp_approval_request', id, server_label: 'calc', name: 'echo', arguments: '{"text":"x"}' });
const answer = (id: string, approve = true): StoredItem => ({ type: 'mcp_approval_response', id: `mcpa_${id}`, approval_request_id: id, approve, reason: null });

describe('mcp tool echo', () => {
  it('never echoes headers nor authorization; require_approval defaults to always', () => {
    const echo = mcpToolEcho({ type: 'mcp', server_label: 's', server_url: 'https://x.example/mcp', headers: { 'X-Key': 'secret' }, authorization: 'tok' });
    expect(echo).toEqual({ type: 'mcp', server_label: 's', server_url: 'https://x.example/mcp', allowed_tools: null, require_approval: 'always', headers: null });
    expect(JSON.stringify(echo)).not.toMatch(/secret|tok/);
  });

  it('sends authorization as a bearer token next to the headers', () => {
    expect(mcpHeaders({ type: 'mcp', server_label: 's', headers: { 'X-Key': 'k' }, authorization: 'tok' })).toEqual({ 'X-Key': 'k', Authorization: 'Bearer tok' });
  });
});

describe('mcp request state', () => {
  it('reuses a successful list from the context, not a failed one', () => {
    const state = mcpRequestState([list('calc'), list('down', 'Error retrieving tool list')], []);
    expect(state).toEqual({ listed: { calc: [{ name: 'add', input_schema: {} }] }, approvals: [] });
  });

  it("matches this request's approval responses with their requests", () => {
    const state = mcpRequestState([list('calc'), request('mcpr_1')], [answer('mcpr_1', false)]);
    expect(state).toMatchObject({ approvals: [{ approvalRequestId: 'mcpr_1', approve: false, serverLabel: 'calc', name: 'echo', arguments: '{"text":"x"}' }] });
  });

  it('refuses an answer to an unknown or already answered request', () => {
    expect(mcpRequestState([], [answer('mcpr_x')])).toMatchObject({ problem: "No MCP approval request found with id 'mcpr_x'.", param: 'input[0].approval_request_id' });
    const answered: StoredItem = { type: 'mcp_call', id: 'mcp_1', server_label: 'calc', name: 'echo', arguments: '{}', output: 'x', approval_request_id: 'mcpr_1' };
    expect(mcpRequestState([request('mcpr_1'), answered], [answer('mcpr_1')])).toHaveProperty('problem');
    expect(mcpRequestState([request('mcpr_1')], [answer('mcpr_1'), answer('mcpr_1')])).toHaveProperty('problem');
  });
});

describe('mcp items', () => {
  it("events in OpenAI's order, completed or failed by how the item ended", () => {
    const call = { type: 'mcp_call' as const, id: 'mcp_1', server_label: 's', name: 'add', arguments: '{}', output: null, error: null, status: 'in_progress' as const, approval_request_id: null };
    const events = mcpItemEvents(call);
    expect(events.before.map((e) => e.type)).toEqual(['response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done', 'response.mcp_call.in_progress']);
    expect(events.done({ ...call, status: 'completed', output: '1' })).toBe('response.mcp_call.completed');
    expect(events.done({ ...call, status: 'failed' })).toBe('response.mcp_call.failed');
    const listing = { type: 'mcp_list_tools' as const, id: 'mcpl_1', server_label: 's', tools: [], error: null };
    expect(mcpItemEvents(listing).done({ ...listing, error: 'down' })).toBe('response.mcp_list_tools.failed');
    expect(mcpItemEvents({ type: 'mcp_approval_request', id: 'mcpr_1', server_label: 's', name: 'a', arguments: '{}' }).done(listing)).toBeNull();
  });

  it('an earlier call reaches the model as its call and output (or error)', () => {
    const item: StoredItem = { type: 'mcp_call', id: 'mcp_1', server_label: 'calc', name: 'file.read', arguments: '{}', output: null, error: { type: 'http_error', code: 500, message: 'boom' }, approval_request_id: null };
    expect(mcpCallMessages(item)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'mcp_1', type: 'function', function: { name: 'calc__file_read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'mcp_1', content: 'Error: boom' },
    ]);
  });
});
