// `npm run bench:retrieval`: file search ingestion throughput, search latency on the local index and
// retrieval quality. Not a test (no thresholds): it prints figures. The worker runs under wrangler's
// local runtime (miniflare/workerd, as `wrangler dev`) with the local embeddings upstream
// (test/support/embeddings-upstream.ts: hashed lexical embeddings, 256 dims, no model download).
//
//   BENCH_SECTIONS     quality,ingest,latency (default all three, run in that order)
//   BENCH_INGEST_MB    size of the mixed documents ingested (default 4)
//   BENCH_SIZES        store sizes for the latency runs, in chunks (default 10000,100000)
//   BENCH_QUERIES      timed searches per size (default 50)
//   BENCH_CHUNK_WORDS  words per seeded chunk (default 150)
//   BENCH_EMBEDDINGS_DIMENSIONS  hashed embedding length (default 256; the worker's EMBEDDINGS_DIMENSIONS)
//   BENCH_EMBEDDINGS_BASE_URL, BENCH_EMBEDDINGS_API_KEY, BENCH_EMBEDDINGS_MODEL: a real OpenAI-compatible
//                      embeddings endpoint instead of the local one (quality and ingestion only: the
//                      latency runs seed hashed vectors)
import OpenAI, { toFile } from 'openai';
import { OpenAICompatibleEmbedder } from '../src/adapters/embeddings';
import { startEmbeddingsUpstream } from '../test/support/embeddings-upstream';
import { startWorker } from '../test/support/global-setup';
import { ingestionFiles } from './bench-data/documents';
import { fmt, measureLatency, pct, type LatencyResult } from './bench-data/latency';
import { KINDS, measureQuality, METHODS, type QualityResult } from './bench-data/quality';
import { Vocabulary } from './bench-data/text';

const SECTIONS = (process.env.BENCH_SECTIONS ?? 'quality,ingest,latency').split(',');
const INGEST_MB = Number(process.env.BENCH_INGEST_MB ?? 4);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const WORDS = Number(process.env.BENCH_CHUNK_WORDS ?? 150);
const DIMS = Number(process.env.BENCH_EMBEDDINGS_DIMENSIONS ?? 256);
const REMOTE = process.env.BENCH_EMBEDDINGS_BASE_URL;
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

function qualityLines(q: QualityResult): string[] {
  const row = (label: string, s: QualityResult['overall']) =>
    (`${label.padEnd(20)}` + METHODS.map((m) => `${m} R@5 ${f2(s[m].recallAt5)} MRR ${f2(s[m].mrr)}`.padEnd(30)).join('')).trimEnd();
  return [
    `quality: ${q.documents} documents (${(q.bytes / 1024).toFixed(0)} KB, ${q.chunks} chunks, default chunking), ${q.overall.hybrid.questions} questions${q.unanswerable ? ` (${q.unanswerable} left out: answer cut across chunks)` : ''}`,
    row('  all questions', q.overall),
    ...KINDS.map((k) => row(`  ${k} (${q.byKind[k].hybrid.questions})`, q.byKind[k])),
    `  in the top 5 of: both single methods ${q.split.both}, keyword only ${q.split.keywordOnly}, vector only ${q.split.vectorOnly}, neither ${q.split.neither}`,
  ];
}

function latencyLine(r: LatencyResult): string {
  return (
    `search at ${String(r.chunks / 1000).padStart(3)}k chunks:  ${fmt(r.warm)} over ${r.warm.length} queries; first (cold cache) ${r.cold.toFixed(0)} ms` +
    `  [floor ${pct(r.floor, 50).toFixed(1)} ms; keyword ≈ ${pct(r.keyword, 50).toFixed(1)} ms; vector scan ${pct(r.scan, 50).toFixed(1)} ms (dense query ${pct(r.denseScan, 50).toFixed(1)} ms)]`
  );
}

async function main() {
  const embeddings = await startEmbeddingsUpstream();
  const settings: Record<string, string> = {
    EMBEDDINGS_BASE_URL: REMOTE ?? embeddings.url,
    EMBEDDINGS_API_KEY: process.env.BENCH_EMBEDDINGS_API_KEY ?? 'sk-bench',
    ...(process.env.BENCH_EMBEDDINGS_MODEL ? { EMBEDDINGS_MODEL: process.env.BENCH_EMBEDDINGS_MODEL } : {}),
    ...(REMOTE && !process.env.BENCH_EMBEDDINGS_DIMENSIONS ? {} : { EMBEDDINGS_DIMENSIONS: String(DIMS) }),
  };
  const { server, baseURL } = await startWorker(process.cwd(), ADMIN, settings);
  // The server's own adapter and settings, for the vector-only queries run from Node.
  const embedder = new OpenAICompatibleEmbedder({
    baseUrl: settings.EMBEDDINGS_BASE_URL!,
    apiKey: settings.EMBEDDINGS_API_KEY,
    model: settings.EMBEDDINGS_MODEL,
    dimensions: settings.EMBEDDINGS_DIMENSIONS ? Number(settings.EMBEDDINGS_DIMENSIONS) : undefined,
  });
  const client = new OpenAI({ baseURL, apiKey: ADMIN, maxRetries: 0, timeout: 600_000 });
  const DB = ((await server.getWorker().getEnv()) as { DB: D1Database }).DB;
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const model = REMOTE ? `${process.env.BENCH_EMBEDDINGS_MODEL ?? 'default model'} at ${REMOTE}` : `hashed lexical embeddings, ${DIMS} dims`;
    console.log(`\nassistants-edge retrieval benchmark (local runtime; ${model})`);
    if (SECTIONS.includes('quality')) for (const l of qualityLines(await measureQuality(client, DB, embedder))) say(l);
    if (SECTIONS.includes('ingest')) {
      const r = await measureIngestion(client, DB);
      say(
        `ingestion: ${r.files} mixed files (txt, md, html, csv, json, pdf, docx), ${f2(mb(r.bytes))} MB → ${r.chunks} chunks in ${r.seconds.toFixed(1)} s: ` +
          `${f2(mb(r.bytes) / r.seconds)} MB/s, ${(r.chunks / r.seconds).toFixed(0)} chunks/s${r.failed ? `; ${r.failed} failed` : ''} (uploadAndPoll, first upload → batch completed)`,
      );
    }
    if (SECTIONS.includes('latency') && !REMOTE) {
      const vocab = new Vocabulary(1);
      for (const n of SIZES) {
        const r = await measureLatency(client, DB, vocab, n, { words: WORDS, queries: QUERIES, seed: n, dims: DIMS });
        console.log(`  (seeded ${n} chunks of ~${WORDS} words in ${r.seedSeconds.toFixed(0)} s)`);
        say(latencyLine(r));
      }
      say(`  target: p50 ≤ 50 ms at 100k chunks. floor = GET the store through the same SDK; keyword and scan are estimates from Node-side probes.`);
    }
    console.log(`\nREADME (between <!-- retrieval-bench:start --> and <!-- retrieval-bench:end -->):\n`);
    console.log(['```text', ...lines, '```'].join('\n'));
  } finally {
    await server.close();
    await embeddings.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
