import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { vectorStoreFiles } from './schema';

export type VectorStoreFileRow = typeof vectorStoreFiles.$inferSelect;
export type VectorStoreFileStatus = VectorStoreFileRow['status'];

/** VectorStoreFileObject: `id` is the File id; the chunking strategy is reported as `static`. */
export function toVectorStoreFileObject(row: VectorStoreFileRow) {
  return {
    id: row.id,
    object: 'vector_store.file' as const,
    usage_bytes: row.usageBytes,
    created_at: row.createdAt,
    vector_store_id: row.vectorStoreId,
    status: row.status,
    last_error: row.lastError ?? null,
    chunking_strategy: { type: 'static' as const, static: row.chunkingStrategy },
    attributes: row.attributes ?? {},
  };
}

export interface NewVectorStoreFile {
  fileId: string;
  chunking: VectorStoreFileRow['chunkingStrategy'];
  attributes: VectorStoreFileRow['attributes'];
}

/**
 * Adds files to a store as `in_progress`. A file already in the store keeps its row (adding it
 * again is not a second copy); the rows returned are the ones now in the store.
 */
export async function addVectorStoreFiles(
  db: Database,
  projectId: string,
  storeId: string,
  files: NewVectorStoreFile[],
  batchId: string | null = null,
): Promise<{ rows: VectorStoreFileRow[]; added: VectorStoreFileRow[] }> {
  const created = unixSeconds();
  const fresh: VectorStoreFileRow[] = files.map((f) => ({
    vectorStoreId: storeId,
    id: f.fileId,
    projectId,
    createdAt: created,
    status: 'in_progress',
    lastError: null,
    usageBytes: 0,
    chunkingStrategy: f.chunking,
    attributes: f.attributes,
    batchId,
  }));
  const added: VectorStoreFileRow[] = [];
  // 10 columns a row: 9 rows a statement stays under D1's 100 bound parameters.
  for (let i = 0; i < fresh.length; i += 9) {
    const slice = fresh.slice(i, i + 9);
    const inserted = await db.insert(vectorStoreFiles).values(slice).onConflictDoNothing().returning();
    added.push(...inserted);
  }
  const ids = files.map((f) => f.fileId);
  const rows: VectorStoreFileRow[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    rows.push(
      ...(await db
        .select()
        .from(vectorStoreFiles)
        .where(and(eq(vectorStoreFiles.vectorStoreId, storeId), inArray(vectorStoreFiles.id, ids.slice(i, i + 90))))),
    );
  }
  return { rows, added };
}

export async function getVectorStoreFileRow(db: Database, projectId: string, storeId: string, fileId: string) {
  return db.query.vectorStoreFiles.findFirst({
    where: and(eq(vectorStoreFiles.projectId, projectId), eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId)),
  });
}

export async function listVectorStoreFiles(
  db: Database,
  storeId: string,
  params: ListParams & { status?: VectorStoreFileStatus; batchId?: string },
) {
  const conds: SQL[] = [eq(vectorStoreFiles.vectorStoreId, storeId)];
  if (params.status) conds.push(eq(vectorStoreFiles.status, params.status));
  if (params.batchId) conds.push(eq(vectorStoreFiles.batchId, params.batchId));
  const page = await pageBy(vectorStoreFiles.id, params, and(...conds), (w, orderBy, limit) =>
    db.select().from(vectorStoreFiles).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toVectorStoreFileObject) };
}

export async function updateVectorStoreFileAttributes(db: Database, row: VectorStoreFileRow, attributes: VectorStoreFileRow['attributes']) {
  const [updated] = await db
    .update(vectorStoreFiles)
    .set({ attributes })
    .where(and(eq(vectorStoreFiles.vectorStoreId, row.vectorStoreId), eq(vectorStoreFiles.id, row.id)))
    .returning();
  return updated ?? row;
}

/** Ends ingestion of a file, only if it is still in progress (a cancel or delete wins). */
export async function finishVectorStoreFile(
  db: Database,
  storeId: string,
  fileId: string,
  end: { status: 'completed'; usageBytes: number } | { status: 'failed'; error: { code: string; message: string } },
): Promise<boolean> {
  const set =
    end.status === 'completed'
      ? { status: end.status, usageBytes: end.usageBytes, lastError: null }
      : { status: end.status, lastError: end.error };
  const rows = await db
    .update(vectorStoreFiles)
    .set(set)
    .where(and(eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId), eq(vectorStoreFiles.status, 'in_progress')))
    .returning({ id: vectorStoreFiles.id });
  return rows.length === 1;
}

/** A batch cancel: its files still in progress become `cancelled`. */
export async function cancelBatchFiles(db: Database, batchId: string): Promise<string[]> {
  const rows = await db
    .update(vectorStoreFiles)
    .set({ status: 'cancelled' })
    .where(and(eq(vectorStoreFiles.batchId, batchId), eq(vectorStoreFiles.status, 'in_progress')))
    .returning({ id: vectorStoreFiles.id });
  return rows.map((r) => r.id);
}

export async function deleteVectorStoreFileRow(db: Database, storeId: string, fileId: string): Promise<boolean> {
  const rows = await db
    .delete(vectorStoreFiles)
    .where(and(eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId)))
    .returning({ id: vectorStoreFiles.id });
  return rows.length > 0;
}

/** Every store a file belongs to (deleting a File removes it from all of them). */
export async function storesOfFile(db: Database, projectId: string, fileId: string): Promise<string[]> {
  const rows = await db
    .select({ store: vectorStoreFiles.vectorStoreId })
    .from(vectorStoreFiles)
    .where(and(eq(vectorStoreFiles.projectId, projectId), eq(vectorStoreFiles.id, fileId)));
  return rows.map((r) => r.store);
}
