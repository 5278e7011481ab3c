import { getFileRow, openFileStream } from '../../db/files';
import {
  allContainerFiles,
  containerFileByPath,
  containerFileKey,
  deleteContainerFileRow,
  deleteContainerRows,
  insertContainer,
  insertContainerFile,
  updateContainerFileBytes,
  type ContainerFileRow,
  type ContainerRow,
} from '../../db/containers';
import type { Database } from '../../db/client';
import { newId, unixSeconds } from '../../domain/ids';
import type { CodeExecutor } from '../../domain/ports';
import { resolveMimeType } from '../../domain/mime';

/**
 * Containers (docs/containers.md): a container is a code-executor session named by its id, with its files
 * in /mnt/data. The files' bytes are kept in R2 (the session may be gone: idle sandboxes are stopped), and
 * placed in the session again before code runs in it. Used by the Containers API routes and by the
 * code_interpreter tool of the Responses API.
 */

export const SANDBOX_ROOT = '/mnt/data';

/** `/mnt/data/<rel>` for a path relative to /mnt/data (or already absolute). */
export const absolutePath = (path: string): string => (path.startsWith(`${SANDBOX_ROOT}/`) ? path : `${SANDBOX_ROOT}/${path}`);

/** The path relative to /mnt/data of a container file (as the executors take it). */
export const relativePath = (path: string): string => (path.startsWith(`${SANDBOX_ROOT}/`) ? path.slice(SANDBOX_ROOT.length + 1) : path);

export interface ContainerStore {
  db: Database;
  bucket: R2Bucket;
}

/**
 * Puts bytes at a path of the container: a new file, or the file at that path overwritten (it keeps its
 * id). R2 first, then the row; a failed row write removes the new bytes again.
 */
export async function putContainerFile(store: ContainerStore, container: ContainerRow, p: { path: string; bytes: Uint8Array; source: 'user' | 'assistant' }): Promise<ContainerFileRow> {
  const path = absolutePath(p.path);
  const existing = await containerFileByPath(store.db, container, path);
  const contentType = resolveMimeType(path.split('/').pop() ?? path);
  if (existing) {
    await store.bucket.put(existing.r2Key, p.bytes, { httpMetadata: { contentType } });
    return updateContainerFileBytes(store.db, existing, p.bytes.length);
  }
  const id = newId('cfile_');
  const row: ContainerFileRow = {
    id,
    containerId: container.id,
    projectId: container.projectId,
    createdAt: unixSeconds(),
    bytes: p.bytes.length,
    path,
    source: p.source,
    r2Key: containerFileKey(container.projectId, container.id, id),
  };
  await store.bucket.put(row.r2Key, p.bytes, { httpMetadata: { contentType } });
  try {
    await insertContainerFile(store.db, row);
  } catch (err) {
    await store.bucket.delete(row.r2Key).catch(() => undefined);
    throw err;
  }
  return row;
}

/** Copies a File of the project into the container at /mnt/data/<filename>; null if the file is gone. */
export async function copyFileIntoContainer(store: ContainerStore, container: ContainerRow, fileId: string): Promise<ContainerFileRow | null> {
  const file = await getFileRow(store.db, container.projectId, fileId);
  const object = file ? await openFileStream(store.bucket, file) : null;
  if (!file || !object) return null;
  return putContainerFile(store, container, { path: file.filename, bytes: new Uint8Array(await object.arrayBuffer()), source: 'user' });
}

/** A new container with copies of `fileIds` (already checked to be the project's). */
export async function createContainer(
  store: ContainerStore,
  projectId: string,
  p: { name: string; minutes?: number; memoryLimit?: string | null; fileIds?: readonly string[] },
): Promise<ContainerRow> {
  const row = await insertContainer(store.db, projectId, { name: p.name, ...(p.minutes !== undefined ? { minutes: p.minutes } : {}), ...(p.memoryLimit ? { memoryLimit: p.memoryLimit } : {}) });
  try {
    for (const id of new Set(p.fileIds ?? [])) await copyFileIntoContainer(store, row, id);
  } catch (err) {
    // No half-created container.
    await deleteContainer(store, null, row).catch(() => undefined);
    throw err;
  }
  return row;
}

export async function readContainerFile(store: ContainerStore, row: ContainerFileRow): Promise<R2ObjectBody | null> {
  return store.bucket.get(row.r2Key);
}

export async function deleteContainerFile(store: ContainerStore, row: ContainerFileRow): Promise<void> {
  await deleteContainerFileRow(store.db, row);
  await store.bucket.delete(row.r2Key).catch(() => undefined);
}

/** Deletes the container: its rows, its files' bytes and (best effort) its sandbox session. */
export async function deleteContainer(store: ContainerStore, executor: CodeExecutor | null, row: ContainerRow): Promise<void> {
  const stored = await allContainerFiles(store.db, row);
  await deleteContainerRows(store.db, row);
  if (stored.length > 0) await store.bucket.delete(stored.map((f) => f.r2Key)).catch(() => undefined);
  if (executor) await executor.endSession(row.id).catch(() => undefined);
}

/**
 * Places the container's files in its sandbox session (named by the container id) before code runs, so a
 * session that was stopped, or files added through the API since, are there. Returns the files by their
 * path relative to /mnt/data.
 */
export async function syncIntoSandbox(store: ContainerStore, executor: CodeExecutor, container: ContainerRow): Promise<Map<string, ContainerFileRow>> {
  const stored = await allContainerFiles(store.db, container);
  const byPath = new Map<string, ContainerFileRow>();
  for (const f of stored) {
    const object = await store.bucket.get(f.r2Key);
    if (!object) continue;
    await executor.writeFile(container.id, relativePath(f.path), new Uint8Array(await object.arrayBuffer()));
    byPath.set(relativePath(f.path), f);
  }
  return byPath;
}
