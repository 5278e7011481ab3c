import { and, inArray } from 'drizzle-orm';
import { chunksByIds, keywordSearch } from '../db/chunks';
import type { Database } from '../db/client';
import { files, vectorStoreFiles } from '../db/schema';
import type { Embedder, VectorIndex } from '../domain/ports';
import { matchesFilter, normalizeScores, reciprocalRankFusion, type Filter } from '../domain/ranking';

export interface RetrievalServices {
  db: Database;
  /** Null when no embeddings provider is configured: keyword-only retrieval, reported to callers. */
  embedder: Embedder | null;
  index: VectorIndex;
}

export type RetrievalMode = 'hybrid' | 'keyword';

export interface SearchOptions {
  queries: string[];
  maxResults: number;
  filters?: Filter;
  scoreThreshold?: number;
  /** `none` ranks by the fused order without reranking; `auto`/`default-*` are the same fusion here. */
  ranker?: string;
}

export interface SearchHit {
  chunkId: number;
  fileId: string;
  filename: string;
  score: number;
  attributes: Record<string, string | number | boolean> | null;
  text: string;
  vectorStoreId: string;
}

/** Candidates taken from each retriever before fusion and filtering. */
const CANDIDATES = 50;

/**
 * Hybrid search over vector stores: BM25 keyword search (D1 FTS5) and vector search (Vectorize or
 * the local index) for every query, fused by reciprocal rank fusion, then attribute `filters`,
 * `score_threshold` and `max_num_results`. Retrieval that is only vector-based misses exact terms
 * (identifiers, names, numbers); keyword search misses paraphrases: fusing both beats either
 * (measured: npm run bench:retrieval).
 */
export async function searchStores(
  services: RetrievalServices,
  storeIds: string[],
  options: SearchOptions,
): Promise<{ hits: SearchHit[]; mode: RetrievalMode }> {
  const { db, embedder, index } = services;
  const lists: { id: string }[][] = [];
  const queryVectors = embedder ? await embedder.embed(options.queries) : [];
  for (const storeId of storeIds) {
    for (const [i, query] of options.queries.entries()) {
      lists.push((await keywordSearch(db, storeId, query, CANDIDATES)).map((r) => ({ id: String(r.id) })));
      const vector = queryVectors[i];
      if (vector) lists.push(await index.query(storeId, vector, CANDIDATES));
    }
  }
  const fused = reciprocalRankFusion(lists).slice(0, CANDIDATES * 2);
  const rows = new Map((await chunksByIds(db, fused.map((f) => Number(f.id)))).map((c) => [String(c.id), c]));
  // Vectors can outlive their chunks briefly (Vectorize deletes are asynchronous): skip those.
  const present = fused.filter((f) => rows.has(f.id));
  const meta = await fileMeta(db, present.map((f) => rows.get(f.id)!));
  const filtered = present.filter((f) => {
    const c = rows.get(f.id)!;
    return !options.filters || matchesFilter(meta.attributes.get(`${c.vectorStoreId}/${c.fileId}`) ?? null, options.filters);
  });
  const scored = normalizeScores(filtered);
  const threshold = options.scoreThreshold ?? 0;
  const hits = scored
    .filter((s) => s.score >= threshold)
    .slice(0, options.maxResults)
    .map((s): SearchHit => {
      const c = rows.get(s.id)!;
      return {
        chunkId: c.id,
        fileId: c.fileId,
        filename: meta.names.get(c.fileId) ?? c.fileId,
        score: s.score,
        attributes: meta.attributes.get(`${c.vectorStoreId}/${c.fileId}`) ?? null,
        text: c.text,
        vectorStoreId: c.vectorStoreId,
      };
    });
  return { hits, mode: embedder ? 'hybrid' : 'keyword' };
}

async function fileMeta(db: Database, rows: { fileId: string; vectorStoreId: string }[]) {
  const fileIds = [...new Set(rows.map((r) => r.fileId))];
  const storeIds = [...new Set(rows.map((r) => r.vectorStoreId))];
  const names = new Map<string, string>();
  const attributes = new Map<string, Record<string, string | number | boolean> | null>();
  for (let i = 0; i < fileIds.length; i += 90) {
    const ids = fileIds.slice(i, i + 90);
    for (const f of await db.select({ id: files.id, filename: files.filename }).from(files).where(inArray(files.id, ids))) names.set(f.id, f.filename);
    const vsf = await db
      .select({ store: vectorStoreFiles.vectorStoreId, id: vectorStoreFiles.id, attributes: vectorStoreFiles.attributes })
      .from(vectorStoreFiles)
      .where(and(inArray(vectorStoreFiles.id, ids), inArray(vectorStoreFiles.vectorStoreId, storeIds)));
    for (const r of vsf) attributes.set(`${r.store}/${r.id}`, r.attributes ?? null);
  }
  return { names, attributes };
}
