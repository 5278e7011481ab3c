import { and, asc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { byKey, inProject } from './project-scope';
import { unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { chunks, vectorStoreFiles } from './schema';

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
  const now = Date.now();
  const created = unixSeconds(now);
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
    attempts: 1,
    claim: 0,
    chunksEmbedded: 0,
    progressAt: now,
  }));
  const added: VectorStoreFileRow[] = [];
  // 14 columns a row: 7 rows a statement stays under D1's 100 bound parameters.
  for (let i = 0; i < fresh.length; i += 7) {
    const slice = fresh.slice(i, i + 7);
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
        .where(byKey(vectorStoreFiles, 'parent found in project', eq(vectorStoreFiles.vectorStoreId, storeId), inArray(vectorStoreFiles.id, ids.slice(i, i + 90))))),
    );
  }
  return { rows, added };
}

export async function getVectorStoreFileRow(db: Database, projectId: string, storeId: string, fileId: string) {
  return db.query.vectorStoreFiles.findFirst({
    where: inProject(vectorStoreFiles, projectId, eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId)),
  });
}

export async function listVectorStoreFiles(
  db: Database,
  storeId: string,
  params: ListParams & { status?: VectorStoreFileStatus; batchId?: string },
) {
  // The store was found in the caller's project (the routes' requireStore).
  const conds: SQL[] = [eq(vectorStoreFiles.vectorStoreId, storeId)];
  if (params.status) conds.push(eq(vectorStoreFiles.status, params.status));
  if (params.batchId) conds.push(eq(vectorStoreFiles.batchId, params.batchId));
  const page = await pageBy(vectorStoreFiles.id, params, byKey(vectorStoreFiles, 'parent found in project', ...conds), (w, orderBy, limit) =>
    db.select().from(vectorStoreFiles).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toVectorStoreFileObject) };
}

export async function updateVectorStoreFileAttributes(db: Database, row: VectorStoreFileRow, attributes: VectorStoreFileRow['attributes']) {
  const [updated] = await db
    .update(vectorStoreFiles)
    .set({ attributes })
    .where(byKey(vectorStoreFiles, 'row found in project', eq(vectorStoreFiles.vectorStoreId, row.vectorStoreId), eq(vectorStoreFiles.id, row.id)))
    .returning();
  return updated ?? row;
}

/**
 * Ends ingestion of a file, only if it is still in progress (a cancel or delete wins) and, when
 * `claim` is given, only if that consumer still holds the file (a newer attempt wins).
 */
export async function finishVectorStoreFile(
  db: Database,
  storeId: string,
  fileId: string,
  end: { status: 'completed'; usageBytes: number } | { status: 'failed'; error: { code: string; message: string } },
  claim?: number,
): Promise<boolean> {
  const set =
    end.status === 'completed'
      ? { status: end.status, usageBytes: end.usageBytes, lastError: null, progressAt: Date.now() }
      : { status: end.status, lastError: end.error, progressAt: Date.now() };
  const rows = await db
    .update(vectorStoreFiles)
    .set(set)
    .where(byKey(vectorStoreFiles, 'internal', inProgress(storeId, fileId), claim === undefined ? undefined : eq(vectorStoreFiles.claim, claim)))
    .returning({ id: vectorStoreFiles.id });
  return rows.length === 1;
}

const inProgress = (storeId: string, fileId: string) =>
  and(eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId), eq(vectorStoreFiles.status, 'in_progress'));

/**
 * A consumer starts on a file: it takes the next claim (any older consumer still working on the
 * file loses it and stops at its next progress write). Null when the file is no longer in progress.
 */
export async function claimVectorStoreFile(db: Database, storeId: string, fileId: string) {
  const [row] = await db
    .update(vectorStoreFiles)
    .set({ claim: sql`${vectorStoreFiles.claim} + 1`, progressAt: Date.now() })
    .where(byKey(vectorStoreFiles, 'internal', inProgress(storeId, fileId)))
    .returning({ claim: vectorStoreFiles.claim, chunksEmbedded: vectorStoreFiles.chunksEmbedded });
  return row ?? null;
}

/**
 * Records a consumer's progress (its resume point, and a sign of life for the sweeper). False when
 * the consumer no longer holds the file (a newer attempt, a cancel or a delete): it must stop.
 */
export async function recordIngestProgress(db: Database, storeId: string, fileId: string, claim: number, chunksEmbedded: number): Promise<boolean> {
  const rows = await db
    .update(vectorStoreFiles)
    .set({ chunksEmbedded, progressAt: Date.now() })
    .where(byKey(vectorStoreFiles, 'internal', inProgress(storeId, fileId), eq(vectorStoreFiles.claim, claim)))
    .returning({ id: vectorStoreFiles.id });
  return rows.length === 1;
}

/** Files whose queue send failed: progress_at 0 makes them due at the sweeper's next pass. */
export async function markIngestUnsent(db: Database, storeId: string, fileIds: string[]): Promise<void> {
  for (let i = 0; i < fileIds.length; i += 90) {
    await db
      .update(vectorStoreFiles)
      .set({ progressAt: 0 })
      .where(byKey(vectorStoreFiles, 'internal', eq(vectorStoreFiles.vectorStoreId, storeId), inArray(vectorStoreFiles.id, fileIds.slice(i, i + 90)), eq(vectorStoreFiles.status, 'in_progress')));
  }
}

/** Files in progress with no progress since `before` (unix ms), oldest first (index vector_store_files_progress). */
export async function strandedVectorStoreFiles(db: Database, before: number, limit: number): Promise<VectorStoreFileRow[]> {
  return db
    .select()
    .from(vectorStoreFiles)
    .where(byKey(vectorStoreFiles, 'internal', eq(vectorStoreFiles.status, 'in_progress'), lt(vectorStoreFiles.progressAt, before)))
    .orderBy(asc(vectorStoreFiles.progressAt))
    .limit(limit);
}

/**
 * Takes a stranded file for one more attempt: counts it and marks it as progressing now, only if
 * nobody touched the row since it was read (two sweeps at once re-send it once, not twice).
 */
export async function takeForRetry(db: Database, row: VectorStoreFileRow, now: number): Promise<boolean> {
  const rows = await db
    .update(vectorStoreFiles)
    .set({ attempts: row.attempts + 1, progressAt: now })
    .where(
      byKey(
        vectorStoreFiles,
        'internal',
        inProgress(row.vectorStoreId, row.id),
        eq(vectorStoreFiles.attempts, row.attempts),
        eq(vectorStoreFiles.progressAt, row.progressAt),
      ),
    )
    .returning({ id: vectorStoreFiles.id });
  return rows.length === 1;
}

/**
 * Completes a file for the consumer holding `claim`, and in the same atomic D1 batch deletes the
 * file's chunks any other (older, superseded) consumer wrote, so a file indexed twice keeps one set.
 * Returns whether it completed, and the ids of the stray chunks deleted (their vectors must go too).
 */
export async function completeIngest(
  db: Database,
  storeId: string,
  fileId: string,
  claim: number,
  usageBytes: number,
): Promise<{ completed: boolean; strayChunkIds: number[] }> {
  const holder = byKey(vectorStoreFiles, 'internal', inProgress(storeId, fileId), eq(vectorStoreFiles.claim, claim));
  const stillHeld = sql`EXISTS (SELECT 1 FROM ${vectorStoreFiles} WHERE ${holder})`;
  const [strays, finished] = await db.batch([
    db
      .delete(chunks)
      .where(byKey(chunks, 'internal', eq(chunks.vectorStoreId, storeId), eq(chunks.fileId, fileId), ne(chunks.claim, claim), stillHeld))
      .returning({ id: chunks.id }),
    db
      .update(vectorStoreFiles)
      .set({ status: 'completed', usageBytes, lastError: null, chunksEmbedded: 0, progressAt: Date.now() })
      .where(holder)
      .returning({ id: vectorStoreFiles.id }),
  ]);
  return { completed: finished.length === 1, strayChunkIds: strays.map((r) => r.id) };
}

/** Fails a stranded file, only if nobody touched the row since it was read (a late consumer wins). */
export async function failStranded(db: Database, row: VectorStoreFileRow, error: { code: string; message: string }): Promise<boolean> {
  const rows = await db
    .update(vectorStoreFiles)
    .set({ status: 'failed', lastError: error })
    .where(byKey(vectorStoreFiles, 'internal', inProgress(row.vectorStoreId, row.id), eq(vectorStoreFiles.attempts, row.attempts), eq(vectorStoreFiles.progressAt, row.progressAt)))
    .returning({ id: vectorStoreFiles.id });
  return rows.length === 1;
}

/** A batch cancel: its files still in progress become `cancelled`. */
export async function cancelBatchFiles(db: Database, batchId: string): Promise<string[]> {
  const rows = await db
    .update(vectorStoreFiles)
    .set({ status: 'cancelled' })
    .where(byKey(vectorStoreFiles, 'parent found in project', eq(vectorStoreFiles.batchId, batchId), eq(vectorStoreFiles.status, 'in_progress')))
    .returning({ id: vectorStoreFiles.id });
  return rows.map((r) => r.id);
}

export async function deleteVectorStoreFileRow(db: Database, storeId: string, fileId: string): Promise<boolean> {
  const rows = await db
    .delete(vectorStoreFiles)
    .where(byKey(vectorStoreFiles, 'parent found in project', eq(vectorStoreFiles.vectorStoreId, storeId), eq(vectorStoreFiles.id, fileId)))
    .returning({ id: vectorStoreFiles.id });
  return rows.length > 0;
}

/** Every store a file belongs to (deleting a File removes it from all of them). */
export async function storesOfFile(db: Database, projectId: string, fileId: string): Promise<string[]> {
  const rows = await db
    .select({ store: vectorStoreFiles.vectorStoreId })
    .from(vectorStoreFiles)
    .where(inProject(vectorStoreFiles, projectId, eq(vectorStoreFiles.id, fileId)));
  return rows.map((r) => r.store);
}
