import { Hono } from 'hono';
import { z } from 'zod';
import { chunksOfFile } from '../../db/chunks';
import {
  getVectorStoreFileRow,
  listVectorStoreFiles,
  toVectorStoreFileObject,
  updateVectorStoreFileAttributes,
} from '../../db/vector-store-files';
import { attachFiles, detachFile } from '../../retrieval/stores';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { notFound } from '../errors';
import { listEnvelope, ListQuery } from '../pagination';
import { resolveChunking, VectorStoreFileCreateParams, VectorStoreFileUpdateParams } from '../../contract/vector-stores';
import { parseBody, parseWith, pathId } from '../validation';
import { POLL_AFTER_MS } from '../pagination';
import { requireActive, requireStore } from './vector-stores';

/** `client.vectorStores.files`: add (and index) a file, list, retrieve, update attributes, remove, content. */
export const vectorStoreFilesRoutes = new Hono<AppEnv>();

/** `filter` on file lists: one of the four file statuses. */
export const VectorStoreFileListQuery = ListQuery.extend({ filter: z.enum(['in_progress', 'completed', 'failed', 'cancelled']).optional() });

async function requireStoreFile(c: AppContext) {
  const store = await requireStore(c);
  const fileId = pathId(c, 'file_id', 'file-');
  const row = await getVectorStoreFileRow(dbOf(c), projectOf(c), store.id, fileId);
  if (!row) throw notFound('vector store file', fileId);
  return { store, row };
}

vectorStoreFilesRoutes.post('/vector_stores/:vector_store_id/files', async (c) => {
  const store = await requireStore(c);
  requireActive(store);
  const p = await parseBody(c, VectorStoreFileCreateParams);
  const [row] = await attachFiles(dbOf(c), c.env.INGEST_QUEUE, projectOf(c), store.id, [
    { fileId: p.file_id, chunking: resolveChunking(p.chunking_strategy), attributes: p.attributes ?? null },
  ]);
  return c.json(toVectorStoreFileObject(row!));
});

vectorStoreFilesRoutes.get('/vector_stores/:vector_store_id/files', async (c) => {
  const store = await requireStore(c);
  const q = parseWith(VectorStoreFileListQuery, c.req.query());
  return c.json(listEnvelope(await listVectorStoreFiles(dbOf(c), store.id, { ...q, status: q.filter })));
});

vectorStoreFilesRoutes.get('/vector_stores/:vector_store_id/files/:file_id', async (c) => {
  const { row } = await requireStoreFile(c);
  // The SDK's files.poll() sleeps this long between GETs (5 s without it).
  if (row.status === 'in_progress') c.header('openai-poll-after-ms', POLL_AFTER_MS);
  return c.json(toVectorStoreFileObject(row));
});

vectorStoreFilesRoutes.post('/vector_stores/:vector_store_id/files/:file_id', async (c) => {
  const { row } = await requireStoreFile(c);
  const p = await parseBody(c, VectorStoreFileUpdateParams);
  return c.json(toVectorStoreFileObject(await updateVectorStoreFileAttributes(dbOf(c), row, p.attributes)));
});

vectorStoreFilesRoutes.delete('/vector_stores/:vector_store_id/files/:file_id', async (c) => {
  const { store, row } = await requireStoreFile(c);
  await detachFile(c.var.services.retrieval, store.id, row.id);
  return c.json({ id: row.id, object: 'vector_store.file.deleted', deleted: true });
});

/** The parsed text of a file as indexed, chunk by chunk (`vector_store.file_content.page`). */
vectorStoreFilesRoutes.get('/vector_stores/:vector_store_id/files/:file_id/content', async (c) => {
  const { store, row } = await requireStoreFile(c);
  const chunks = await chunksOfFile(dbOf(c), store.id, row.id);
  return c.json({
    object: 'vector_store.file_content.page',
    data: chunks.map((ch) => ({ type: 'text', text: ch.text })),
    has_more: false,
    next_page: null,
  });
});
