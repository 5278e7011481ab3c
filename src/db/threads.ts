import { and, eq } from 'drizzle-orm';
import type { Database } from './client';
import { messages, threads } from './schema';

export type ThreadRow = typeof threads.$inferSelect;

/** ThreadObject: `tool_resources` is `{}` when nothing is attached, as in OpenAI's examples. */
export function toThreadObject(row: ThreadRow) {
  return {
    id: row.id,
    object: 'thread' as const,
    created_at: row.createdAt,
    tool_resources: row.toolResources ?? {},
    metadata: row.metadata,
  };
}
export type ThreadObjectJson = ReturnType<typeof toThreadObject>;

export async function getThreadRow(db: Database, projectId: string, id: string) {
  return db.query.threads.findFirst({ where: and(eq(threads.projectId, projectId), eq(threads.id, id)) });
}

export async function updateThread(
  db: Database,
  projectId: string,
  id: string,
  patch: { toolResources?: unknown; metadata?: Record<string, string> },
) {
  const where = and(eq(threads.projectId, projectId), eq(threads.id, id));
  const rows =
    Object.keys(patch).length === 0
      ? await db.select().from(threads).where(where)
      : await db.update(threads).set(patch).where(where).returning();
  return rows[0] ? toThreadObject(rows[0]) : undefined;
}

/** Deletes the thread and all its messages in one atomic D1 batch. */
export async function deleteThreadAndMessages(db: Database, projectId: string, id: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db.delete(messages).where(and(eq(messages.projectId, projectId), eq(messages.threadId, id))),
    db
      .delete(threads)
      .where(and(eq(threads.projectId, projectId), eq(threads.id, id)))
      .returning({ id: threads.id }),
  ]);
  return deleted.length > 0;
}
