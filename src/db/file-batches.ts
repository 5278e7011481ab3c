import { eq } from 'drizzle-orm';
import { newId, unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { byKey, inProject } from './project-scope';
import { fileBatches } from './schema';

export type FileBatchRow = typeof fileBatches.$inferSelect;

/** A new batch of a vector store (its files are attached by the caller, src/retrieval/stores.ts). */
export async function insertFileBatch(db: Database, projectId: string, vectorStoreId: string): Promise<FileBatchRow> {
  const now = Date.now();
  const row: FileBatchRow = { id: newId('vsfb_', now), vectorStoreId, projectId, createdAt: unixSeconds(now), cancelled: false };
  await db.insert(fileBatches).values(row);
  return row;
}

/** The batch `id` of a store already found in the caller's project, or undefined. */
export async function getFileBatchRow(db: Database, projectId: string, vectorStoreId: string, id: string): Promise<FileBatchRow | undefined> {
  return db.query.fileBatches.findFirst({ where: inProject(fileBatches, projectId, eq(fileBatches.vectorStoreId, vectorStoreId), eq(fileBatches.id, id)) });
}

/** Removes a batch whose files could not be attached (nothing else refers to it yet). */
export async function deleteFileBatch(db: Database, batch: FileBatchRow): Promise<void> {
  await db.delete(fileBatches).where(byKey(fileBatches, 'row found in project', eq(fileBatches.id, batch.id)));
}

export async function markFileBatchCancelled(db: Database, batch: FileBatchRow): Promise<void> {
  await db.update(fileBatches).set({ cancelled: true }).where(byKey(fileBatches, 'row found in project', eq(fileBatches.id, batch.id)));
}
