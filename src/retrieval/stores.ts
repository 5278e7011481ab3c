import { and, eq } from 'drizzle-orm';
import { byKey, inProject } from '../db/project-scope';
import { expiredFileIds, getFileRow } from '../db/files';
import { deleteFileRecord } from '../db/files-service';
import type { Database } from '../db/client';
import { fileBatches, vectorStoreFiles, vectorStores } from '../db/schema';
import { addVectorStoreFiles, deleteVectorStoreFileRow, storesOfFile, type NewVectorStoreFile, type VectorStoreFileRow } from '../db/vector-store-files';
import { refreshUsage } from '../db/vector-stores';
import { unknownObject } from '../domain/errors';
import { removeIndexed, type IngestJob } from './ingest';
import { enqueueIngest } from './ingest-jobs';
import type { RetrievalServices } from './search';

/**
 * Adds files to a store and queues their ingestion. Every file must exist in the project (OpenAI
 * answers 404 for an unknown file); the ones already in the store are left as they are. A failed
 * queue send does not fail the request: the files stay `in_progress` and the sweeper sends them
 * again or fails them (src/retrieval/ingest-jobs.ts), as OpenAI reports indexing problems on the file.
 */
export async function attachFiles(
  db: Database,
  queue: Queue,
  projectId: string,
  storeId: string,
  entries: NewVectorStoreFile[],
  batchId: string | null = null,
): Promise<VectorStoreFileRow[]> {
  for (const e of entries) {
    if (!(await getFileRow(db, projectId, e.fileId))) {
      throw unknownObject('file', e.fileId, 'file_id');
    }
  }
  const { rows, added } = await addVectorStoreFiles(db, projectId, storeId, entries, batchId);
  const jobs: IngestJob[] = added.map((r) => ({ projectId, vectorStoreId: storeId, fileId: r.id }));
  await enqueueIngest(db, queue, jobs);
  return rows;
}

/** Removes a file from a store: its row, chunks, keyword entries and vectors. */
export async function detachFile(services: RetrievalServices, storeId: string, fileId: string): Promise<boolean> {
  const removed = await deleteVectorStoreFileRow(services.db, storeId, fileId);
  await removeIndexed(services, storeId, fileId);
  await refreshUsage(services.db, storeId);
  return removed;
}

/** Deletes a store and everything it holds. */
export async function deleteStore(services: RetrievalServices, projectId: string, storeId: string): Promise<boolean> {
  const { db } = services;
  await removeIndexed(services, storeId);
  await db.batch([
    db.delete(vectorStoreFiles).where(byKey(vectorStoreFiles, 'parent found in project', eq(vectorStoreFiles.vectorStoreId, storeId))),
    db.delete(fileBatches).where(byKey(fileBatches, 'parent found in project', eq(fileBatches.vectorStoreId, storeId))),
  ]);
  const rows = await db
    .delete(vectorStores)
    .where(inProject(vectorStores, projectId, eq(vectorStores.id, storeId)))
    .returning({ id: vectorStores.id });
  return rows.length > 0;
}

/** Deleting a File removes it from every store it was in (nothing orphaned). */
export async function detachFileEverywhere(services: RetrievalServices, projectId: string, fileId: string): Promise<void> {
  for (const store of await storesOfFile(services.db, projectId, fileId)) await detachFile(services, store, fileId);
}

/** Deletes a File: first from every vector store (chunks, vectors), then its row and bytes. */
export async function deleteFile(services: RetrievalServices, bucket: R2Bucket, projectId: string, fileId: string): Promise<boolean> {
  await detachFileEverywhere(services, projectId, fileId);
  return deleteFileRecord(services.db, bucket, projectId, fileId);
}

/** Deletes a few expired files (lazy cleanup after list calls). Errors are logged, not raised. */
export async function purgeExpiredFiles(services: RetrievalServices, bucket: R2Bucket, projectId: string): Promise<void> {
  for (const id of await expiredFileIds(services.db, projectId)) {
    await deleteFile(services, bucket, projectId, id).catch((err: unknown) => console.error(`purging expired ${id}:`, err));
  }
}
