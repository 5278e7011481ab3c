import { inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from './client';
import { inProject, type ProjectScopedTable } from './project-scope';
import { files, messages, threads, vectorStores } from './schema';

/** D1 binds at most 100 parameters per statement. */
const CHUNK = 90;

/** Which of `ids` exist: in `projectId` when given, else in any project (ids are global primary keys). */
async function presentIds(db: Database, table: SQLiteTable & ProjectScopedTable, idColumn: SQLiteColumn, ids: string[], projectId?: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const where = projectId !== undefined ? inProject(table, projectId, inArray(idColumn, chunk)) : inArray(idColumn, chunk);
    const rows = (await db.select({ id: idColumn }).from(table).where(where)) as { id: string }[];
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** The ids of `fileIds` / `vectorStoreIds` that are not the project's (missing, or another project's). */
export async function foreignReferences(db: Database, projectId: string, fileIds: string[], vectorStoreIds: string[]) {
  const ownFiles = await presentIds(db, files, files.id, fileIds, projectId);
  const ownStores = await presentIds(db, vectorStores, vectorStores.id, vectorStoreIds, projectId);
  return { files: fileIds.filter((id) => !ownFiles.has(id)), vectorStores: vectorStoreIds.filter((id) => !ownStores.has(id)) };
}

/** Thread and message ids already taken by any project (D1 primary keys are global). */
export async function takenIds(db: Database, threadId: string, messageIds: string[]): Promise<string[]> {
  const thread = await presentIds(db, threads, threads.id, [threadId]);
  const msgs = await presentIds(db, messages, messages.id, messageIds);
  return [...thread, ...messageIds.filter((id) => msgs.has(id))];
}
