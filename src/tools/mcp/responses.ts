import { newId } from '../../domain/ids';
import { callErrorText, McpListError, type McpClient, type McpTarget, type McpToolInfo } from '../../domain/mcp/port';
import { isAllowedTool, mcpFunctionNames, needsApproval, parseToolArguments } from '../../domain/mcp/tool-config';
import type { ChatToolDefinition } from '../../domain/ports';
import type { McpApproval, McpApprovalRequestItem, McpCallItem, McpListToolsItem, ResponseMcpToolJson } from '../../domain/responses/mcp';
import type { HostedCallItem } from '../../domain/responses/types';
import type { HostedCall, ResponseToolSession } from '../hosted-tool';

/**
 * One `mcp` tool entry of a response (one server; docs/mcp.md "Responses"). Unlike file_search, which is
 * one function, a server offers many: the session lists them first (its `prelude`, shown as an
 * `mcp_list_tools` item, skipped when the context already holds a list of that server), then answers
 * each of the functions named after them (`<server_label>__<tool>`). A call that needs approval is not
 * run: it becomes an `mcp_approval_request` and the response ends there; the next request's
 * `mcp_approval_response` runs it (`startApproved`/`answerApproved`) or tells the model it was denied.
 */
export class McpServerSession implements ResponseToolSession {
  private tools: McpToolInfo[] | null;
  private readonly byFunction = new Map<string, McpToolInfo>();
  private readonly functionOf = new Map<string, string>();
  readonly prelude: ResponseToolSession['prelude'];

  constructor(
    private readonly config: ResponseMcpToolJson,
    private readonly target: McpTarget,
    listed: McpToolInfo[] | undefined,
    private readonly client: McpClient,
  ) {
    this.tools = listed ?? null;
    this.prelude = listed
      ? null
      : {
          start: (): McpListToolsItem => ({ type: 'mcp_list_tools', id: newId('mcpl_'), server_label: config.server_label, tools: [], error: null }),
          run: async (item, signal) => {
            try {
              this.tools = await this.client.listTools(this.target, signal);
              return { ...(item as McpListToolsItem), tools: this.tools };
            } catch (err) {
              if (!(err instanceof McpListError)) throw err;
              this.tools = [];
              return { ...(item as McpListToolsItem), error: err.message };
            }
          },
        };
  }

  get serverLabel(): string {
    return this.config.server_label;
  }

  /** The allowed tools as functions, named once (`taken`: names already used in the request). */
  functions(taken: Set<string>): ChatToolDefinition[] {
    const allowed = (this.tools ?? []).filter((t) => isAllowedTool(this.config.allowed_tools, t));
    const names = mcpFunctionNames(this.serverLabel, allowed.map((t) => t.name), taken);
    return allowed.map((tool, i) => {
      this.byFunction.set(names[i]!, tool);
      this.functionOf.set(tool.name, names[i]!);
      const about = [tool.description, this.config.server_description ? `(MCP server ${this.serverLabel}: ${this.config.server_description})` : null].filter(Boolean).join(' ');
      return { type: 'function', function: { name: names[i]!, ...(about ? { description: about } : {}), parameters: tool.input_schema } };
    });
  }

  functionNames(): string[] {
    return [...this.byFunction.keys()];
  }

  /** The function name the model knows a tool of this server by (for a call it did not make in this request). */
  functionFor(toolName: string): string {
    return this.functionOf.get(toolName) ?? `${this.serverLabel}__${toolName}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  }

  start(call: HostedCall): HostedCallItem {
    const tool = this.byFunction.get(call.name)!;
    if (needsApproval(this.config.require_approval, tool)) {
      const request: McpApprovalRequestItem = { type: 'mcp_approval_request', id: newId('mcpr_'), server_label: this.serverLabel, name: tool.name, arguments: call.arguments };
      return request;
    }
    return this.callItem(tool.name, call.arguments, null);
  }

  async answer(_call: HostedCall, item: HostedCallItem, signal: AbortSignal): Promise<{ item: HostedCallItem; output: string; awaitsApproval?: boolean }> {
    if (item.type === 'mcp_approval_request') return { item, output: '', awaitsApproval: true };
    return this.run(item as McpCallItem, signal);
  }

  /** An approved call of an earlier approval request, as it starts. */
  startApproved(approval: McpApproval): McpCallItem {
    return this.callItem(approval.name, approval.arguments, approval.approvalRequestId);
  }

  answerApproved(item: McpCallItem, signal: AbortSignal): Promise<{ item: HostedCallItem; output: string }> {
    return this.run(item, signal);
  }

  annotate(): unknown[] {
    return [];
  }

  private callItem(name: string, args: string, approvalRequestId: string | null): McpCallItem {
    return { type: 'mcp_call', id: newId('mcp_'), server_label: this.serverLabel, name, arguments: args, output: null, error: null, status: 'in_progress', approval_request_id: approvalRequestId };
  }

  private async run(item: McpCallItem, signal: AbortSignal): Promise<{ item: McpCallItem; output: string }> {
    const parsed = parseToolArguments(item.arguments);
    // JSON-RPC's "invalid params" code: the model's arguments are not an object.
    const outcome = 'problem' in parsed
      ? { output: null, error: { type: 'mcp_protocol_error' as const, code: -32602, message: parsed.problem } }
      : await this.client.callTool(this.target, item.name, parsed.args, signal);
    if (outcome.error) {
      return { item: { ...item, status: 'failed', error: outcome.error }, output: `Error: ${callErrorText(outcome.error)}` };
    }
    return { item: { ...item, status: 'completed', output: outcome.output }, output: outcome.output };
  }
}
