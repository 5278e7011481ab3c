// Retrieval quality on the manual-page set (man-corpus.ts) with the configured embeddings (the real
// local model by default): one store, searched through POST /v1/vector_stores/{id}/search for every
// configuration (search_mode, hybrid_search weights, ranker), so the figures are what users get.
// Relevance is per document: a result list is reduced to distinct files in order, and a query's rank is
// where its page first appears. recall@5 = share of queries whose page is in the top 5; MRR = mean of
// 1/rank; nDCG@10 with one relevant document = mean of 1/log2(rank + 1) for ranks ≤ 10.
import OpenAI, { toFile } from 'openai';
import { decodeHexVector } from '../../src/domain/vectors';
import { buildManCorpus, type LabelledQuery } from './man-corpus';

export interface Config {
  label: string;
  body: Record<string, unknown>;
}

export const CONFIGS: Config[] = [
  { label: 'keyword (BM25 order)', body: { search_mode: 'keyword', ranking_options: { ranker: 'none' } } },
  { label: 'keyword + re-rank', body: { search_mode: 'keyword' } },
  { label: 'vector', body: { search_mode: 'vector', ranking_options: { ranker: 'none' } } },
  ...[
    [1, 3],
    [1, 1],
    [3, 1],
  ].flatMap(([e, t]) => [
    { label: `hybrid ${e}:${t} RRF`, body: { ranking_options: { ranker: 'none', hybrid_search: { embedding_weight: e, text_weight: t } } } },
    { label: `hybrid ${e}:${t} + re-rank`, body: { ranking_options: { ranker: 'auto', hybrid_search: { embedding_weight: e, text_weight: t } } } },
  ]),
];

export interface Metrics {
  queries: number;
  recallAt5: number;
  mrr: number;
  ndcg10: number;
}

export interface ManQualityResult {
  documents: number;
  chunks: number;
  bytes: number;
  replacedShare: number;
  ingestSeconds: number;
  rows: Array<{ label: string; all: Metrics; description: Metrics; paraphrase: Metrics }>;
  storeId: string;
}

export function metrics(ranks: number[]): Metrics {
  const n = ranks.length || 1;
  return {
    queries: ranks.length,
    recallAt5: ranks.filter((r) => r > 0 && r <= 5).length / n,
    mrr: ranks.reduce((s, r) => s + (r > 0 ? 1 / r : 0), 0) / n,
    ndcg10: ranks.reduce((s, r) => s + (r > 0 && r <= 10 ? 1 / Math.log2(r + 1) : 0), 0) / n,
  };
}

export async function measureManQuality(client: OpenAI, pages: number): Promise<ManQualityResult> {
  const { docs, queries, replacedShare } = buildManCorpus({ pages });
  const store = await client.vectorStores.create({ name: 'man-quality' });
  const t0 = performance.now();
  const files = await Promise.all(docs.map((d) => toFile(Buffer.from(d.text), d.filename)));
  const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files }, { pollIntervalMs: 250 });
  const ingestSeconds = (performance.now() - t0) / 1000;
  if (batch.file_counts.completed !== docs.length) throw new Error(`man corpus ingestion: ${JSON.stringify(batch.file_counts)}`);
  const listed = await client.vectorStores.files.list(store.id, { limit: 100 });
  const fileOf = new Map<string, number>();
  const uploaded = await Promise.all((await collect(listed)).map(async (f) => [f.id, (await client.files.retrieve(f.id)).filename] as const));
  for (const [id, name] of uploaded) fileOf.set(id, docs.findIndex((d) => d.filename === name));

  const rankOf = async (q: LabelledQuery, body: Record<string, unknown>) => {
    const page = await client.vectorStores.search(store.id, { query: q.query, max_num_results: 30, ...body } as never);
    const order: number[] = [];
    for (const r of page.data) {
      const d = fileOf.get(r.file_id)!;
      if (!order.includes(d)) order.push(d);
    }
    return order.indexOf(q.doc) + 1;
  };
  const rows: ManQualityResult['rows'] = [];
  for (const config of CONFIGS) {
    const ranks: number[] = [];
    for (const q of queries) ranks.push(await rankOf(q, config.body));
    const of = (kind: LabelledQuery['kind']) => metrics(ranks.filter((_, i) => queries[i]!.kind === kind));
    rows.push({ label: config.label, all: metrics(ranks), description: of('description'), paraphrase: of('paraphrase') });
    process.stdout.write(`  … ${config.label}: nDCG@10 ${metrics(ranks).ndcg10.toFixed(3)}\n`);
  }
  return { documents: docs.length, chunks: 0, bytes: docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0), replacedShare, ingestSeconds, rows, storeId: store.id };
}

async function collect<T>(page: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of page) out.push(x);
  return out;
}

/** The real-model vectors of a store's chunks (the latency runs reuse them at scale). */
export async function storeVectors(DB: D1Database, storeId: string): Promise<number[][]> {
  const rows = (await DB.prepare('SELECT hex("values") AS hex FROM local_vectors WHERE namespace = ?').bind(storeId).all<{ hex: string }>()).results;
  return rows.map((r) => Array.from(decodeHexVector(r.hex)));
}
