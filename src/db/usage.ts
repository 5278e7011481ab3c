import type { UsageAggregate } from '../domain/usage/costs';
import type { Database } from './client';
import { usageEvents } from './schema';

export type UsageEventRow = typeof usageEvents.$inferInsert;

export async function insertUsageEvent(db: Database, row: UsageEventRow): Promise<void> {
  await insertUsageStatement(db, row);
}

/** The usage row's insert, as a statement (so it can join a D1 batch). */
export function insertUsageStatement(db: Database, row: UsageEventRow) {
  return db.insert(usageEvents).values(row);
}

/** Dimensions usage can be grouped by (column names are fixed here, never taken from a request). */
export const USAGE_GROUPS = {
  project_id: 'u.project_id',
  model: 'u.model',
  // A run's key is in its origin row; a pass-through call's (no run) in its own row (migration 0007).
  api_key_id: 'COALESCE(u.api_key_id, o.api_key_id)',
  assistant_id: 'u.assistant_id',
} as const;
export type UsageGroup = keyof typeof USAGE_GROUPS;

export interface UsageQuery {
  /** Half-open range [start, end) in unix seconds, split into buckets of `width` seconds from `start`. */
  start: number;
  end: number;
  width: number;
  groupBy: UsageGroup[];
  /** Each list, when given, restricts to those values (a project key's own project is forced here). */
  projectIds?: string[];
  models?: string[];
  apiKeyIds?: string[];
  assistantIds?: string[];
}

export type { UsageAggregate };

/**
 * Usage summed per bucket and group, read by range from the per-call rows (index on created_at).
 * The API key comes from the run's origin row (run_origins), joined here rather than copied into
 * every usage row at run time.
 */
export async function aggregateUsage(d1: D1Database, q: UsageQuery): Promise<UsageAggregate[]> {
  const where = ['u.created_at >= ?', 'u.created_at < ?'];
  const binds: (string | number)[] = [q.start, q.end];
  const inList = (column: string, values: string[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) return void where.push('0');
    where.push(`${column} IN (${values.map(() => '?').join(',')})`);
    binds.push(...values);
  };
  inList('u.project_id', q.projectIds);
  inList('u.model', q.models);
  inList(USAGE_GROUPS.api_key_id, q.apiKeyIds);
  inList('u.assistant_id', q.assistantIds);
  // Aliased apart from the columns: `project_id` alone would be ambiguous (run_origins has one too).
  const groups = q.groupBy.map((g) => `${USAGE_GROUPS[g]} AS g_${g}`);
  const groupKeys = q.groupBy.map((g) => `g_${g}`);
  const statement = `
    SELECT CAST((u.created_at - ?) / ? AS INTEGER) AS bucket, ${[...groups, ''].join(', ')}
      SUM(u.input_tokens) AS input_tokens, SUM(u.cached_tokens) AS cached_tokens, SUM(u.output_tokens) AS output_tokens,
      COUNT(*) AS requests, SUM(u.function_calls) AS function_calls, SUM(u.file_search_calls) AS file_search_calls,
      SUM(u.code_interpreter_calls) AS code_interpreter_calls,
      COUNT(DISTINCT CASE WHEN u.code_interpreter_calls > 0 THEN u.thread_id || ':' || (u.created_at / 3600) END) AS code_interpreter_sessions
    FROM usage_events u LEFT JOIN run_origins o ON o.run_id = u.run_id
    WHERE ${where.join(' AND ')}
    GROUP BY ${['bucket', ...groupKeys].join(', ')}
    ORDER BY ${['bucket', ...groupKeys].join(', ')}`;
  // D1 may bind numbers as REAL: the CAST keeps the bucket index an integer.
  const { results } = await d1.prepare(statement).bind(q.start, q.width, ...binds).all<Record<string, unknown>>();
  return results.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k.startsWith('g_') ? k.slice(2) : k] = v;
    return out as unknown as UsageAggregate;
  });
}
