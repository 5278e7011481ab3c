import { Hono } from 'hono';
import { deleteFileBatch, getFileBatchRow, insertFileBatch, markFileBatchCancelled, type FileBatchRow } from '../../db/file-batches';
import { cancelBatchFiles, listVectorStoreFiles } from '../../db/vector-store-files';
import { fileCountsOf } from '../../db/vector-stores';
import { attachFiles } from '../../retrieval/stores';
import { removeIndexed } from '../../retrieval/ingest';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { invalidRequest, notFound } from '../errors';
import { listEnvelope, POLL_AFTER_MS } from '../pagination';
import { FileBatchCreateParams, resolveChunking } from '../../contract/vector-stores';
import { parseBody, parseWith, pathId } from '../validation';
import { VectorStoreFileListQuery } from './vector-store-files';
import { requireActive, requireStore } from './vector-stores';

/** `client.vectorStores.fileBatches`: create, retrieve, cancel, list files. */
export const fileBatchesRoutes = new Hono<AppEnv>();

/** Status from the batch's files: cancelled after a cancel, in progress while any file is, else done. */
async function batchObject(c: AppContext, batch: FileBatchRow) {
  const counts = (await fileCountsOf(dbOf(c), [batch.vectorStoreId], batch.id)).get(batch.vectorStoreId) ?? {
    in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0,
  };
  const status = batch.cancelled
    ? 'cancelled'
    : counts.in_progress > 0
      ? 'in_progress'
      : counts.total > 0 && counts.failed === counts.total
        ? 'failed'
        : 'completed';
  return {
    id: batch.id,
    object: 'vector_store.files_batch' as const,
    created_at: batch.createdAt,
    vector_store_id: batch.vectorStoreId,
    status,
    file_counts: counts,
  };
}

async function requireBatch(c: AppContext) {
  const store = await requireStore(c);
  const id = pathId(c, 'batch_id', 'vsfb_');
  const batch = await getFileBatchRow(dbOf(c), projectOf(c), store.id, id);
  if (!batch) throw notFound('file batch', id);
  return batch;
}

fileBatchesRoutes.post('/vector_stores/:vector_store_id/file_batches', async (c) => {
  const store = await requireStore(c);
  requireActive(store);
  const p = await parseBody(c, FileBatchCreateParams);
  if (!p.file_ids === !p.files) {
    throw invalidRequest("Exactly one of 'file_ids' or 'files' must be provided.", p.file_ids ? 'files' : 'file_ids', 'invalid_value');
  }
  const chunking = resolveChunking(p.chunking_strategy);
  const entries = p.file_ids
    ? p.file_ids.map((fileId) => ({ fileId, chunking, attributes: p.attributes ?? null }))
    : p.files!.map((f) => ({ fileId: f.file_id, chunking: f.chunking_strategy ? resolveChunking(f.chunking_strategy) : chunking, attributes: f.attributes ?? p.attributes ?? null }));
  const db = dbOf(c);
  const batch = await insertFileBatch(db, projectOf(c), store.id);
  try {
    await attachFiles(db, c.env.INGEST_QUEUE, projectOf(c), store.id, entries, batch.id);
  } catch (err) {
    await deleteFileBatch(db, batch);
    throw err;
  }
  return c.json(await batchObject(c, batch));
});

fileBatchesRoutes.get('/vector_stores/:vector_store_id/file_batches/:batch_id', async (c) => {
  const batch = await requireBatch(c);
  const body = await batchObject(c, batch);
  if (body.status === 'in_progress') c.header('openai-poll-after-ms', POLL_AFTER_MS);
  return c.json(body);
});

/** Cancel: files not yet indexed become `cancelled` and whatever they had written is removed. */
fileBatchesRoutes.post('/vector_stores/:vector_store_id/file_batches/:batch_id/cancel', async (c) => {
  const batch = await requireBatch(c);
  const db = dbOf(c);
  if (!batch.cancelled) {
    const body = await batchObject(c, batch);
    if (body.status !== 'in_progress') throw invalidRequest(`Cannot cancel a batch with status '${body.status}'.`);
    await markFileBatchCancelled(db, batch);
    for (const fileId of await cancelBatchFiles(db, batch.id)) await removeIndexed(c.var.services.retrieval, batch.vectorStoreId, fileId);
  }
  return c.json(await batchObject(c, { ...batch, cancelled: true }));
});

fileBatchesRoutes.get('/vector_stores/:vector_store_id/file_batches/:batch_id/files', async (c) => {
  const batch = await requireBatch(c);
  const q = parseWith(VectorStoreFileListQuery, c.req.query());
  return c.json(listEnvelope(await listVectorStoreFiles(dbOf(c), batch.vectorStoreId, { ...q, status: q.filter, batchId: batch.id })));
});

