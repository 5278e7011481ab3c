import { deleteChunks, insertChunks } from '../db/chunks';
import { getFileRow, openFileStream } from '../db/files';
import { finishVectorStoreFile, getVectorStoreFileRow } from '../db/vector-store-files';
import { refreshUsage } from '../db/vector-stores';
import { chunkText } from '../domain/chunking';
import { extractText } from '../domain/parsing';
import type { RetrievalServices } from './search';
import { EmbeddingError } from '../adapters/embeddings';

/** One file to index into one vector store (the ingest queue's message). */
export interface IngestJob {
  projectId: string;
  vectorStoreId: string;
  fileId: string;
}

/** Parsing needs the whole file in memory (128 MB per isolate): larger files are refused. */
export const MAX_INDEXED_FILE_BYTES = 32 * 1024 * 1024;
/** Chunks embedded per call; Workers AI takes at most 100 texts per request. */
const EMBED_BATCH = 100;

export type IngestOutcome = 'completed' | 'failed' | 'skipped';

/**
 * Parse → chunk (per the file's chunking strategy) → keyword-index (FTS5 triggers) → embed in
 * batches → vector-index. Idempotent: a re-delivered job for a file no longer `in_progress` does
 * nothing, and a retried one first removes what an earlier attempt wrote. Bad files end `failed`
 * with `unsupported_file` / `invalid_file`; infrastructure errors throw, for the queue to retry.
 */
export async function ingestFile(services: RetrievalServices, bucket: R2Bucket, job: IngestJob): Promise<IngestOutcome> {
  const { db, embedder, index } = services;
  const entry = await getVectorStoreFileRow(db, job.projectId, job.vectorStoreId, job.fileId);
  if (!entry || entry.status !== 'in_progress') return 'skipped';
  const fail = async (code: string, message: string): Promise<IngestOutcome> => {
    await finishVectorStoreFile(db, job.vectorStoreId, job.fileId, { status: 'failed', error: { code, message } });
    return 'failed';
  };

  const file = await getFileRow(db, job.projectId, job.fileId);
  if (!file) return fail('invalid_file', `File ${job.fileId} no longer exists.`);
  if (file.bytes > MAX_INDEXED_FILE_BYTES) {
    return fail('invalid_file', `File ${file.filename} is too large to index (${file.bytes} bytes; the limit is ${MAX_INDEXED_FILE_BYTES}).`);
  }
  const object = await openFileStream(bucket, file);
  if (!object) throw new Error(`R2 object of ${file.id} is missing`);
  const parsed = await extractText(new Uint8Array(await object.arrayBuffer()), file.filename, file.mimeType);
  if (!parsed.ok) return fail(parsed.code, parsed.message);

  const { max_chunk_size_tokens, chunk_overlap_tokens } = entry.chunkingStrategy;
  const pieces = chunkText(parsed.text, { maxTokens: max_chunk_size_tokens, overlapTokens: chunk_overlap_tokens });
  if (pieces.length === 0) return fail('invalid_file', `File ${file.filename} contains no text to index.`);

  await removeIndexed(services, job.vectorStoreId, job.fileId);
  const ids = await insertChunks(
    db,
    pieces.map((p, i) => ({
      projectId: job.projectId,
      vectorStoreId: job.vectorStoreId,
      fileId: job.fileId,
      chunkIndex: i,
      text: p.text,
      tokens: p.tokens,
    })),
  );
  if (embedder) {
    for (let i = 0; i < pieces.length; i += EMBED_BATCH) {
      const batch = pieces.slice(i, i + EMBED_BATCH);
      let vectors: number[][];
      try {
        vectors = await embedder.embed(batch.map((p) => p.text));
      } catch (err) {
        // A refusal that retrying cannot fix (bad key, bad model) fails the file now; others retry.
        if (err instanceof EmbeddingError && !err.retryable) {
          await removeIndexed(services, job.vectorStoreId, job.fileId);
          return fail('server_error', `Embedding failed: ${err.message}`);
        }
        throw err;
      }
      await index.upsert(
        job.vectorStoreId,
        vectors.map((values, j) => ({ id: String(ids[i + j]), values, metadata: { file_id: job.fileId } })),
      );
    }
  }
  const usageBytes = pieces.reduce((n, p) => n + new TextEncoder().encode(p.text).length, 0);
  const finished = await finishVectorStoreFile(db, job.vectorStoreId, job.fileId, { status: 'completed', usageBytes });
  // Cancelled or removed while indexing: what was written goes again.
  if (!finished) await removeIndexed(services, job.vectorStoreId, job.fileId);
  await refreshUsage(db, job.vectorStoreId);
  return finished ? 'completed' : 'skipped';
}

/** Removes a file's chunks (keyword index with them) and vectors from a store. */
export async function removeIndexed(services: RetrievalServices, storeId: string, fileId?: string): Promise<void> {
  const ids = await deleteChunks(services.db, storeId, fileId);
  for (let i = 0; i < ids.length; i += 500) await services.index.deleteByIds(ids.slice(i, i + 500).map(String));
}
