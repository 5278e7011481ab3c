import type { McpToolCall, RequiredActionCall } from './types';

/**
 * The `mcp` tool call of a run step (extension, docs/mcp-assistants.md): `{ id, type: 'mcp', mcp:
 * { server_label, name, arguments, output, error } }`. `output` and `error` are both null while the call
 * is pending (being answered, or waiting for the client's approval); then exactly one is set.
 */
export function mcpCall(id: string, serverLabel: string, name: string, args: string): McpToolCall {
  return { id, type: 'mcp', mcp: { server_label: serverLabel, name, arguments: args, output: null, error: null } };
}

export function withOutput(call: McpToolCall, output: string): McpToolCall {
  return { ...call, mcp: { ...call.mcp, output, error: null } };
}

export function withError(call: McpToolCall, error: string): McpToolCall {
  return { ...call, mcp: { ...call.mcp, output: null, error } };
}

export const isPending = (call: McpToolCall): boolean => call.mcp.output === null && call.mcp.error === null;

/** The call as `required_action.submit_tool_outputs.tool_calls` lists it while it waits for approval. */
export function approvalRequest(call: McpToolCall): RequiredActionCall {
  return { id: call.id, type: 'mcp', mcp: { server_label: call.mcp.server_label, name: call.mcp.name, arguments: call.mcp.arguments } };
}

/** The client's answer to an approval request (a `tool_outputs` entry with `approve`). */
export interface ApprovalDecision {
  approve: boolean;
  reason?: string;
}

/** What the model reads (and the step's `error` says) when the client denied a call. */
export function deniedText(decision: ApprovalDecision): string {
  const reason = decision.reason?.trim();
  return reason ? `The user denied this tool call: ${reason}` : 'The user denied this tool call.';
}
