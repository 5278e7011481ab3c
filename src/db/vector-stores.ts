import { and, eq, inArray, sql } from 'drizzle-orm';
import { byKey, inProject } from './project-scope';
import { newId, unixSeconds } from '../domain/ids';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { vectorStores, vectorStoreFiles, type FileCounts } from './schema';

export type VectorStoreRow = typeof vectorStores.$inferSelect;

const DAY = 86_400;

const ZERO_COUNTS: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };

/** Files per status in each of `storeIds` (one grouped query). */
export async function fileCountsOf(db: Database, storeIds: string[], batchId?: string): Promise<Map<string, FileCounts>> {
  const out = new Map<string, FileCounts>();
  if (storeIds.length === 0) return out;
  const where = byKey(vectorStoreFiles, 'parent found in project', batchId ? eq(vectorStoreFiles.batchId, batchId) : inArray(vectorStoreFiles.vectorStoreId, storeIds));
  const rows = await db
    .select({ store: vectorStoreFiles.vectorStoreId, status: vectorStoreFiles.status, n: sql<number>`count(*)` })
    .from(vectorStoreFiles)
    .where(where)
    .groupBy(vectorStoreFiles.vectorStoreId, vectorStoreFiles.status);
  for (const r of rows) {
    const counts = out.get(r.store) ?? { ...ZERO_COUNTS };
    counts[r.status] += Number(r.n);
    counts.total += Number(r.n);
    out.set(r.store, counts);
  }
  return out;
}

export const isExpired = (row: VectorStoreRow, now = unixSeconds()) => row.expiresAt !== null && row.expiresAt <= now;

/** VectorStoreObject (docs/openai-behaviour.md §2.7): status is derived from expiry and the files' progress. */
export function toVectorStoreObject(row: VectorStoreRow, counts: FileCounts = ZERO_COUNTS) {
  const status = isExpired(row) ? 'expired' : counts.in_progress > 0 ? 'in_progress' : 'completed';
  return {
    id: row.id,
    object: 'vector_store' as const,
    created_at: row.createdAt,
    name: row.name,
    usage_bytes: row.usageBytes,
    file_counts: counts,
    status,
    last_active_at: row.lastActiveAt,
    metadata: row.metadata,
    // Optional and not nullable in the schema: present only when set.
    ...(row.expiresAfter ? { expires_after: row.expiresAfter } : {}),
    expires_at: row.expiresAt,
  };
}
export type VectorStoreObject = ReturnType<typeof toVectorStoreObject>;

/** `expires_at` = last activity + `days` (OpenAI's only anchor is `last_active_at`). */
function expiryFrom(after: VectorStoreRow['expiresAfter'], lastActiveAt: number | null): number | null {
  return after && lastActiveAt !== null ? lastActiveAt + after.days * DAY : null;
}

export async function insertVectorStore(
  db: Database,
  projectId: string,
  p: { name?: string; description?: string; expires_after?: VectorStoreRow['expiresAfter']; metadata?: Record<string, string> | null },
): Promise<VectorStoreRow> {
  const now = Date.now();
  const created = unixSeconds(now);
  const row: VectorStoreRow = {
    id: newId('vs_', now),
    projectId,
    createdAt: created,
    name: p.name ?? '',
    description: p.description ?? null,
    usageBytes: 0,
    lastActiveAt: created,
    expiresAfter: p.expires_after ?? null,
    expiresAt: expiryFrom(p.expires_after ?? null, created),
    metadata: p.metadata ?? {},
  };
  await db.insert(vectorStores).values(row);
  return row;
}

export async function getVectorStoreRow(db: Database, projectId: string, id: string) {
  return db.query.vectorStores.findFirst({ where: inProject(vectorStores, projectId, eq(vectorStores.id, id)) });
}

export async function listVectorStores(db: Database, projectId: string, params: ListParams) {
  const page = await pageBy(vectorStores.id, params, inProject(vectorStores, projectId), (w, orderBy, limit) =>
    db.select().from(vectorStores).where(w).orderBy(orderBy).limit(limit),
  );
  const counts = await fileCountsOf(db, page.data.map((r) => r.id));
  return { ...page, data: page.data.map((r) => toVectorStoreObject(r, counts.get(r.id))) };
}

export async function updateVectorStore(
  db: Database,
  row: VectorStoreRow,
  p: { name?: string | null; expires_after?: VectorStoreRow['expiresAfter']; metadata?: Record<string, string> | null },
) {
  const patch: Partial<VectorStoreRow> = {};
  if (p.name !== undefined) patch.name = p.name ?? '';
  if (p.metadata !== undefined) patch.metadata = p.metadata ?? {};
  if (p.expires_after !== undefined) {
    patch.expiresAfter = p.expires_after;
    patch.expiresAt = expiryFrom(p.expires_after, row.lastActiveAt);
  }
  if (Object.keys(patch).length === 0) return row;
  const [updated] = await db.update(vectorStores).set(patch).where(byKey(vectorStores, 'row found in project', eq(vectorStores.id, row.id))).returning();
  return updated ?? row;
}

/** Activity (a search, a run using the store) moves `last_active_at` and with it the expiry. */
export async function touchVectorStore(db: Database, row: VectorStoreRow): Promise<void> {
  const now = unixSeconds();
  const expiresAt = expiryFrom(row.expiresAfter, now);
  // Already touched this second (last_active_at has 1 s resolution): the write would store the same
  // values again. A store searched several times a second (an assistant's run, a busy client) then
  // costs one D1 write a second, not one a search; locally the write competed with the next search.
  if (row.lastActiveAt === now && row.expiresAt === expiresAt) return;
  await db
    .update(vectorStores)
    .set({ lastActiveAt: now, expiresAt })
    .where(byKey(vectorStores, 'row found in project', eq(vectorStores.id, row.id)));
}

/** Recomputes `usage_bytes` from the store's files. */
export async function refreshUsage(db: Database, storeId: string): Promise<void> {
  await db
    .update(vectorStores)
    .set({
      usageBytes: sql`(SELECT COALESCE(SUM(${vectorStoreFiles.usageBytes}), 0) FROM ${vectorStoreFiles} WHERE ${vectorStoreFiles.vectorStoreId} = ${storeId})`,
    })
    .where(byKey(vectorStores, 'internal', eq(vectorStores.id, storeId)));
}
