import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './client';
import { chunks } from './schema';

export type ChunkRow = typeof chunks.$inferSelect;
export type NewChunk = Omit<ChunkRow, 'id'>;

/** 6 bound columns a row: 16 rows a statement stays under D1's 100 bound parameters. */
const ROWS_PER_INSERT = 16;

/** Inserts chunks (the FTS5 triggers index them) and returns their ids in order. */
export async function insertChunks(db: Database, rows: NewChunk[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const inserted = await db.insert(chunks).values(rows.slice(i, i + ROWS_PER_INSERT)).returning({ id: chunks.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Deletes a file's chunks in a store (FTS entries go with them) and returns the deleted ids. */
export async function deleteChunks(db: Database, storeId: string, fileId?: string): Promise<number[]> {
  const where = fileId ? and(eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId)) : eq(chunks.vectorStoreId, storeId);
  const rows = await db.delete(chunks).where(where).returning({ id: chunks.id });
  return rows.map((r) => r.id);
}

export async function chunksByIds(db: Database, ids: number[]): Promise<ChunkRow[]> {
  const out: ChunkRow[] = [];
  for (let i = 0; i < ids.length; i += 90) out.push(...(await db.select().from(chunks).where(inArray(chunks.id, ids.slice(i, i + 90)))));
  return out;
}

export async function chunksOfFile(db: Database, storeId: string, fileId: string): Promise<ChunkRow[]> {
  return db
    .select()
    .from(chunks)
    .where(and(eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId)))
    .orderBy(asc(chunks.chunkIndex));
}

/** FTS5 query text: every word of the query as a quoted term, any of them (BM25 ranks the rest). */
export function ftsQuery(query: string): string | null {
  const terms = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const unique = [...new Set(terms)].slice(0, 64);
  return unique.length ? unique.map((t) => `"${t}"`).join(' OR ') : null;
}

/** Keyword search in one store: chunk ids best first by BM25 (FTS5's `bm25()`, lower is better). */
export async function keywordSearch(db: Database, storeId: string, query: string, limit: number): Promise<{ id: number; bm25: number }[]> {
  const match = ftsQuery(query);
  if (!match) return [];
  const rows = await db.all<{ id: number; rank: number }>(sql`
    SELECT c.id AS id, bm25(chunks_fts) AS rank
    FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
    WHERE chunks_fts MATCH ${match} AND c.vector_store_id = ${storeId}
    ORDER BY rank LIMIT ${limit}`);
  return rows.map((r) => ({ id: r.id, bm25: r.rank }));
}
