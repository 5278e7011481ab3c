import { adoptChunks, deleteChunks, insertChunks } from '../db/chunks';
import { getFileRow, openFileStream } from '../db/files';
import { claimVectorStoreFile, completeIngest, finishVectorStoreFile, getVectorStoreFileRow, recordIngestProgress } from '../db/vector-store-files';
import { refreshUsage } from '../db/vector-stores';
import { chunkText, type Chunk } from '../domain/chunking';
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
/** Chunks embedded per call; Workers AI takes at most 100 texts per request. Progress is recorded per batch. */
export const EMBED_BATCH = 100;

export type IngestOutcome = 'completed' | 'failed' | 'skipped';

/**
 * Parse → chunk (per the file's chunking strategy) → keyword-index (FTS5 triggers) → embed in
 * batches → vector-index. Bad files end `failed` with `unsupported_file` / `invalid_file`;
 * infrastructure errors throw, for the queue to retry.
 *
 * Safe to run twice, at once or after a crash: each run first claims the file (a newer claim makes
 * an older run stop at its next progress write), and completing deletes any chunk another claim
 * wrote, so a file indexed twice has one set of chunks. A retry resumes: it adopts the chunks an
 * earlier attempt wrote (when they match the file's chunking) and embeds from the recorded
 * `chunks_embedded`, instead of starting a large file over.
 */
export async function ingestFile(services: RetrievalServices, bucket: R2Bucket, job: IngestJob): Promise<IngestOutcome> {
  const { db, embedder, index } = services;
  const { vectorStoreId: storeId, fileId } = job;
  const entry = await getVectorStoreFileRow(db, job.projectId, storeId, fileId);
  if (!entry || entry.status !== 'in_progress') return 'skipped';
  const claimed = await claimVectorStoreFile(db, storeId, fileId);
  if (!claimed) return 'skipped';
  const { claim } = claimed;
  /** This run lost the file (newer attempt, cancel, delete): it takes back only what it wrote. */
  const abandon = async (): Promise<IngestOutcome> => {
    await removeIndexed(services, storeId, fileId, { claim });
    return 'skipped';
  };
  const fail = async (code: string, message: string): Promise<IngestOutcome> => {
    if (!(await finishVectorStoreFile(db, storeId, fileId, { status: 'failed', error: { code, message } }, claim))) return abandon();
    await removeIndexed(services, storeId, fileId);
    return 'failed';
  };

  const file = await getFileRow(db, job.projectId, fileId);
  if (!file) return fail('invalid_file', `File ${fileId} no longer exists.`);
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

  const resumed = await resumePoint(services, job, claim, pieces, claimed.chunksEmbedded);
  if (!resumed) return abandon();
  const ids = [...resumed.ids];
  // Chunks not written yet, a progress write (sign of life, claim check) after each batch of them.
  for (let i = ids.length; i < pieces.length; i += EMBED_BATCH) {
    const rows = pieces.slice(i, i + EMBED_BATCH).map((p, j) => ({
      projectId: job.projectId,
      vectorStoreId: storeId,
      fileId,
      chunkIndex: i + j,
      text: p.text,
      tokens: p.tokens,
      claim,
    }));
    ids.push(...(await insertChunks(db, rows)));
    if (!(await recordIngestProgress(db, storeId, fileId, claim, resumed.embedded))) return abandon();
  }
  if (embedder) {
    for (let i = resumed.embedded; i < pieces.length; i += EMBED_BATCH) {
      const batch = pieces.slice(i, i + EMBED_BATCH);
      let vectors: number[][];
      try {
        vectors = await embedder.embed(batch.map((p) => p.text));
      } catch (err) {
        // A refusal that retrying cannot fix (bad key, bad model) fails the file now; others retry.
        if (err instanceof EmbeddingError && !err.retryable) return fail('server_error', `Embedding failed: ${err.message}`);
        throw err;
      }
      await index.upsert(
        storeId,
        vectors.map((values, j) => ({ id: String(ids[i + j]), values, metadata: { file_id: fileId } })),
      );
      if (!(await recordIngestProgress(db, storeId, fileId, claim, i + batch.length))) return abandon();
    }
  }
  const usageBytes = pieces.reduce((n, p) => n + new TextEncoder().encode(p.text).length, 0);
  const { completed, strayChunkIds } = await completeIngest(db, storeId, fileId, claim, usageBytes);
  await deleteVectors(services, strayChunkIds);
  // Cancelled, removed or taken over while indexing: what this run wrote goes again.
  if (!completed) return abandon();
  await refreshUsage(db, storeId);
  return 'completed';
}

/**
 * Where a claimed run starts: the chunks earlier attempts wrote are kept when they are a prefix of
 * this file's chunks (same index, same text), with the vectors recorded as embedded; anything else
 * is removed and the file starts over. Null when the claim was lost meanwhile.
 */
async function resumePoint(
  services: RetrievalServices,
  job: IngestJob,
  claim: number,
  pieces: Chunk[],
  recordedEmbedded: number,
): Promise<{ ids: number[]; embedded: number } | null> {
  const { db } = services;
  const existing = await adoptChunks(db, job.vectorStoreId, job.fileId, claim);
  const prefix =
    existing.length <= pieces.length && existing.every((c, i) => c.chunkIndex === i && c.text === pieces[i]!.text);
  if (prefix) {
    const embedded = Math.min(recordedEmbedded, existing.length);
    return (await recordIngestProgress(db, job.vectorStoreId, job.fileId, claim, embedded)) ? { ids: existing.map((c) => c.id), embedded } : null;
  }
  // The resume point is reset before the chunks go, so a crash in between cannot resume past them.
  if (!(await recordIngestProgress(db, job.vectorStoreId, job.fileId, claim, 0))) return null;
  await removeIndexed(services, job.vectorStoreId, job.fileId, { claim });
  return { ids: [], embedded: 0 };
}

/** Removes a file's chunks (keyword index with them) and vectors from a store: all, or one claim's. */
export async function removeIndexed(services: RetrievalServices, storeId: string, fileId?: string, only: { claim?: number } = {}): Promise<void> {
  await deleteVectors(services, await deleteChunks(services.db, storeId, fileId, only));
}

async function deleteVectors(services: RetrievalServices, chunkIds: number[]): Promise<void> {
  for (let i = 0; i < chunkIds.length; i += 500) await services.index.deleteByIds(chunkIds.slice(i, i + 500).map(String));
}
