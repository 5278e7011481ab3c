import { ResponseMcpTool } from './responses-mcp';

/**
 * The `mcp` tool entry of an assistant's or a run's `tools` (extension, docs/mcp-assistants.md): the
 * Responses API's `MCPTool` (server_label, server_url, headers, authorization, allowed_tools,
 * require_approval, server_description), with the same schema (src/contract/responses-mcp.ts): one
 * entry shape for both APIs. Only `server_url` servers are served: `connector_id` / `tunnel_id` parse, so the shared check (src/http/mcp-tools.ts
 * checkMcpTools) refuses them with OpenAI-shaped messages, as it refuses a missing `server_url`.
 */
export const McpTool = ResponseMcpTool;
export type McpTool = ResponseMcpTool;

/** The entry as stored in `run.tools` and served: the secrets are never part of it; it has a `server_url`. */
export type McpToolEntry = Omit<McpTool, 'headers' | 'authorization' | 'server_url'> & { server_url: string };

/** The entry with its secret fields dropped (what every assistant, run and step shows); `server_url` was checked present. */
export function publicMcpEntry(tool: McpTool & { server_url: string }): McpToolEntry {
  const { headers: _h, authorization: _a, ...entry } = tool;
  return entry;
}

/** Whether the entry carries a secret (headers or authorization) that must be sealed. */
export function hasMcpSecrets(tool: McpTool): boolean {
  return (tool.headers != null && Object.keys(tool.headers).length > 0) || tool.authorization !== undefined;
}

/**
 * An assistant's `mcp` entry as stored in D1: the public entry and, when it had secrets, their sealed
 * form (src/domain/runs/mcp-secrets.ts). `sealed_secrets` never leaves the server: toAssistantObject
 * drops it, and a run keeps it in its internal record, not in `run.tools`.
 */
export type StoredMcpEntry = McpToolEntry & { sealed_secrets?: string };

/** Tools as served: each `mcp` entry without `sealed_secrets` (and without secrets, which are never stored). */
export function servedTools<T extends { type: string }>(tools: readonly T[]): T[] {
  return tools.map((t) => {
    if (t.type !== 'mcp') return t;
    const { sealed_secrets: _s, headers: _h, authorization: _a, ...entry } = t as unknown as StoredMcpEntry & McpTool;
    return entry as unknown as T;
  });
}

/** The sealed secrets of stored tools, by server label. */
export function sealedSecretsOf(tools: readonly { type: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tools) {
    const entry = t as StoredMcpEntry;
    if (t.type === 'mcp' && entry.sealed_secrets) out[entry.server_label] = entry.sealed_secrets;
  }
  return out;
}
