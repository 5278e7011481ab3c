import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof database>;

/**
 * One drizzle instance per D1 binding: building it walks the whole schema (its relational config),
 * which `npm run bench`'s profile showed as several % of a run's CPU when done per request and per
 * storage call (issue 13). The binding object lives as long as the isolate's env.
 */
const instances = new WeakMap<D1Database, ReturnType<typeof create>>();
const create = (d1: D1Database) => drizzle(d1, { schema });

export function database(d1: D1Database) {
  let db = instances.get(d1);
  if (!db) instances.set(d1, (db = create(d1)));
  return db;
}

type BatchItem = Parameters<Database['batch']>[0][number];

/** D1 `batch()` is atomic (docs/platform-limits.md §1); drizzle wants a non-empty tuple. */
export async function runBatch(db: Database, statements: BatchItem[]): Promise<void> {
  if (statements.length === 0) return;
  await db.batch(statements as [BatchItem, ...BatchItem[]]);
}
