// Search latency at a given store size: seed D1 directly, then time POST /v1/vector_stores/{id}/search
// through the SDK (the first query, with a cold isolate cache, reported apart), and estimate where
// the time goes with Node-side probes of the same code (keyword search, the quantised scan).
import type OpenAI from 'openai';
import { sql } from 'drizzle-orm';
import { database } from '../../src/db/client';
import { keywordSearch } from '../../src/db/chunks';
import { StageTimings } from '../../src/observability/stage-timings';
import { quantizeInt8 } from '../../src/domain/vectors-int8';
import { approximateTop, packSigns, signBytes, type SignedMatrix } from '../../src/domain/vectors-binary';
import { hashEmbedding } from '../../test/support/embeddings-upstream';
import { sampleQueries, seedStore } from './seed';
import { Vocabulary } from './text';

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;

export interface LatencyResult {
  chunks: number;
  /** Per search mode (`default` when none was asked for): the timed searches. */
  byMode: Record<string, { cold: number; warm: number[]; stages: Record<string, number[]> }>;
  seedSeconds: number;
  cold: number;
  warm: number[];
  floor: number[];
  keyword: number[];
  scan: number[];
  denseScan: number[];
  /** Embedding each query with the configured model (before the timed searches, which then hit its cache). */
  embed: number[];
}

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

export interface LatencyOptions {
  words: number;
  queries: number;
  seed: number;
  dims: number;
  /** Real-model vectors to seed from (jittered); default hashed vectors of the seeded texts. */
  pool?: number[][];
  /** Embeds queries with the worker's model, so timed searches measure search, not the model. */
  embedQueries?: (queries: string[]) => Promise<number[]>;
  /** Search modes timed on the same seeded store (default: the server's default only). */
  modes?: string[];
}

export async function measureLatency(client: OpenAI, DB: D1Database, vocab: Vocabulary, chunks: number, opts: LatencyOptions): Promise<LatencyResult> {
  const store = await client.vectorStores.create({ name: `latency-${chunks}` });
  const s0 = performance.now();
  const seeded = await seedStore(DB, store.id, chunks, vocab, opts.words, opts.seed, opts.dims, opts.pool);
  const seedSeconds = (performance.now() - s0) / 1000;
  const queries = sampleQueries(seeded.sample, opts.queries + 1, opts.seed + 1);
  const embed = opts.embedQueries ? await opts.embedQueries(queries) : [];
  const byMode: LatencyResult['byMode'] = {};
  for (const mode of opts.modes ?? ['default']) {
    const body = mode === 'default' ? {} : { search_mode: mode };
    // The server's Server-Timing header (src/observability/stage-timings.ts) says where each search's time went.
    const search = (query: string) => client.vectorStores.search(store.id, { query, max_num_results: 10, ...body } as never).withResponse();
    const [cold, first] = await time(() => search(queries[0]!));
    if (first.data.data.length === 0) throw new Error(`no results for ${JSON.stringify(queries[0])} (${mode})`);
    const warm: number[] = [];
    const stages: Record<string, number[]> = {};
    for (const q of queries.slice(1)) {
      const [ms, { response }] = await time(() => search(q));
      warm.push(ms);
      for (const [stage, dur] of Object.entries(StageTimings.parse(response.headers.get('server-timing')))) (stages[stage] ??= []).push(dur);
    }
    byMode[mode] = { cold, warm, stages };
  }
  const { cold, warm } = Object.values(byMode)[0]!;
  // The floor: the same SDK, HTTP, auth and one D1 read, doing no search.
  const floor: number[] = [];
  for (let i = 0; i < opts.queries; i++) floor.push((await time(() => client.vectorStores.retrieve(store.id)))[0]);

  // Keyword search alone (FTS5 BM25, the server's query), from Node: minus the harness round trip.
  const db = database(DB);
  const keyword: number[] = [];
  for (const q of queries.slice(1, 21)) {
    const [base] = await time(() => db.all(sql`SELECT 1`));
    const [t] = await time(() => keywordSearch(db, store.id, q, 50));
    keyword.push(Math.max(0, t - base));
  }
  // The vector scan's CPU alone, on an int8 matrix of the same size (no D1): the server's hashed
  // (sparse) queries, and dense ones as a real embedding model's would be.
  const matrix = quantised(opts.pool?.length ? opts.pool : seeded.sample.map((t) => hashEmbedding(t, opts.dims)), chunks, opts.dims);
  const scan: number[] = [];
  const denseScan: number[] = [];
  for (const q of queries.slice(1, 21)) {
    const dense = opts.pool?.length ? opts.pool[scan.length % opts.pool.length]! : hashEmbedding(seeded.sample[scan.length]!, opts.dims);
    scan.push(scanTime(matrix, opts.pool?.length ? dense : hashEmbedding(q, opts.dims)));
    denseScan.push(scanTime(matrix, dense));
  }
  return { chunks, byMode, seedSeconds, cold, warm, floor, keyword, scan, denseScan, embed };
}

/** `n` rows cycling through the given vectors (the scan's cost does not depend on the values). */
function quantised(vectors: number[][], n: number, dims: number): SignedMatrix {
  const codes = new Int8Array(n * dims);
  const factors = new Float32Array(n);
  const signs = new Uint8Array(n * signBytes(dims));
  for (let r = 0; r < n; r++) {
    factors[r] = quantizeInt8(vectors[r % vectors.length]!, codes, r * dims);
    packSigns(vectors[r % vectors.length]!, signs, r * signBytes(dims));
  }
  return { dims, count: n, codes, factors, signs };
}

/** What LocalVectorIndex.query runs (sign pre-pass on large namespaces, int8 scan). */
function scanTime(m: SignedMatrix, q: number[]): number {
  const t0 = performance.now();
  approximateTop(m, q, 50, String);
  return performance.now() - t0;
}
