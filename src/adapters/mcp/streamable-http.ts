import { Client, ProtocolError, SdkError, SdkHttpError, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import type { McpCallError, McpCallOutcome, McpClient, McpTarget, McpToolInfo } from '../../domain/mcp/port';
import { McpListError } from '../../domain/mcp/port';
import { boundedFetch, ResponseTooLargeError } from './bounded-fetch';

export interface McpLimits {
  /** MCP_LIST_TIMEOUT_SECONDS: connecting and listing the tools, in total. */
  listTimeoutMs: number;
  /** MCP_CALL_TIMEOUT_SECONDS: connecting and one tool call, in total. */
  callTimeoutMs: number;
  /** MCP_MAX_RESPONSE_BYTES: the largest response body a server may send. */
  maxResponseBytes: number;
}

/** How many `tools/list` pages are read at most (a server paging forever would hold the response). */
const MAX_LIST_PAGES = 20;

const CLIENT_INFO = { name: 'assistants-edge', version: '1.0.0' };

/**
 * The MCP port over Streamable HTTP with the official client (@modelcontextprotocol/client, docs/mcp.md
 * "Transport"). `versionNegotiation: auto` probes with `server/discover` (the stateless 2026-07-28
 * revision: every request carries its envelope and the `MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name`
 * headers, no `initialize`) and falls back to the 2025 `initialize` handshake and session for older
 * servers. Each operation opens its own connection and closes it: a response's calls may run in
 * different requests (approvals) and a session must not outlive the headers that opened it.
 */
export class StreamableHttpMcpClient implements McpClient {
  constructor(
    private readonly limits: McpLimits,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async listTools(target: McpTarget, signal: AbortSignal): Promise<McpToolInfo[]> {
    try {
      return await this.connected(target, this.limits.listTimeoutMs, signal, async (client, options) => {
        const tools: McpToolInfo[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_LIST_PAGES; page++) {
          const result = await client.listTools(cursor ? { cursor } : {}, options);
          tools.push(...result.tools.map(toolInfo));
          cursor = result.nextCursor;
          if (!cursor) break;
        }
        return tools;
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new McpListError(`Error retrieving tool list from MCP server: ${describe(err, this.limits.listTimeoutMs)}`);
    }
  }

  async callTool(target: McpTarget, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome> {
    try {
      const result = await this.connected(target, this.limits.callTimeoutMs, signal, (client, options) =>
        client.callTool({ name, arguments: args }, options) as Promise<CallToolResult>,
      );
      const text = resultText(result);
      if (result.isError) return { output: null, error: { type: 'mcp_tool_execution_error', content: result.content } };
      return { output: text, error: null };
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      return { output: null, error: callError(err, this.limits.callTimeoutMs) };
    }
  }

  /** Connects (negotiating the protocol revision), runs `use`, closes; all within `timeoutMs`. */
  private async connected<T>(
    target: McpTarget,
    timeoutMs: number,
    signal: AbortSignal,
    use: (client: Client, options: { signal: AbortSignal; timeout: number }) => Promise<T>,
  ): Promise<T> {
    const overflow = new AbortController();
    const limit = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs), overflow.signal]);
    const transport = new StreamableHTTPClientTransport(new URL(target.url), {
      requestInit: { headers: target.headers },
      fetch: boundedFetch(this.limits.maxResponseBytes, this.fetchImpl, (err) => overflow.abort(err)),
      redirectPolicy: 'same-origin',
      // One operation per connection: no reconnecting GET stream to keep alive.
      reconnectionOptions: { maxReconnectionDelay: 1000, initialReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1, maxRetries: 0 },
    });
    const client = new Client(CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    const options = { signal: limit, timeout: timeoutMs };
    try {
      await client.connect(transport, options);
      return await use(client, options);
    } catch (err) {
      throw overflow.signal.aborted ? overflow.signal.reason : err;
    } finally {
      await client.close().catch(() => {});
    }
  }
}

function toolInfo(tool: { name: string; description?: string; inputSchema: object; annotations?: object }): McpToolInfo {
  return {
    name: tool.name,
    description: tool.description ?? null,
    input_schema: tool.inputSchema as Record<string, unknown>,
    annotations: tool.annotations ? (tool.annotations as Record<string, unknown>) : null,
  };
}

/** A call result's content as the text OpenAI's `mcp_call.output` holds: text blocks joined, other blocks as JSON. */
function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((block) => (block.type === 'text' ? block.text : JSON.stringify(block)));
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof ResponseTooLargeError || (err instanceof Error && err.cause instanceof ResponseTooLargeError)) {
    return (err instanceof ResponseTooLargeError ? err : (err.cause as ResponseTooLargeError)).message;
  }
  if (isTimeout(err)) return `no answer within ${timeoutMs / 1000} s.`;
  if (err instanceof SdkHttpError) return `HTTP ${err.status}${err.statusText ? ` ${err.statusText}` : ''}.`;
  if (err instanceof ProtocolError) return `${err.message} (code ${err.code}).`;
  if (err instanceof Error) return err.message;
  return String(err);
}

function isTimeout(err: unknown): boolean {
  if (err instanceof SdkError && err.code === 'REQUEST_TIMEOUT') return true;
  return err instanceof Error && (err.name === 'TimeoutError' || (err.cause instanceof Error && err.cause.name === 'TimeoutError'));
}

/** A failed call as OpenAI's MCPToolCallError: the HTTP status, or the JSON-RPC error, or a transport failure. */
function callError(err: unknown, timeoutMs: number): McpCallError {
  const message = describe(err, timeoutMs);
  if (err instanceof ResponseTooLargeError) return { type: 'mcp_protocol_error', code: -32000, message };
  if (err instanceof SdkHttpError) return { type: 'http_error', code: err.status, message: `The MCP server answered ${message}` };
  if (err instanceof ProtocolError) return { type: 'mcp_protocol_error', code: err.code, message: err.message };
  // -32001 is the JSON-RPC "request timeout" code the MCP SDKs use; -32000 a generic server/transport error.
  return { type: 'mcp_protocol_error', code: isTimeout(err) ? -32001 : -32000, message: isTimeout(err) ? `The MCP tool call timed out: ${message}` : `The MCP server could not be reached: ${message}` };
}
