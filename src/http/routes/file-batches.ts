import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { fileBatches } from '../../db/schema';
import { cancelBatchFiles, listVectorStoreFiles } from '../../db/vector-store-files';
import { fileCountsOf } from '../../db/vector-stores';
import { newId, unixSeconds } from '../../domain/ids';
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

type BatchRow = typeof fileBatches.$inferSelect;

/** Status from the batch's files: cancelled after a cancel, in progress while any file is, else done. */
async function batchObject(c: AppContext, batch: BatchRow) {
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
  const batch = await dbOf(c).query.fileBatches.findFirst({ where: and(eq(fileBatches.vectorStoreId, store.id), eq(fileBatches.id, id)) });
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
  const now = Date.now();
  const batch: BatchRow = { id: newId('vsfb_', now), vectorStoreId: store.id, projectId: projectOf(c), createdAt: unixSeconds(now), cancelled: false };
  const db = dbOf(c);
  await db.insert(fileBatches).values(batch);
  try {
    await attachFiles(db, c.env.INGEST_QUEUE, projectOf(c), store.id, entries, batch.id);
  } catch (err) {
    await db.delete(fileBatches).where(eq(fileBatches.id, batch.id));
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
    await db.update(fileBatches).set({ cancelled: true }).where(eq(fileBatches.id, batch.id));
    for (const fileId of await cancelBatchFiles(db, batch.id)) await removeIndexed(c.var.services.retrieval, batch.vectorStoreId, fileId);
  }
  return c.json(await batchObject(c, { ...batch, cancelled: true }));
});

fileBatchesRoutes.get('/vector_stores/:vector_store_id/file_batches/:batch_id/files', async (c) => {
  const batch = await requireBatch(c);
  const q = parseWith(VectorStoreFileListQuery, c.req.query());
  return c.json(listEnvelope(await listVectorStoreFiles(dbOf(c), batch.vectorStoreId, { ...q, status: q.filter, batchId: batch.id })));
});

