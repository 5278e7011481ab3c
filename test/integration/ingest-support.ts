// Helpers for the ingestion tests (test/integration/ingest-*.test.ts): files uploaded through the API,
// stores, files attached through a queue the test controls, and the rows to inspect.
import { exports, env } from 'cloudflare:workers';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { createVectorIndex } from '../../src/adapters/vector-index';
import { database } from '../../src/db/client';
import { chunks, localVectors, vectorStoreFiles } from '../../src/db/schema';
import type { Embedder } from '../../src/domain/ports';
import type { IngestJob } from '../../src/retrieval/ingest';
import type { RetrievalServices } from '../../src/retrieval/search';
import { attachFiles } from '../../src/retrieval/stores';
import { ADMIN, api } from './support';

export const PROJECT = 'proj_default';
export const db = () => database(env.DB);

/** Uploads a text file through the API (the admin key acts in the default project). */
export async function uploadText(name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append('purpose', 'assistants');
  form.append('file', new File([text], name, { type: 'text/plain' }));
  const res = await exports.default.fetch('http://local/v1/files', { method: 'POST', headers: { authorization: ADMIN.authorization }, body: form });
  const body = (await res.json()) as { id: string };
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function newStore(): Promise<string> {
  const res = await api('POST', '/vector_stores', { name: 'ingest test' });
  if (res.status !== 200) throw new Error(`store create failed: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** A queue the test controls: `lost` accepts messages and drops them, `broken` refuses every send. */
export function testQueue(kind: 'lost' | 'broken') {
  const sent: IngestJob[] = [];
  const queue = {
    async send(body: IngestJob) {
      if (kind === 'broken') throw new Error('queue unavailable (test)');
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: IngestJob }>) {
      if (kind === 'broken') throw new Error('queue unavailable (test)');
      for (const m of messages) sent.push(m.body);
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

/** Attaches a file to a store the way the API does, but through `queue`. */
export async function attachThrough(queue: Queue, storeId: string, fileId: string, maxTokens = 100, batchId: string | null = null) {
  const chunking = { max_chunk_size_tokens: maxTokens, chunk_overlap_tokens: 0 };
  await attachFiles(db(), queue, PROJECT, storeId, [{ fileId, chunking, attributes: null }], batchId);
}

export async function fileRow(storeId: string, fileId: string) {
  const [row] = await db().select().from(vectorStoreFiles).where(and(eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId)));
  if (!row) throw new Error(`no vector-store file ${storeId}/${fileId}`);
  return row;
}

export async function chunkRows(storeId: string, fileId: string) {
  return db()
    .select({ id: chunks.id, chunkIndex: chunks.chunkIndex, claim: chunks.claim })
    .from(chunks)
    .where(and(eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId)))
    .orderBy(asc(chunks.chunkIndex), asc(chunks.id));
}

/** Ids of the local vector index's vectors among `ids`. */
export async function vectorIds(storeId: string, ids: number[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db()
      .select({ id: localVectors.id })
      .from(localVectors)
      .where(and(eq(localVectors.namespace, storeId), inArray(localVectors.id, ids.slice(i, i + 90).map(String))));
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

/** A deterministic embedder that counts the texts it embedded, and can die at a given call. */
export function countingEmbedder(options: { crashAtCall?: number } = {}) {
  const state = { calls: 0, texts: 0 };
  const embedder: Embedder = {
    model: 'test-counting',
    dimensions: 3,
    async embed(texts: string[]) {
      state.calls += 1;
      if (state.calls === options.crashAtCall) throw new Error('consumer killed (test)');
      state.texts += texts.length;
      return texts.map((t) => [t.length % 7, (t.charCodeAt(0) || 1) % 11, 1]);
    },
  };
  return { embedder, state };
}

export function servicesWith(embedder: Embedder | null): RetrievalServices {
  return { db: db(), embedder, index: createVectorIndex(env) };
}

/** `count` distinct sentences: enough text for many 100-token chunks. */
export function longText(count: number, tag: string): string {
  return Array.from({ length: count }, (_, i) => `Paragraph ${i} of ${tag} describes item number ${i * 7} with some words about topic ${i % 13}.`).join('\n');
}
