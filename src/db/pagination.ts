import { and, asc, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Cursor-list parameters after validation (src/http/pagination.ts). */
export interface ListParams {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * The one pagination query. Ids sort in creation order (src/domain/ids.ts), so the cursor is the id
 * itself: `after=X` returns what follows X in the requested order, `before=X` what immediately
 * precedes it (still in the requested order). One extra row tells `has_more`, which the SDK's
 * auto-pagination follows blindly (docs/openai-behaviour.md §3).
 */
export async function pageBy<Row>(
  idColumn: SQLiteColumn,
  params: ListParams,
  where: SQL | undefined,
  run: (where: SQL | undefined, orderBy: SQL, limit: number) => Promise<Row[]>,
): Promise<Page<Row>> {
  const forward = params.order === 'asc';
  const conds: (SQL | undefined)[] = [where];
  if (params.after !== undefined) conds.push(forward ? gt(idColumn, params.after) : lt(idColumn, params.after));
  if (params.before !== undefined) conds.push(forward ? lt(idColumn, params.before) : gt(idColumn, params.before));
  // With `before`, walk backwards from the cursor, then restore the requested order.
  const walkAscending = params.before !== undefined ? !forward : forward;
  const rows = await run(and(...conds), walkAscending ? asc(idColumn) : desc(idColumn), params.limit + 1);
  const hasMore = rows.length > params.limit;
  const data = rows.slice(0, params.limit);
  if (params.before !== undefined) data.reverse();
  return { data, hasMore };
}
