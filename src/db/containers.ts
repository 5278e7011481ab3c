import { eq } from 'drizzle-orm';
import { newId, unixSeconds } from '../domain/ids';
import { runBatch, type Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { byKey, inProject } from './project-scope';
import { containerFiles, containers } from './schema';

/**
 * Containers and their files in D1 (docs/containers.md): the rows only; the bytes (R2) and the sandbox
 * session are handled by src/tools/code-interpreter/containers.ts.
 */

export type ContainerRow = typeof containers.$inferSelect;
export type ContainerFileRow = typeof containerFiles.$inferSelect;

/** OpenAI: a container expires after 20 minutes without activity unless `expires_after` says otherwise. */
export const DEFAULT_CONTAINER_MINUTES = 20;

export const containerFileKey = (projectId: string, containerId: string, fileId: string): string => `containers/${projectId}/${containerId}/${fileId}`;

export const isContainerExpired = (row: ContainerRow, now = unixSeconds()): boolean => row.lastActiveAt + row.expiresAfterMinutes * 60 <= now;

/** OpenAI's container object (`status` is `running` until it expires). */
export function toContainerObject(row: ContainerRow, now = unixSeconds()) {
  return {
    id: row.id,
    object: 'container' as const,
    created_at: row.createdAt,
    status: isContainerExpired(row, now) ? ('expired' as const) : ('running' as const),
    expires_after: { anchor: 'last_active_at' as const, minutes: row.expiresAfterMinutes },
    last_active_at: row.lastActiveAt,
    memory_limit: row.memoryLimit,
    name: row.name,
  };
}

/** OpenAI's container file object (`source`: `user` for uploads and copies, `assistant` for what code wrote). */
export function toContainerFileObject(row: ContainerFileRow) {
  return {
    id: row.id,
    object: 'container.file' as const,
    container_id: row.containerId,
    created_at: row.createdAt,
    bytes: row.bytes,
    path: row.path,
    source: row.source,
  };
}

export async function insertContainer(db: Database, projectId: string, p: { name: string; minutes?: number; memoryLimit?: string }): Promise<ContainerRow> {
  const now = unixSeconds();
  const row: ContainerRow = {
    id: newId('cntr_'),
    projectId,
    createdAt: now,
    name: p.name,
    memoryLimit: p.memoryLimit ?? '1g',
    expiresAfterMinutes: p.minutes ?? DEFAULT_CONTAINER_MINUTES,
    lastActiveAt: now,
  };
  await db.insert(containers).values(row);
  return row;
}

export async function getContainerRow(db: Database, projectId: string, id: string): Promise<ContainerRow | undefined> {
  const [row] = await db.select().from(containers).where(inProject(containers, projectId, eq(containers.id, id))).limit(1);
  return row;
}

export async function listContainers(db: Database, projectId: string, params: ListParams & { name?: string }) {
  const where = inProject(containers, projectId, params.name !== undefined ? eq(containers.name, params.name) : undefined);
  const page = await pageBy(containers.id, params, where, (w, orderBy, limit) => db.select().from(containers).where(w).orderBy(orderBy).limit(limit));
  const now = unixSeconds();
  return { ...page, data: page.data.map((r) => toContainerObject(r, now)) };
}

/** Using the container (running code, adding a file) is activity: it moves the expiry. */
export async function touchContainer(db: Database, row: ContainerRow): Promise<ContainerRow> {
  const now = unixSeconds();
  await db.update(containers).set({ lastActiveAt: now }).where(byKey(containers, 'row found in project', eq(containers.id, row.id)));
  return { ...row, lastActiveAt: now };
}

/** The container and its file rows in one D1 batch (atomic: never a container half deleted). */
export async function deleteContainerRows(db: Database, row: ContainerRow): Promise<void> {
  await runBatch(db, [
    db.delete(containerFiles).where(byKey(containerFiles, 'parent found in project', eq(containerFiles.containerId, row.id))),
    db.delete(containers).where(byKey(containers, 'row found in project', eq(containers.id, row.id))),
  ]);
}

export async function getContainerFileRow(db: Database, container: ContainerRow, id: string): Promise<ContainerFileRow | undefined> {
  const [row] = await db
    .select()
    .from(containerFiles)
    .where(inProject(containerFiles, container.projectId, eq(containerFiles.containerId, container.id), eq(containerFiles.id, id)))
    .limit(1);
  return row;
}

export async function containerFileByPath(db: Database, container: ContainerRow, path: string): Promise<ContainerFileRow | undefined> {
  const [row] = await db
    .select()
    .from(containerFiles)
    .where(inProject(containerFiles, container.projectId, eq(containerFiles.containerId, container.id), eq(containerFiles.path, path)))
    .limit(1);
  return row;
}

/** Every file of the container, oldest first (to place them in the sandbox). */
export async function allContainerFiles(db: Database, container: ContainerRow): Promise<ContainerFileRow[]> {
  return db
    .select()
    .from(containerFiles)
    .where(inProject(containerFiles, container.projectId, eq(containerFiles.containerId, container.id)))
    .orderBy(containerFiles.id);
}

export async function listContainerFiles(db: Database, container: ContainerRow, params: ListParams) {
  const where = inProject(containerFiles, container.projectId, eq(containerFiles.containerId, container.id));
  const page = await pageBy(containerFiles.id, params, where, (w, orderBy, limit) => db.select().from(containerFiles).where(w).orderBy(orderBy).limit(limit));
  return { ...page, data: page.data.map(toContainerFileObject) };
}

export async function insertContainerFile(db: Database, row: ContainerFileRow): Promise<void> {
  await db.insert(containerFiles).values(row);
}

/** A file written again at the same path keeps its id; its size and bytes change. */
export async function updateContainerFileBytes(db: Database, row: ContainerFileRow, bytes: number): Promise<ContainerFileRow> {
  await db.update(containerFiles).set({ bytes }).where(byKey(containerFiles, 'row found in project', eq(containerFiles.id, row.id)));
  return { ...row, bytes };
}

export async function deleteContainerFileRow(db: Database, row: ContainerFileRow): Promise<void> {
  await db.delete(containerFiles).where(byKey(containerFiles, 'row found in project', eq(containerFiles.id, row.id)));
}
