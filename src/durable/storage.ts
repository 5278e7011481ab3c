/**
 * The thread Durable Object's own SQLite schema, as numbered migrations applied in the constructor
 * (inside blockConcurrencyWhile, so no request sees a half-migrated store). Runs, their steps and
 * the run lock live here, next to the executor (architecture §1).
 */
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
];

export const ACTIVE_RUN_STATUSES = ['queued', 'in_progress', 'requires_action', 'cancelling'] as const;

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
