import type { McpToolEntry } from '../../contract/mcp-tool';
import type { McpClient, McpToolInfo } from '../../domain/mcp/port';
import type { McpSecrets } from '../../domain/runs/mcp-secrets';

/** What the `mcp` tool of runs needs from its host (the thread object, src/durable/mcp-host.ts). */
export interface McpHost {
  /** The Streamable HTTP client (src/adapters/mcp), with the MCP_* time limits and size bound. */
  client(): McpClient;
  /** The run's secrets for one of its servers, opened; null when the entry has none. Throws McpSecretsError. */
  secretsFor(runId: string, projectId: string, entry: McpToolEntry): Promise<McpSecrets | null>;
  /** The thread's server tool lists (its object's storage): listed once per thread and server configuration. */
  lists: McpToolLists;
}

export interface McpToolLists {
  /** The list kept for the server label, when it was made with the same configuration (`configKey`). */
  get(serverLabel: string, configKey: string): McpToolInfo[] | null;
  /** Keeps the list, replacing the label's list of any other configuration. */
  put(serverLabel: string, configKey: string, tools: McpToolInfo[]): void;
}
