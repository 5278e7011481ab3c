// Seeds a vector store straight into D1 (the worker's own binding, reached from Node through the
// test harness) for the search-latency runs: `files`, `vector_store_files`, `chunks` (the FTS5
// triggers index them) and the vectors, written through LocalVectorIndex.upsert (the adapter's real
// write path, which also moves the namespace's cache version). Much faster than ingesting 100k
// chunks through the API, which the ingestion section measures separately.
import { LocalVectorIndex } from '../../src/adapters/vector-index/local';
import { database } from '../../src/db/client';
import { estimateTextTokens } from '../../src/domain/tokens';
import { hashEmbedding } from '../../test/support/embeddings-upstream';
import { prng, type Vocabulary } from './text';

export const PROJECT = 'proj_default';
const CHUNKS_PER_FILE = 50;
/** D1: at most 100 bound parameters per statement. */
const MAX_PARAMS = 100;

type Row = (string | number | null)[];

/** Multi-row INSERTs under the parameter limit, sent as D1 batches of `perBatch` statements. */
async function insertRows(DB: D1Database, table: string, columns: string[], rows: Row[], perBatch = 40): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMS / columns.length);
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const statement = (slice: Row[]) =>
    DB.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${slice.map(() => placeholders).join(', ')}`).bind(...slice.flat());
  // Prepared per batch: the harness proxies every statement object to the runtime.
  for (let i = 0; i < rows.length; i += perStatement * perBatch) {
    const statements: D1PreparedStatement[] = [];
    for (let j = i; j < Math.min(rows.length, i + perStatement * perBatch); j += perStatement) statements.push(statement(rows.slice(j, j + perStatement)));
    await DB.batch(statements);
  }
}

export interface SeededStore {
  /** Texts of a sample of chunks, to draw queries from. */
  sample: string[];
  seconds: { text: number; embed: number; chunks: number; vectors: number };
}

/** Adds `n` chunks of about `words` words (in files of 50) to an existing store. */
/**
 * A pool vector with a little noise, renormalised: `n` distinct dense vectors shaped like a real
 * model's, from the few thousand the model embedded (embedding 100k chunks with it would take hours).
 */
function jitter(v: number[], rand: () => number): number[] {
  const out = v.map((x) => x + (rand() - 0.5) * 0.02);
  const norm = Math.hypot(...out) || 1;
  return out.map((x) => x / norm);
}

export async function seedStore(DB: D1Database, storeId: string, n: number, vocab: Vocabulary, words: number, seed: number, dims: number, pool?: number[][]): Promise<SeededStore> {
  const rand = prng(seed);
  const now = Math.floor(Date.now() / 1000);
  const t0 = performance.now();
  const texts = Array.from({ length: n }, () => vocab.paragraph(rand, words));
  const t1 = performance.now();
  // The harness's proxy connection may have been closed while idle (generating 100k texts takes minutes
  // on a busy machine: "fetch failed: other side closed"): one retry.
  const maxId = () => DB.prepare('SELECT coalesce(max(id), 0) AS m FROM chunks').first<{ m: number }>();
  const first = ((await maxId().catch(() => maxId()))?.m ?? 0) + 1;
  const fileIds = Array.from({ length: Math.ceil(n / CHUNKS_PER_FILE) }, (_, i) => `file-seed${seed}x${String(i).padStart(6, '0')}`);
  const fileBytes = (f: number) => texts.slice(f * CHUNKS_PER_FILE, (f + 1) * CHUNKS_PER_FILE).reduce((s, t) => s + t.length, 0);
  await insertRows(
    DB,
    'files',
    ['id', 'project_id', 'created_at', 'bytes', 'filename', 'purpose', 'mime_type', 'r2_key', 'expires_at'],
    fileIds.map((id, f) => [id, PROJECT, now, fileBytes(f), `seed-${seed}-${f}.txt`, 'assistants', 'text/plain', `bench/${id}`, null]),
  );
  const strategy = JSON.stringify({ max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 });
  await insertRows(
    DB,
    'vector_store_files',
    ['vector_store_id', 'id', 'project_id', 'created_at', 'status', 'last_error', 'usage_bytes', 'chunking_strategy', 'attributes', 'batch_id'],
    fileIds.map((id, f) => [storeId, id, PROJECT, now, 'completed', null, fileBytes(f), strategy, null, null]),
  );
  await insertRows(
    DB,
    'chunks',
    ['id', 'project_id', 'vector_store_id', 'file_id', 'chunk_index', 'text', 'tokens'],
    texts.map((text, i) => [first + i, PROJECT, storeId, fileIds[Math.floor(i / CHUNKS_PER_FILE)]!, i % CHUNKS_PER_FILE, text, estimateTextTokens(text)]),
  );
  const t2 = performance.now();
  const index = new LocalVectorIndex(database(DB));
  let embedMs = 0;
  for (let i = 0; i < n; i += 1000) {
    const e0 = performance.now();
    const vectors = texts
      .slice(i, i + 1000)
      .map((t, j) => ({ id: String(first + i + j), values: pool?.length ? jitter(pool[(i + j) % pool.length]!, rand) : hashEmbedding(t, dims) }));
    embedMs += performance.now() - e0;
    await index.upsert(storeId, vectors);
  }
  const t3 = performance.now();
  const sample = Array.from({ length: 200 }, () => texts[Math.floor(rand() * n)]!);
  return { sample, seconds: { text: (t1 - t0) / 1000, embed: embedMs / 1000, chunks: (t2 - t1) / 1000, vectors: (t3 - t2 - embedMs) / 1000 } };
}

/** Search queries drawn from chunk texts: 2–8 consecutive words of a random chunk, as people type them. */
export function sampleQueries(sample: string[], count: number, seed: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const words = sample[i % sample.length]!.replace(/[.]/g, '').split(' ');
    const len = 2 + Math.floor(rand() * 7);
    const start = Math.floor(rand() * Math.max(1, words.length - len));
    return words.slice(start, start + len).join(' ');
  });
}
