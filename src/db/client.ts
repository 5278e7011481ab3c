import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof database>;

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

type BatchItem = Parameters<Database['batch']>[0][number];

/** D1 `batch()` is atomic (docs/platform-limits.md §1); drizzle wants a non-empty tuple. */
export async function runBatch(db: Database, statements: BatchItem[]): Promise<void> {
  if (statements.length === 0) return;
  await db.batch(statements as [BatchItem, ...BatchItem[]]);
}
