/**
 * The thread Durable Object's own SQLite schema, as numbered migrations applied in the constructor
 * (inside blockConcurrencyWhile, so no request sees a half-migrated store). Runs, their steps and
 * the run lock live here, next to the executor (docs/architecture.md §1 and docs/storage.md §2).
 */
import { ACTIVE_RUN_STATUSES } from '../domain/runs/state';

const MIGRATIONS: string[][] = [
  [
    `CREATE TABLE IF NOT EXISTS runs (
       id TEXT PRIMARY KEY,
       status TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       data TEXT NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS runs_status ON runs (status)`,
  ],
  [
    `ALTER TABLE runs ADD COLUMN internal TEXT NOT NULL DEFAULT '{}'`,
    `CREATE TABLE IF NOT EXISTS steps (
       id TEXT PRIMARY KEY,
       run_id TEXT NOT NULL,
       status TEXT NOT NULL,
       data TEXT NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS steps_run ON steps (run_id, id)`,
    // Which project owns this thread: lets the object answer "No thread found" without D1.
    `CREATE TABLE IF NOT EXISTS thread_meta (id TEXT PRIMARY KEY, project_id TEXT NOT NULL)`,
  ],
  [
    // Calls of hosted tools (file_search) as the model made them and the output it was given: the
    // API's step objects do not carry either, but the next model call's prompt needs both.
    `CREATE TABLE IF NOT EXISTS hosted_calls (
       call_id TEXT PRIMARY KEY,
       run_id TEXT NOT NULL,
       name TEXT NOT NULL,
       arguments TEXT NOT NULL,
       output TEXT NOT NULL,
       passages TEXT NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS hosted_calls_run ON hosted_calls (run_id, call_id)`,
  ],
  [
    // Files the run's code produced (images and files written to /mnt/data), for the message that
    // follows: image_file parts and file_path annotations.
    `CREATE TABLE IF NOT EXISTS sandbox_outputs (
       file_id TEXT PRIMARY KEY,
       run_id TEXT NOT NULL,
       kind TEXT NOT NULL,
       path TEXT NOT NULL,
       shown INTEGER NOT NULL DEFAULT 0
     )`,
    `CREATE INDEX IF NOT EXISTS sandbox_outputs_run ON sandbox_outputs (run_id, file_id)`,
  ],
  [
    // The thread's MCP server tool lists (src/durable/mcp-host.ts): one per server label, replaced when
    // the server's configuration (URL, credentials: `config_key`, a digest) changes.
    `CREATE TABLE IF NOT EXISTS mcp_tool_lists (
       server_label TEXT PRIMARY KEY,
       config_key TEXT NOT NULL,
       tools TEXT NOT NULL,
       listed_at INTEGER NOT NULL
     )`,
  ],
];


/** Whether the schema was ever created here (a read: it writes nothing). */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").toArray().length > 0;
}

export function migrate(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY)');
  const row = sql.exec<{ v: number | null }>('SELECT MAX(version) AS v FROM _migrations').one();
  const current = row.v ?? 0;
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    for (const statement of MIGRATIONS[version - 1]!) sql.exec(statement);
    sql.exec('INSERT INTO _migrations (version) VALUES (?)', version);
  }
}

/** The run lock: the id of the thread's one active run, if any. */
export function activeRunId(sql: SqlStorage): string | null {
  const rows = sql
    .exec<{ id: string }>(
      `SELECT id FROM runs WHERE status IN (${ACTIVE_RUN_STATUSES.map(() => '?').join(',')}) LIMIT 1`,
      ...ACTIVE_RUN_STATUSES,
    )
    .toArray();
  return rows[0]?.id ?? null;
}

export function threadOwner(sql: SqlStorage): { id: string; projectId: string } | null {
  const row = sql.exec<{ id: string; project_id: string }>('SELECT id, project_id FROM thread_meta LIMIT 1').toArray()[0];
  return row ? { id: row.id, projectId: row.project_id } : null;
}

export function setThreadOwner(sql: SqlStorage, id: string, projectId: string): void {
  sql.exec('INSERT OR REPLACE INTO thread_meta (id, project_id) VALUES (?, ?)', id, projectId);
}
