import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { byKey } from './project-scope';
import type { Database } from './client';
import { chunks, files, vectorStoreFiles } from './schema';

export type ChunkRow = typeof chunks.$inferSelect;
export type NewChunk = Omit<ChunkRow, 'id'>;

/** 7 bound columns a row: 14 rows a statement stays under D1's 100 bound parameters. */
const ROWS_PER_INSERT = 14;

/** Inserts chunks (the FTS5 triggers index them) and returns their ids in order. */
export async function insertChunks(db: Database, rows: NewChunk[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const inserted = await db.insert(chunks).values(rows.slice(i, i + ROWS_PER_INSERT)).returning({ id: chunks.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/**
 * Deletes a file's chunks in a store (FTS entries go with them) and returns the deleted ids:
 * all of them, or only those one ingestion claim wrote (`claim`), or all but those (`exceptClaim`).
 */
export async function deleteChunks(
  db: Database,
  storeId: string,
  fileId?: string,
  only: { claim?: number; exceptClaim?: number } = {},
): Promise<number[]> {
  const where = byKey(
    chunks,
    'parent found in project',
    eq(chunks.vectorStoreId, storeId),
    fileId === undefined ? undefined : eq(chunks.fileId, fileId),
    only.claim === undefined ? undefined : eq(chunks.claim, only.claim),
    only.exceptClaim === undefined ? undefined : ne(chunks.claim, only.exceptClaim),
  );
  const rows = await db.delete(chunks).where(where).returning({ id: chunks.id });
  return rows.map((r) => r.id);
}

/** IDs bound a statement for `chunkHits` (D1: at most 100 bound parameters). */
const HIT_IDS_PER_STATEMENT = 90;

/**
 * Search results' chunks with their file's name and their vector-store file's attributes, in one D1
 * round trip (a batch of one statement per 90 ids): chunks, then file names and attributes, one after
 * the other, were four dependent round trips in every search. `filename` and `attributes` are null
 * when the file or its vector-store file is gone.
 */
export async function chunkHits(db: Database, ids: number[]): Promise<ChunkHit[]> {
  if (ids.length === 0) return [];
  const statements = [];
  for (let i = 0; i < ids.length; i += HIT_IDS_PER_STATEMENT) {
    statements.push(
      db
        .select({
          id: chunks.id,
          vectorStoreId: chunks.vectorStoreId,
          fileId: chunks.fileId,
          text: chunks.text,
          filename: files.filename,
          attributes: vectorStoreFiles.attributes,
        })
        .from(chunks)
        .leftJoin(files, byKey(files, 'parent found in project', eq(files.id, chunks.fileId))!)
        .leftJoin(vectorStoreFiles, byKey(vectorStoreFiles, 'parent found in project', eq(vectorStoreFiles.vectorStoreId, chunks.vectorStoreId), eq(vectorStoreFiles.id, chunks.fileId))!)
        .where(byKey(chunks, 'parent found in project', inArray(chunks.id, ids.slice(i, i + HIT_IDS_PER_STATEMENT)))),
    );
  }
  return (await db.batch(statements as [(typeof statements)[number]])).flat();
}

/**
 * A retry takes over the chunks an earlier attempt wrote (stamping them with its claim) and gets
 * their index and text in chunk order, to resume from them instead of writing them again.
 */
export async function adoptChunks(db: Database, storeId: string, fileId: string, claim: number) {
  const rows = await db
    .update(chunks)
    .set({ claim })
    .where(byKey(chunks, 'internal', eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId)))
    .returning({ id: chunks.id, chunkIndex: chunks.chunkIndex, text: chunks.text });
  return rows.sort((a, b) => a.chunkIndex - b.chunkIndex || a.id - b.id);
}

export async function chunksOfFile(db: Database, storeId: string, fileId: string): Promise<ChunkRow[]> {
  return db
    .select()
    .from(chunks)
    .where(byKey(chunks, 'parent found in project', eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId)))
    .orderBy(asc(chunks.chunkIndex));
}

/**
 * Words too common to say anything about relevance. OR-ing them into the query made BM25 score
 * nearly every chunk (measured: 140 ms of a 165 ms search at 100k chunks; 15 ms without them).
 */
const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my ' +
    'no not of on or our so than that the their them then there these they this those to was we were what when where ' +
    'which who whom why will with would you your about after all also any because before being between both each few ' +
    'more most other over same should some such through under until very while').split(' '),
);

/** FTS5 query text: the query's words (stopwords dropped unless nothing else is left), any of them. */
export function ftsQuery(query: string): string | null {
  const terms = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [])];
  const meaningful = terms.filter((t) => !STOPWORDS.has(t));
  const chosen = (meaningful.length > 0 ? meaningful : terms).slice(0, 64);
  return chosen.length ? chosen.map((t) => `"${t}"`).join(' OR ') : null;
}

/** A search candidate's chunk, with its file's name and its vector-store file's attributes (null when gone). */
export interface ChunkHit {
  id: number;
  vectorStoreId: string;
  fileId: string;
  text: string;
  filename: string | null;
  attributes: Record<string, string | number | boolean> | null;
}

/**
 * Keyword search in one store: its chunks best first by BM25 (FTS5's `rank`, which is `bm25()`; lower
 * is better), each with what a result needs (`ChunkHit`), so that a search reads no keyword
 * candidate's chunk a second time. FTS5 sorts its matches by rank itself (ORDER BY its `rank` column),
 * and CROSS JOIN keeps it the outer loop, so the store filter looks up chunks one by one in rank order
 * and stops at `limit`: the joins run for those rows only, not for every match before a sort of all
 * of them (and SQLite, which has no statistics here, cannot choose to walk the store's whole chunk
 * index instead). The file and vector-store file are reached through the chunk's keys, as in
 * `chunkHits`: the caller found the store in its project ('parent found in project').
 */
export async function keywordSearch(db: Database, storeId: string, query: string, limit: number): Promise<(ChunkHit & { bm25: number })[]> {
  const match = ftsQuery(query);
  if (!match) return [];
  const rows = await db.all<{ id: number; rank: number; store: string; file: string; text: string; filename: string | null; attributes: string | null }>(sql`
    SELECT c.id AS id, chunks_fts.rank AS rank, c.vector_store_id AS store, c.file_id AS file, c.text AS text,
      f.filename AS filename, v.attributes AS attributes
    FROM chunks_fts CROSS JOIN chunks c ON c.id = chunks_fts.rowid
      LEFT JOIN files f ON f.id = c.file_id
      LEFT JOIN vector_store_files v ON v.vector_store_id = c.vector_store_id AND v.id = c.file_id
    WHERE chunks_fts MATCH ${match} AND c.vector_store_id = ${storeId}
    ORDER BY chunks_fts.rank LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    bm25: r.rank,
    vectorStoreId: r.store,
    fileId: r.file,
    text: r.text,
    filename: r.filename,
    attributes: r.attributes === null ? null : (JSON.parse(r.attributes) as ChunkHit['attributes']),
  }));
}
