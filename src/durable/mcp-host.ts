import type { McpClient, McpToolInfo } from '../domain/mcp/port';
import { importSecretsKey, McpSecretsError, openSecrets, secretsBinding } from '../domain/runs/mcp-secrets';
import type { McpHost, McpToolLists } from '../tools/mcp/host';
import type { RunRecords } from './run-store';

/**
 * The thread object's side of the `mcp` tool (docs/mcp-assistants.md): the run's sealed secrets opened
 * with MCP_SECRETS_KEY, and the thread's tool lists kept in its SQLite (`mcp_tool_lists`, storage.ts
 * migration 5), so a thread lists a server's tools once per configuration, not once per run.
 */
export function mcpHost(deps: {
  client: () => McpClient;
  secretsKey: () => string | undefined;
  store: Pick<RunRecords, 'get'>;
  sql: SqlStorage;
}): McpHost {
  let key: Promise<CryptoKey> | null = null;
  return {
    client: deps.client,
    async secretsFor(runId, projectId, entry) {
      const sealed = deps.store.get(runId)?.internal.mcpSealed?.[entry.server_label];
      if (!sealed) return null;
      const raw = deps.secretsKey();
      if (!raw) throw new McpSecretsError(`The MCP server '${entry.server_label}' needs its stored secrets, but the MCP_SECRETS_KEY setting is not configured.`);
      key ??= importSecretsKey(raw);
      return openSecrets(await key, sealed, secretsBinding(projectId, entry.server_label, entry.server_url));
    },
    lists: sqlToolLists(deps.sql),
  };
}

export function sqlToolLists(sql: SqlStorage): McpToolLists {
  return {
    get(serverLabel, configKey) {
      const row = sql.exec<{ tools: string }>('SELECT tools FROM mcp_tool_lists WHERE server_label = ? AND config_key = ?', serverLabel, configKey).toArray()[0];
      return row ? (JSON.parse(row.tools) as McpToolInfo[]) : null;
    },
    put(serverLabel, configKey, tools) {
      sql.exec(
        'INSERT OR REPLACE INTO mcp_tool_lists (server_label, config_key, tools, listed_at) VALUES (?, ?, ?, ?)',
        serverLabel,
        configKey,
        JSON.stringify(tools),
        Date.now(),
      );
    },
  };
}
