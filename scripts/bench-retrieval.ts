// `npm run bench:retrieval`: retrieval quality, ingestion throughput and search latency. Not a test (no
// thresholds): it prints figures, and the README's retrieval section quotes them. The worker runs under
// wrangler's local runtime (miniflare/workerd, as `wrangler dev`) with the REAL local embedding model
// (scripts/embeddings-server: Universal Sentence Encoder lite, 512 dims), as `npm run dev` uses it.
//
//   BENCH_SECTIONS     quality,ingest,latency (default all three, run in that order)
//   BENCH_PAGES        manual pages in the quality set (default 300; two queries each)
//   BENCH_INGEST_MB    size of the mixed documents ingested (default 1: the real model is ~100 ms a chunk)
//   BENCH_SIZES        store sizes for the latency runs, in chunks (default 10000,100000)
//   BENCH_QUERIES      timed searches per size and mode (default 50)
//   BENCH_CHUNK_WORDS  words per seeded chunk (default 150)
//   BENCH_EMBEDDINGS   local (default: the real model) | hashed (test/support/embeddings-upstream.ts)
//   BENCH_EMBEDDINGS_BASE_URL, BENCH_EMBEDDINGS_API_KEY, BENCH_EMBEDDINGS_MODEL: any OpenAI-compatible
//                      embeddings endpoint instead (quality and ingestion only)
import OpenAI, { toFile } from 'openai';
import { embedTexts, startEmbeddingsServer } from './embeddings-server/server.mjs';
import { startEmbeddingsUpstream } from '../test/support/embeddings-upstream';
import { startWorker } from '../test/support/worker-runtime';
import { ingestionFiles } from './bench-data/documents';
import { fmt, measureLatency, pct, type LatencyResult } from './bench-data/latency';
import { measureManQuality, storeVectors, type ManQualityResult, type Metrics } from './bench-data/man-quality';
import { Vocabulary } from './bench-data/text';

const SECTIONS = (process.env.BENCH_SECTIONS ?? 'quality,ingest,latency').split(',');
const PAGES = Number(process.env.BENCH_PAGES ?? 300);
const INGEST_MB = Number(process.env.BENCH_INGEST_MB ?? 1);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const WORDS = Number(process.env.BENCH_CHUNK_WORDS ?? 150);
const REMOTE = process.env.BENCH_EMBEDDINGS_BASE_URL;
const HASHED = process.env.BENCH_EMBEDDINGS === 'hashed';
const ADMIN = 'sk-admin-benchmark-key-000000001';

interface IngestResult {
  files: number;
  bytes: number;
  chunks: number;
  seconds: number;
  failed: number;
}

async function measureIngestion(client: OpenAI, DB: D1Database): Promise<IngestResult> {
  const docs = ingestionFiles(INGEST_MB * 1024 * 1024);
  const files = await Promise.all(docs.map((d) => toFile(Buffer.from(d.bytes), d.name)));
  const store = await client.vectorStores.create({ name: 'ingestion' });
  const t0 = performance.now();
  const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files }, { pollIntervalMs: 100 });
  const seconds = (performance.now() - t0) / 1000;
  const chunks = (await DB.prepare('SELECT count(*) AS n FROM chunks WHERE vector_store_id = ?').bind(store.id).first<{ n: number }>())!.n;
  return { files: docs.length, bytes: docs.reduce((n, d) => n + d.bytes.byteLength, 0), chunks, seconds, failed: batch.file_counts.failed };
}

const f2 = (x: number) => x.toFixed(2);
const mb = (bytes: number) => bytes / (1024 * 1024);

const f3 = (x: number) => x.toFixed(3);

function qualityLines(q: ManQualityResult): string[] {
  const cell = (m: Metrics) => `${f3(m.recallAt5)}  ${f3(m.mrr)}  ${f3(m.ndcg10)}`;
  return [
    `quality: ${q.documents} manual pages (section 1, NAME section removed; ${(q.bytes / 1024).toFixed(0)} KB, default chunking, ingested in ${q.ingestSeconds.toFixed(0)} s), ` +
      `${q.rows[0]!.all.queries} queries: each page's NAME description as written, and paraphrased with WordNet synonyms (${(q.replacedShare * 100).toFixed(0)} % of content words replaced)`,
    `  ${'configuration'.padEnd(26)}  all: R@5   MRR    nDCG@10 | description: R@5 MRR nDCG@10 | paraphrase: R@5 MRR nDCG@10`,
    ...q.rows.map((r) => `  ${r.label.padEnd(26)}  ${cell(r.all)} | ${cell(r.description)} | ${cell(r.paraphrase)}`),
  ];
}

function latencyLines(r: LatencyResult): string[] {
  return [
    ...Object.entries(r.byMode).map(
      ([mode, m]) => `${mode.padEnd(7)} search at ${String(r.chunks / 1000).padStart(3)}k chunks:  ${fmt(m.warm)} over ${m.warm.length} queries; first (cold cache) ${m.cold.toFixed(0)} ms`,
    ),
    ...Object.entries(r.byMode).map(
      ([mode, m]) =>
        `  ${mode} stages (server p50, ms): ` +
        Object.entries(m.stages)
          .map(([stage, xs]) => `${stage} ${pct(xs, 50).toFixed(1)}`)
          .join(', '),
    ),
    `  [${r.chunks / 1000}k: floor ${pct(r.floor, 50).toFixed(1)} ms; keyword ≈ ${pct(r.keyword, 50).toFixed(1)} ms; vector scan ${pct(r.denseScan, 50).toFixed(1)} ms` +
      `${r.embed.length ? `; query embedding by the model (not in the figures above: cached by then) p50 ${pct(r.embed, 50).toFixed(0)} ms` : ''}]`,
  ];
}

async function main() {
  const local = !REMOTE && !HASHED ? await startEmbeddingsServer({ port: 0 }) : null;
  const hashed = HASHED ? await startEmbeddingsUpstream() : null;
  const dims = local ? local.dimensions : 256;
  const settings: Record<string, string> = {
    EMBEDDINGS_BASE_URL: REMOTE ?? local?.url ?? hashed!.url,
    EMBEDDINGS_API_KEY: process.env.BENCH_EMBEDDINGS_API_KEY ?? 'sk-bench',
    ...(local ? { EMBEDDINGS_MODEL: local.model } : process.env.BENCH_EMBEDDINGS_MODEL ? { EMBEDDINGS_MODEL: process.env.BENCH_EMBEDDINGS_MODEL } : {}),
    ...(REMOTE ? {} : { EMBEDDINGS_DIMENSIONS: String(dims) }),
  };
  // As `npm run dev` runs the worker (test/support/worker-runtime.ts): the search's embeddings call goes straight to the model.
  const worker = await startWorker(process.cwd(), ADMIN, settings);
  const client = new OpenAI({ baseURL: worker.baseURL, apiKey: ADMIN, maxRetries: 0, timeout: 3_600_000 });
  const DB = worker.env.DB;
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const model = REMOTE
      ? `${process.env.BENCH_EMBEDDINGS_MODEL ?? 'default model'} at ${REMOTE}`
      : local
        ? `local ${local.model}, ${dims} dims`
        : `hashed lexical embeddings, ${dims} dims`;
    console.log(`\nassistants-edge retrieval benchmark (local runtime; ${model})`);
    let pool: number[][] = [];
    if (SECTIONS.includes('quality')) {
      const q = await measureManQuality(client, PAGES);
      pool = await storeVectors(DB, q.storeId);
      for (const l of qualityLines({ ...q, chunks: pool.length })) say(l);
    }
    if (SECTIONS.includes('ingest')) {
      const r = await measureIngestion(client, DB);
      say(
        `ingestion: ${r.files} mixed files (txt, md, html, csv, json, pdf, docx), ${f2(mb(r.bytes))} MB → ${r.chunks} chunks in ${r.seconds.toFixed(1)} s: ` +
          `${((mb(r.bytes) * 1024) / r.seconds).toFixed(1)} KB/s, ${(r.chunks / r.seconds).toFixed(1)} chunks/s${r.failed ? `; ${r.failed} failed` : ''} (uploadAndPoll, first upload → batch completed; embedding dominates)`,
      );
    }
    if (SECTIONS.includes('latency') && !REMOTE) {
      if (local && pool.length === 0) {
        const sample = Array.from({ length: 500 }, (_, i) => new Vocabulary(2).paragraph(() => ((i * 7919) % 1000) / 1000, 40));
        pool = await embedTexts(sample);
      }
      const embedQueries = local
        ? async (queries: string[]) => {
            const times: number[] = [];
            for (const q of queries) {
              const t0 = performance.now();
              await embedTexts([q]);
              times.push(performance.now() - t0);
            }
            return times;
          }
        : undefined;
      const vocab = new Vocabulary(1);
      for (const n of SIZES) {
        const r = await measureLatency(client, DB, vocab, n, {
          words: WORDS,
          queries: QUERIES,
          seed: n,
          dims,
          pool: local ? pool : undefined,
          embedQueries,
          modes: ['hybrid', 'keyword', 'vector'],
        });
        console.log(`  (seeded ${n} chunks of ~${WORDS} words in ${r.seedSeconds.toFixed(0)} s${local ? `; vectors: the model's ${pool.length} man-page chunk vectors, jittered` : ''})`);
        for (const l of latencyLines(r)) say(l);
      }
      say(`  target: hybrid p50 ≤ 50 ms at 100k chunks. floor = GET the store through the same SDK; keyword and scan are estimates from Node-side probes.`);
    }
    console.log(`\nREADME (between <!-- retrieval-bench:start --> and <!-- retrieval-bench:end -->):\n`);
    console.log(['```text', ...lines, '```'].join('\n'));
  } finally {
    await worker.server.close();
    await local?.close();
    await hashed?.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
