/**
 * The port to remote MCP servers (docs/mcp.md): what the Responses and Assistants `mcp` tools need of a
 * server, listing its tools and calling one. The implementation (src/adapters/mcp/) speaks Streamable
 * HTTP; the domain sees only these shapes, which are OpenAI's (`MCPListToolsTool`, `MCPToolCallError`).
 */

/** Where a server is and what the request sends it (`headers` and `authorization` of the tool entry). */
export interface McpTarget {
  url: string;
  /** Sent on every request to the server; never stored, logged nor echoed (docs/mcp.md "Secrets"). */
  headers: Record<string, string>;
}

/** One tool of a server as an `mcp_list_tools` item shows it (OpenAI's MCPListToolsTool). */
export interface McpToolInfo {
  name: string;
  description: string | null;
  input_schema: Record<string, unknown>;
  annotations: Record<string, unknown> | null;
}

/** OpenAI's MCPToolCallError: how a call failed, as the `mcp_call` item's `error`. */
export type McpCallError =
  | { type: 'mcp_protocol_error'; code: number; message: string }
  | { type: 'mcp_tool_execution_error'; content: unknown }
  | { type: 'http_error'; code: number; message: string };

/** A call's result: the tool's output text, or why it failed (never both). */
export type McpCallOutcome = { output: string; error: null } | { output: null; error: McpCallError };

/** Listing a server's tools failed (unreachable, refused, too slow, not an MCP server): `message` is shown as is. */
export class McpListError extends Error {
  override readonly name = 'McpListError';
}

export interface McpClient {
  /** The server's tools (every page). Throws McpListError; throws the signal's reason when it aborts. */
  listTools(target: McpTarget, signal: AbortSignal): Promise<McpToolInfo[]>;
  /**
   * Calls one tool. A failure of the call (transport, protocol, time limit, size bound, the tool's own
   * `isError`) is returned as `error`; only the caller's signal aborting throws.
   */
  callTool(target: McpTarget, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome>;
}

/** The text the model reads for a failed call (the `mcp_call` item keeps the structured error). */
export function callErrorText(error: McpCallError): string {
  if (error.type === 'mcp_tool_execution_error') {
    return typeof error.content === 'string' ? error.content : JSON.stringify(error.content);
  }
  return error.message;
}
