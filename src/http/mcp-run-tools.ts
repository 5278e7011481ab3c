import type { AssistantTool } from '../contract/common';
import { hasMcpSecrets, publicMcpEntry, type McpTool, type StoredMcpEntry } from '../contract/mcp-tool';
import type { Config } from '../config';
import type { McpUrlPolicy } from '../domain/mcp/url-policy';
import { checkMcpTools } from './mcp-tools';
import { importSecretsKey, sealSecrets, secretsBinding } from '../domain/runs/mcp-secrets';
import { invalidRequest } from './errors';

/**
 * The `mcp` entries of an assistant's or a run's `tools` (extension, docs/mcp-assistants.md): their
 * `server_url` checked against the same policy as the Responses API's, their `headers` and
 * `authorization` sealed (AES-GCM under MCP_SECRETS_KEY) and taken out of the entry. Without the
 * setting an entry with secrets is refused: the server will not keep them in clear.
 */
export interface PreparedTools {
  /** The tools as stored: `mcp` entries without secrets (an assistant's keep `sealed_secrets`). */
  tools: AssistantTool[];
  /** Sealed secrets by server label (what a run keeps in its internal record). */
  sealed: Record<string, string>;
}

export async function prepareMcpTools(
  tools: readonly AssistantTool[],
  context: { projectId: string; config: Config; policy: McpUrlPolicy; keepSealed: boolean; param?: string },
): Promise<PreparedTools> {
  const param = context.param ?? 'tools';
  const sealed: Record<string, string> = {};
  const out: AssistantTool[] = [];
  let key: CryptoKey | null = null;
  // The Responses side's checks: the URL policy, no connector or tunnel, one entry per server_label.
  checkMcpTools(tools as Parameters<typeof checkMcpTools>[0], context.policy);
  for (const [i, tool] of tools.entries()) {
    if (tool.type !== 'mcp') {
      out.push(tool);
      continue;
    }
    const url = tool.server_url!; // checkMcpTools refused an entry without one
    const entry: StoredMcpEntry = publicMcpEntry({ ...tool, server_url: url });
    if (hasMcpSecrets(tool)) {
      if (!context.config.mcpSecretsKey) {
        const field = tool.authorization !== undefined ? 'authorization' : 'headers';
        throw invalidRequest(
          `Invalid '${param}[${i}].${field}': this server cannot store MCP secrets because the MCP_SECRETS_KEY setting is not configured. Ask the operator to set MCP_SECRETS_KEY, or remove 'headers' and 'authorization'.`,
          `${param}[${i}].${field}`,
          'invalid_value',
        );
      }
      key ??= await importSecretsKey(context.config.mcpSecretsKey);
      const value = await sealSecrets(key, secretsOf(tool), secretsBinding(context.projectId, tool.server_label, url));
      sealed[tool.server_label] = value;
      if (context.keepSealed) entry.sealed_secrets = value;
    }
    out.push(entry as AssistantTool);
  }
  return { tools: out, sealed };
}

/** prepareMcpTools for a request's `tools` (no-op without `mcp` entries). */
export async function prepareRequestTools(
  c: { var: { services: { config: Config; mcpUrlPolicy: McpUrlPolicy } } },
  projectId: string,
  tools: readonly AssistantTool[],
  keepSealed: boolean,
): Promise<PreparedTools> {
  if (!tools.some((t) => t.type === 'mcp')) return { tools: [...tools], sealed: {} };
  const { config, mcpUrlPolicy } = c.var.services;
  return prepareMcpTools(tools, { projectId, config, policy: mcpUrlPolicy, keepSealed });
}

function secretsOf(tool: McpTool) {
  return { ...(tool.headers ? { headers: tool.headers } : {}), ...(tool.authorization !== undefined ? { authorization: tool.authorization } : {}) };
}
