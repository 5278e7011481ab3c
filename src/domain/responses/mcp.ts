import type { ResponseMcpTool } from '../../contract/responses-mcp';
import type { McpCallError, McpToolInfo } from '../mcp/port';
import type { ChatMessage } from '../ports';
import type { StoredItem } from './types';

/**
 * The `mcp` tool in the Responses API (docs/mcp.md): its output items as OpenAI's document describes them
 * (MCPListTools, MCPToolCall, MCPApprovalRequest), its echo in `response.tools` (without `headers` values
 * nor `authorization`), and what a request's context says about it (tool lists already shown, approvals).
 */

export interface McpListToolsItem {
  type: 'mcp_list_tools';
  id: string;
  server_label: string;
  tools: McpToolInfo[];
  error: string | null;
  /** Not OpenAI's field on this item: kept off the wire (see `publicItem`); only the projection's bookkeeping. */
  status?: 'in_progress' | 'completed' | 'failed' | 'incomplete';
}

export interface McpCallItem {
  type: 'mcp_call';
  id: string;
  server_label: string;
  name: string;
  arguments: string;
  output: string | null;
  error: McpCallError | null;
  status: 'in_progress' | 'completed' | 'incomplete' | 'calling' | 'failed';
  approval_request_id: string | null;
}

export interface McpApprovalRequestItem {
  type: 'mcp_approval_request';
  id: string;
  server_label: string;
  name: string;
  arguments: string;
  status?: 'completed' | 'incomplete';
}

export type McpItem = McpListToolsItem | McpCallItem | McpApprovalRequestItem;

/** The `mcp` tool as the Response echoes it: `headers` and `authorization` are never echoed nor stored. */
export interface ResponseMcpToolJson {
  type: 'mcp';
  server_label: string;
  server_url: string;
  /** Absent when not given: the document types it as a string, never null. */
  server_description?: string;
  allowed_tools: ResponseMcpTool['allowed_tools'] | null;
  require_approval: ResponseMcpTool['require_approval'] | 'always';
  headers: null;
}

export function mcpToolEcho(tool: ResponseMcpTool): ResponseMcpToolJson {
  return {
    type: 'mcp',
    server_label: tool.server_label,
    server_url: tool.server_url ?? '',
    ...(tool.server_description !== undefined ? { server_description: tool.server_description } : {}),
    allowed_tools: tool.allowed_tools ?? null,
    // OpenAI's default: every call waits for approval.
    require_approval: tool.require_approval ?? 'always',
    headers: null,
  };
}

/** The headers a server gets: the entry's `headers`, and `authorization` as a bearer token. */
export function mcpHeaders(tool: ResponseMcpTool): Record<string, string> {
  return { ...(tool.headers ?? {}), ...(tool.authorization ? { Authorization: `Bearer ${tool.authorization}` } : {}) };
}

/**
 * The events between `output_item.added` and `output_item.done` of an MCP item, as OpenAI orders them:
 * a list shows `mcp_list_tools.in_progress` then `completed`/`failed`; a call its arguments
 * (`mcp_call_arguments.delta`/`done`), `mcp_call.in_progress`, then `completed`/`failed`; an approval
 * request none.
 */
export function mcpItemEvents(item: McpItem): { before: Array<{ type: string; fields?: Record<string, unknown> }>; done: (ended: McpItem) => string | null } {
  switch (item.type) {
    case 'mcp_list_tools':
      return {
        before: [{ type: 'response.mcp_list_tools.in_progress' }],
        done: (ended) => ((ended as McpListToolsItem).error ? 'response.mcp_list_tools.failed' : 'response.mcp_list_tools.completed'),
      };
    case 'mcp_call':
      return {
        before: [
          { type: 'response.mcp_call_arguments.delta', fields: { delta: item.arguments } },
          { type: 'response.mcp_call_arguments.done', fields: { arguments: item.arguments } },
          { type: 'response.mcp_call.in_progress' },
        ],
        done: (ended) => ((ended as McpCallItem).status === 'failed' ? 'response.mcp_call.failed' : 'response.mcp_call.completed'),
      };
    case 'mcp_approval_request':
      return { before: [], done: () => null };
  }
}

/** The function name a replayed call is shown under in the model's history (as `mcpFunctionNames` names it). */
export function historyFunctionName(serverLabel: string, tool: string): string {
  return `${serverLabel}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** An earlier `mcp_call` as the model reads it: its call, and its output or error. */
export function mcpCallMessages(item: StoredItem): ChatMessage[] {
  const call = item as unknown as McpCallItem;
  const id = call.approval_request_id ?? call.id;
  const error = call.error as McpCallError | null | undefined;
  const content = call.output ?? (error ? `Error: ${'message' in error ? error.message : JSON.stringify(error.content)}` : '');
  return [
    { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: historyFunctionName(call.server_label, call.name), arguments: call.arguments } }] },
    { role: 'tool', tool_call_id: id, content },
  ];
}

/** An approval the request's input answers: the call it approves or denies. */
export interface McpApproval {
  approvalRequestId: string;
  approve: boolean;
  reason: string | null;
  serverLabel: string;
  name: string;
  arguments: string;
}

export interface McpRequestState {
  /** Tool lists already in the context, by server label (OpenAI lists a server once per conversation). */
  listed: Record<string, McpToolInfo[]>;
  /** The approvals this request's input gives, in order. */
  approvals: McpApproval[];
}

/**
 * What the context says about the request's MCP servers: earlier successful `mcp_list_tools` items (reused,
 * not listed again) and this request's `mcp_approval_response` items, each matched with the
 * `mcp_approval_request` it answers. An answer to an unknown request, or to one already answered, is refused.
 */
export function mcpRequestState(before: readonly StoredItem[], items: readonly StoredItem[]): McpRequestState | { problem: string; param: string } {
  const listed: Record<string, McpToolInfo[]> = {};
  const requests = new Map<string, StoredItem>();
  const answered = new Set<string>();
  for (const item of [...before, ...items]) {
    if (item.type === 'mcp_list_tools' && !item.error) listed[item.server_label as string] = item.tools as McpToolInfo[];
    else if (item.type === 'mcp_approval_request') requests.set(item.id, item);
    else if (item.type === 'mcp_call' && item.approval_request_id) answered.add(item.approval_request_id as string);
  }
  for (const item of before) if (item.type === 'mcp_approval_response') answered.add(item.approval_request_id as string);
  const approvals: McpApproval[] = [];
  for (const [index, item] of items.entries()) {
    if (item.type !== 'mcp_approval_response') continue;
    const requestId = item.approval_request_id as string;
    const request = requests.get(requestId);
    const param = `input[${index}].approval_request_id`;
    if (!request) return { problem: `No MCP approval request found with id '${requestId}'.`, param };
    if (answered.has(requestId)) return { problem: `The MCP approval request '${requestId}' was already answered.`, param };
    answered.add(requestId);
    approvals.push({
      approvalRequestId: requestId,
      approve: item.approve as boolean,
      reason: (item.reason as string | null | undefined) ?? null,
      serverLabel: request.server_label as string,
      name: request.name as string,
      arguments: request.arguments as string,
    });
  }
  return { listed, approvals };
}

/** What the model reads for a call the user denied (OpenAI tells the model the call was not approved). */
export function deniedOutput(reason: string | null): string {
  return `The user did not approve this tool call${reason ? `: ${reason}` : '.'}`;
}
