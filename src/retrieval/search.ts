import { chunkHits, keywordSearch, type ChunkHit } from '../db/chunks';
import { embedQueries } from './query-embeddings';
import { nextTurn } from '../adapters/event-loop';
import type { Database } from '../db/client';
import type { Embedder, VectorIndex } from '../domain/ports';
import { StageTimings } from '../observability/stage-timings';
import { matchesFilter, reciprocalRankFusion, type Filter, type Scored } from '../domain/ranking';
import {
  maxFusedScore,
  planRanking,
  preparePassage,
  queryTerms,
  relevance,
  termCoverage,
  type RankingPlan,
  type RankingRequest,
  type SearchMode,
} from '../domain/retrieval/ranking-options';

export interface RetrievalServices {
  db: Database;
  /** Null when no embeddings provider is configured: keyword-only retrieval, reported to callers. */
  embedder: Embedder | null;
  index: VectorIndex;
  /** Where a search's time goes (the route's `Server-Timing` header); optional. */
  timings?: StageTimings;
}

export type RetrievalMode = SearchMode;

export interface SearchOptions extends RankingRequest {
  queries: string[];
  maxResults: number;
  filters?: Filter;
  scoreThreshold?: number;
  /** The queries' embeddings, already started by `prefetchQueryEmbeddings` for these same queries. */
  queryVectors?: Promise<number[][]>;
}

export interface SearchHit {
  chunkId: number;
  fileId: string;
  filename: string;
  score: number;
  attributes: Record<string, string | number | boolean> | null;
  text: string;
  vectorStoreId: string;
  /** What each stage computed for this hit (the `ranking_details` extension, docs/openai-behaviour.md). */
  details: RankingDetails;
}

/**
 * A hit's figures from each ranking stage. Ranks count from 1 and are the best over the queries (and
 * stores) searched; null when that retriever did not return the chunk (or did not run).
 */
export interface RankingDetails {
  mode: RetrievalMode;
  /** `relevance` (the default re-ranker) or `none` (fused order): which formula made `score`. */
  ranker: 'relevance' | 'none';
  keyword_rank: number | null;
  /** FTS5 BM25, sign flipped so that higher is better (SQLite's bm25() is negative). */
  keyword_score: number | null;
  vector_rank: number | null;
  /** Cosine similarity of the query and chunk embeddings. */
  vector_score: number | null;
  fused_rank: number;
  /** Weighted reciprocal rank fusion: the sum of weight / (60 + rank) over the lists. */
  fused_score: number;
  /** The result's `score`. */
  score: number;
}

/**
 * Starts the queries' embeddings ahead of the search, when the search will need them, so that a
 * caller can overlap them with its own lookups (the search route: with the store's); pass the
 * promise as `SearchOptions.queryVectors`. It belongs to the calling request: a Worker's unfinished
 * promises do not outlive the request that made them, so none is shared between requests. Null when
 * the search would not embed (keyword only, no embedder, or options it will refuse).
 */
export function prefetchQueryEmbeddings(services: RetrievalServices, options: Pick<SearchOptions, 'queries' | keyof RankingRequest>): Promise<number[][]> | null {
  if (!services.embedder) return null;
  let plan: RankingPlan;
  try {
    plan = planRanking(options, true);
  } catch {
    return null;
  }
  if (plan.embeddingWeight <= 0) return null;
  const vectors = embedQueries(services.embedder, options.queries);
  vectors.catch(() => undefined); // awaited by the search; no unhandled rejection if it never runs
  return vectors;
}

/** Candidates taken from each retriever before fusion and filtering. */
const CANDIDATES = 50;
/** RRF's k (Cormack et al. 2009). */
const RRF_K = 60;

/**
 * Search over vector stores: BM25 keyword search (D1 FTS5) and/or vector search (Vectorize or the
 * local index) for every query, as `search_mode` and `ranking_options` say (their meaning:
 * src/domain/retrieval/ranking-options.ts), fused by weighted reciprocal rank fusion, re-ranked by
 * relevance unless `ranker: none`, then attribute `filters`, `score_threshold` and
 * `max_num_results`. Defaults measured by `npm run bench:retrieval` (README, retrieval).
 * Throws RankingOptionError for a mode this deployment cannot serve (the route makes it a 400).
 */
export async function searchStores(
  services: RetrievalServices,
  storeIds: string[],
  options: SearchOptions,
): Promise<{ hits: SearchHit[]; mode: RetrievalMode }> {
  const { db, embedder, index } = services;
  const timings = services.timings ?? new StageTimings();
  const plan = planRanking(options, embedder !== null);
  // The query embedding (a network call), the keyword searches and then the vector searches overlap:
  // deployed, hybrid costs about the slower retriever, not the sum (docs/platform-limits.md §2: under
  // the local runtime they do not run in parallel, and their times add up). The vector index's own
  // small reads (its cache version) are sent first, so that they do not wait behind the keyword query.
  const vectorSearch = embedder !== null && plan.embeddingWeight > 0;
  if (vectorSearch) for (const storeId of storeIds) index.prepare?.(storeId);
  const vectorsPromise = vectorSearch ? timings.time('embed', () => options.queryVectors ?? embedQueries(embedder!, options.queries)) : Promise.resolve([] as number[][]);
  vectorsPromise.catch(() => undefined); // awaited below; avoids an unhandled rejection meanwhile
  // The embeddings request leaves before the keyword query is sent (event-loop.ts: locally it reached
  // the embeddings server 20 ms into a 100k-chunk search without this turn, 0 ms with it).
  if (vectorSearch && plan.textWeight > 0) await nextTurn();
  const pairs = storeIds.flatMap((storeId) => options.queries.map((query, i) => ({ storeId, query, i })));
  const keywordLists = plan.textWeight > 0 ? timings.time('keyword', () => Promise.all(pairs.map((p) => keywordSearch(db, p.storeId, p.query, CANDIDATES)))) : Promise.resolve([]);
  keywordLists.catch(() => undefined); // awaited below, unless the embedding fails first
  const queryVectors = await vectorsPromise;
  const vectorQueries = () => Promise.all(pairs.map((p) => (queryVectors[p.i] ? index.query(p.storeId, queryVectors[p.i]!, CANDIDATES) : Promise.resolve(null))));
  const vectorLists = vectorSearch ? timings.time('vector', vectorQueries) : vectorQueries();
  const [keywordResults, vectorResults] = await Promise.all([keywordLists, vectorLists]);
  const fuseStart = performance.now();
  const lists: { id: string }[][] = [];
  const weights: number[] = [];
  /** Best cosine similarity of each chunk to any query, from the vector lists. */
  const cosines = new Map<string, number>();
  /** Best keyword and vector rank (and BM25) of each chunk, for ranking_details. */
  const keywordBest = new Map<string, { rank: number; bm25: number }>();
  const vectorBest = new Map<string, number>();
  pairs.forEach((_, j) => {
    const keyword = keywordResults[j];
    if (keyword) {
      keyword.forEach((r, i) => {
        const id = String(r.id);
        const prev = keywordBest.get(id);
        keywordBest.set(id, { rank: Math.min(prev?.rank ?? Infinity, i + 1), bm25: Math.max(prev?.bm25 ?? -Infinity, -r.bm25) });
      });
      lists.push(keyword.map((r) => ({ id: String(r.id) })));
      weights.push(plan.textWeight);
    }
    const matches = vectorResults[j];
    if (matches) {
      matches.forEach((m, i) => vectorBest.set(m.id, Math.min(vectorBest.get(m.id) ?? Infinity, i + 1)));
      for (const m of matches) cosines.set(m.id, Math.max(cosines.get(m.id) ?? -1, m.score));
      lists.push(matches);
      weights.push(plan.embeddingWeight);
    }
  });
  const fused = reciprocalRankFusion(lists, RRF_K, weights).slice(0, CANDIDATES * 2);
  const fusedRank = new Map(fused.map((f, i) => [f.id, { rank: i + 1, score: f.score }]));
  timings.add('fuse', performance.now() - fuseStart);
  const rows = await timings.time('chunks', () => fusedChunks(db, fused, keywordResults.flat()));
  // Vectors can outlive their chunks briefly (Vectorize deletes are asynchronous): skip those.
  const present = fused.filter((f) => rows.has(f.id));
  const filtered = present.filter((f) => !options.filters || matchesFilter(rows.get(f.id)!.attributes ?? null, options.filters));
  const scored = timings.timeSync('rerank', () =>
    plan.rerank ? rerank(filtered, rows, cosines, options.queries, plan) : rankScores(filtered, plan, options.queries.length),
  );
  const threshold = options.scoreThreshold ?? 0;
  const hits = scored
    .filter((s) => s.score >= threshold)
    .slice(0, options.maxResults)
    .map((s): SearchHit => {
      const c = rows.get(s.id)!;
      return {
        chunkId: c.id,
        fileId: c.fileId,
        filename: c.filename ?? c.fileId,
        score: s.score,
        attributes: c.attributes ?? null,
        text: c.text,
        vectorStoreId: c.vectorStoreId,
        details: {
          mode: plan.mode,
          ranker: plan.rerank ? 'relevance' : 'none',
          keyword_rank: keywordBest.get(s.id)?.rank ?? null,
          keyword_score: round6(keywordBest.get(s.id)?.bm25),
          vector_rank: vectorBest.get(s.id) ?? null,
          vector_score: round6(cosines.get(s.id)),
          fused_rank: fusedRank.get(s.id)!.rank,
          fused_score: round6(fusedRank.get(s.id)!.score)!,
          score: s.score,
        },
      };
    });
  return { hits, mode: plan.mode };
}

/**
 * The fused candidates' chunks by id: the keyword candidates' came with the keyword query; the
 * others (found by vector search only) are read now, in one D1 round trip.
 */
async function fusedChunks(db: Database, fused: Scored[], keywordHits: ChunkHit[]): Promise<Map<string, ChunkHit>> {
  const rows = new Map<string, ChunkHit>();
  for (const c of keywordHits) rows.set(String(c.id), c);
  const missing = fused.filter((f) => !rows.has(f.id)).map((f) => Number(f.id));
  for (const c of await chunkHits(db, missing)) rows.set(String(c.id), c);
  return rows;
}

const round6 = (n: number | undefined) => (n === undefined ? null : Math.round(n * 1e6) / 1e6);

/** `ranker: none`: fused order; score = fused RRF over its largest possible value. */
function rankScores(fused: Scored[], plan: RankingPlan, queries: number): Scored[] {
  const max = maxFusedScore(plan, queries, RRF_K);
  return fused.map((f) => ({ id: f.id, score: max > 0 ? Math.min(1, Math.round((f.score / max) * 1e6) / 1e6) : 0 }));
}

/** Default ranker: relevance (cosine and term coverage, best over the queries), fused order breaking ties. */
function rerank(fused: Scored[], rows: Map<string, { text: string }>, cosines: Map<string, number>, queries: string[], plan: RankingPlan): Scored[] {
  const terms = queries.map(queryTerms);
  return fused
    .map((f, order) => {
      const passage = preparePassage(rows.get(f.id)!.text);
      const coverage = Math.max(...terms.map((t) => termCoverage(t, passage)));
      return { id: f.id, score: relevance(cosines.get(f.id), coverage, plan), order };
    })
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ id, score }) => ({ id, score }));
}
