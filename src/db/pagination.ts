import { and, asc, desc, gt, lt, sql, type SQL } from 'drizzle-orm';
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
  idColumn: SQLiteColumn | SQL,
  params: ListParams,
  where: SQL | undefined,
  run: (where: SQL | undefined, orderBy: SQL, limit: number) => Promise<Row[]>,
  /** The sort key of a cursor id (the id itself, or `suffixOf` with `idSuffix`). */
  keyOf: (id: string) => string = (id) => id,
): Promise<Page<Row>> {
  const forward = params.order === 'asc';
  const key: SQL = sql`${idColumn}`;
  const conds: (SQL | undefined)[] = [where];
  if (params.after !== undefined) conds.push(forward ? gt(key, keyOf(params.after)) : lt(key, keyOf(params.after)));
  if (params.before !== undefined) conds.push(forward ? lt(key, keyOf(params.before)) : gt(key, keyOf(params.before)));
  // With `before`, walk backwards from the cursor, then restore the requested order.
  const walkAscending = params.before !== undefined ? !forward : forward;
  const rows = await run(and(...conds), walkAscending ? asc(key) : desc(key), params.limit + 1);
  const hasMore = rows.length > params.limit;
  const data = rows.slice(0, params.limit);
  if (params.before !== undefined) data.reverse();
  return { data, hasMore };
}

/**
 * A list holding ids of several kinds (`msg_…`, `fc_…`, `fco_…`) sorts by what follows the prefix: the
 * creation time and counter (src/domain/ids.ts). Sorting the whole id would group the items by prefix.
 */
export const idSuffix = (column: SQLiteColumn): SQL => sql`substr(${column}, instr(${column}, '_') + 1)`;
export const suffixOf = (id: string): string => id.slice(id.indexOf('_') + 1);
