import { z } from 'zod';

/**
 * The `mcp` tool entry of an assistant's or a run's `tools` (extension, docs/mcp-assistants.md): the
 * same shape as the Responses API's `MCPTool` (server_label, server_url, headers, authorization,
 * allowed_tools, require_approval, server_description). Only `server_url` servers: OpenAI's
 * `connector_id` / `tunnel_id` are not served, so they are unknown parameters (strict object).
 */

/** OpenAI's MCPToolFilter: tool names and/or the server's `readOnlyHint`. */
export const McpToolFilter = z.strictObject({
  tool_names: z.array(z.string().min(1)).optional(),
  read_only: z.boolean().optional(),
});
export type McpToolFilter = z.infer<typeof McpToolFilter>;

export const McpRequireApproval = z.union([
  z.enum(['always', 'never']),
  z.strictObject({ always: McpToolFilter.optional(), never: McpToolFilter.optional() }),
]);
export type McpRequireApproval = z.infer<typeof McpRequireApproval>;

/** A label the model's function names are built from, so it is function-name safe (and short). */
export const ServerLabel = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes');

export const McpTool = z.strictObject({
  type: z.literal('mcp'),
  server_label: ServerLabel,
  server_url: z.string().min(1).max(2048),
  server_description: z.string().max(1024).optional(),
  /** Secret: sealed before storage, never returned (docs/mcp-assistants.md "Secrets"). */
  headers: z.record(z.string().min(1).max(256), z.string().max(8192)).nullable().optional(),
  /** Secret: sent as `Authorization: Bearer …`; sealed before storage, never returned. */
  authorization: z.string().min(1).max(8192).optional(),
  allowed_tools: z.union([z.array(z.string().min(1)), McpToolFilter]).nullable().optional(),
  require_approval: McpRequireApproval.nullable().optional(),
});
export type McpTool = z.infer<typeof McpTool>;

/** The entry as stored in `run.tools` and served: the secrets are never part of it. */
export type McpToolEntry = Omit<McpTool, 'headers' | 'authorization'>;

/** The entry with its secret fields dropped (what every assistant, run and step shows). */
export function publicMcpEntry(tool: McpTool): McpToolEntry {
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
