import type { ChatMessage } from '../../domain/ports';
import type { HostedFunctionCall } from '../../domain/responses/hosted-calls';
import type { HostedOptions } from '../../domain/responses/projection-options';
import type { ResponseObject } from '../../domain/responses/types';
import type { Env } from '../../env';
import { services } from '../../services';
import type { HostedCall, ResponseToolPorts, ResponseToolSession } from '../../tools/hosted-tool';
import { HOSTED_TOOLS } from '../../tools/registry';
import { McpServerSession } from '../../tools/mcp/responses';
import { ChatModelError, type ChatRequest } from '../../domain/ports';
import type { McpToolInfo } from '../../domain/mcp/port';
import type { McpApproval } from '../../domain/responses/mcp';

/**
 * What a response's MCP tools need beyond its stored state (docs/mcp.md): the headers of each server
 * (secrets: kept in the response object's memory, never in its storage), the tool lists the context
 * already holds, and the approvals this request's input gives.
 */
export interface McpStart {
  headers: Record<string, Record<string, string>>;
  listed: Record<string, McpToolInfo[]>;
  approvals: McpApproval[];
}

/**
 * A response's hosted tools for one execution (docs/responses.md "Hosted tools"): each `tools[]` entry of
 * a tool the registry serves in the Responses API, prepared once, by the function name the model calls.
 */
export class ResponseHostedTools {
  private constructor(
    private readonly sessions: Map<string, ResponseToolSession>,
    /** The response's MCP servers by `server_label` (docs/mcp.md). */
    readonly mcp: ReadonlyMap<string, McpServerSession>,
  ) {}

  static async prepare(env: Env, projectId: string, response: ResponseObject, include: readonly string[], signal: AbortSignal, mcp?: McpStart): Promise<ResponseHostedTools> {
    const ports: ResponseToolPorts = {
      db: () => services(env).db,
      retrieval: () => services(env).retrieval,
      files: env.FILES,
      code: () => {
        const executor = services(env).codeExecutor();
        return executor ? { executor, timeoutSeconds: services(env).config.codeExecutionTimeoutSeconds } : null;
      },
    };
    const context = { projectId, model: response.model, include };
    const sessions = new Map<string, ResponseToolSession>();
    for (const tool of HOSTED_TOOLS) {
      const config = response.tools.find((t) => t.type === tool.type);
      if (!config || !tool.responses) continue;
      const session = await tool.responses.prepare(config, context, ports, signal);
      if (session) sessions.set(tool.functionName, session);
    }
    const servers = new Map<string, McpServerSession>();
    for (const config of response.tools) {
      if (config.type !== 'mcp') continue;
      // The headers live in this object's memory only (docs/mcp.md "Secrets"): an execution started again
      // after an eviction no longer has them.
      if (!mcp) throw new ChatModelError('server_error', 'The response was interrupted before it began; its MCP tools cannot be used again without their headers. Create the response again.', false);
      servers.set(config.server_label, new McpServerSession(config, { url: config.server_url, headers: mcp.headers[config.server_label] ?? {} }, mcp.listed[config.server_label], services(env).mcp));
    }
    return new ResponseHostedTools(sessions, servers);
  }

  /** The MCP servers' tool lists still to fetch (each shown as an `mcp_list_tools` item). */
  preludes(): Array<NonNullable<ResponseToolSession['prelude']>> {
    return [...this.mcp.values()].flatMap((s) => (s.prelude ? [s.prelude] : []));
  }

  /**
   * The request with the MCP servers' functions added (after their lists are known), each answered by its
   * server's session; named apart from the request's own functions and each other.
   */
  withMcpFunctions(request: ChatRequest): ChatRequest {
    if (this.mcp.size === 0) return request;
    const taken = new Set([...(request.tools ?? []).map((t) => t.function.name), ...this.sessions.keys()]);
    const added = [...this.mcp.values()].flatMap((server) => {
      const functions = server.functions(taken);
      for (const f of functions) this.sessions.set(f.function.name, server);
      return functions;
    });
    if (added.length > 0) return { ...request, tools: [...(request.tools ?? []), ...added] };
    if (request.tools?.length) return request;
    // No function at all (the servers' lists failed or allow nothing): no tool choice either.
    const { toolChoice: _choice, parallelToolCalls: _parallel, ...rest } = request;
    return rest;
  }

  /** What the projection needs: which calls to collect, and the answer's annotations. */
  get options(): HostedOptions {
    return {
      functions: new Set(this.sessions.keys()),
      annotate: (text: string) => [...this.sessions.values()].flatMap((s) => s.annotate(text)),
    };
  }

  session(name: string): ResponseToolSession {
    return this.sessions.get(name)!;
  }
}

/** The model's hosted calls and their outputs as the next model call reads them (as runs send them). */
export function hostedTurnMessages(calls: readonly HostedFunctionCall[], outputs: readonly string[]): ChatMessage[] {
  return [
    { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments } })) },
    ...calls.map((c, i): ChatMessage => ({ role: 'tool', tool_call_id: c.callId, content: outputs[i]! })),
  ];
}

export const asHostedCall = (c: HostedFunctionCall): HostedCall => ({ id: c.callId, name: c.name, arguments: c.arguments });
