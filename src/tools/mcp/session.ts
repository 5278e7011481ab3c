import type { McpToolEntry } from '../../contract/mcp-tool';
import { McpListError, type McpTarget, type McpToolInfo } from '../../domain/mcp/port';
import { sha256Hex } from '../../domain/keys';
import { isAllowedTool } from '../../domain/mcp/tool-config';
import { mcpFunctionDefinition, mcpFunctions, type McpFunction } from '../../domain/runs/mcp-functions';
import { requestHeaders } from '../../domain/runs/mcp-secrets';
import type { Run } from '../../domain/runs/types';
import type { ChatToolDefinition } from '../../domain/ports';
import type { McpHost } from './host';

/** A run's MCP servers for one model call: where each is, and the functions its allowed tools became. */
export interface McpSession {
  functions: Map<string, McpFunction & { entry: McpToolEntry; target: McpTarget }>;
  definitions: ChatToolDefinition[];
}

/**
 * The key a server's tool list is kept under in the thread: its URL and the headers sent (a changed
 * URL or credential lists again: another user's token may see other tools). A digest, so the stored
 * key holds no secret.
 */
export async function listKey(target: McpTarget): Promise<string> {
  const headers = Object.entries(target.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify([target.url, headers]));
}

/**
 * Opens the run's `mcp` entries: secrets unsealed, tools listed (once per thread and configuration,
 * then read from the thread's storage), the allowed ones turned into functions. A server whose tools
 * cannot be listed throws McpListError naming it (the run fails with that message, as OpenAI's
 * Responses API fails a response whose tool list cannot be retrieved).
 */
export async function openSession(run: Run, projectId: string, host: McpHost, signal: AbortSignal): Promise<McpSession> {
  const entries = run.tools.filter((t): t is McpToolEntry & { type: 'mcp' } => t.type === 'mcp');
  const servers: { entry: McpToolEntry; target: McpTarget; tools: McpToolInfo[] }[] = [];
  for (const entry of entries) {
    const secrets = await host.secretsFor(run.id, projectId, entry);
    const target: McpTarget = { url: entry.server_url, headers: requestHeaders(secrets) };
    const key = await listKey(target);
    let tools = host.lists.get(entry.server_label, key);
    if (!tools) {
      try {
        tools = await host.client().listTools(target, signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        const why = err instanceof Error ? err.message : String(err);
        throw new McpListError(`Error retrieving tool list from MCP server '${entry.server_label}': ${why}`);
      }
      host.lists.put(entry.server_label, key, tools);
    }
    servers.push({ entry, target, tools: tools.filter((t) => isAllowedTool(entry.allowed_tools, t)) });
  }
  const taken = run.tools.flatMap((t) => (t.type === 'function' ? [t.function.name] : []));
  const named = mcpFunctions(
    servers.map((s) => ({ serverLabel: s.entry.server_label, ...(s.entry.server_description ? { serverDescription: s.entry.server_description } : {}), tools: s.tools })),
    taken,
  );
  const functions = new Map(
    named.map((fn) => {
      const server = servers.find((s) => s.entry.server_label === fn.serverLabel)!;
      return [fn.name, { ...fn, entry: server.entry, target: server.target }] as const;
    }),
  );
  return { functions, definitions: named.map(mcpFunctionDefinition) };
}
