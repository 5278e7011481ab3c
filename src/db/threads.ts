import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { inProject } from './project-scope';
import { toThreadObject, type ThreadObjectJson } from '../domain/threads';
import type { Database } from './client';
import { pageBy, type ListParams, type Page } from './pagination';
import { conversationItems, messages, runOrigins, threads } from './schema';

export type ThreadRow = typeof threads.$inferSelect;

export { toThreadObject, type ThreadObjectJson };

export async function getThreadRow(db: Database, projectId: string, id: string) {
  return db.query.threads.findFirst({ where: inProject(threads, projectId, eq(threads.id, id)) });
}

export async function updateThread(
  db: Database,
  projectId: string,
  id: string,
  patch: { toolResources?: unknown; metadata?: Record<string, string> },
) {
  const where = inProject(threads, projectId, eq(threads.id, id));
  const rows =
    Object.keys(patch).length === 0
      ? await db.select().from(threads).where(where)
      : await db.update(threads).set(patch).where(where).returning();
  return rows[0] ? toThreadObject(rows[0]) : undefined;
}

/** Deletes the thread, all its messages and its conversation items in one atomic D1 batch. */
export async function deleteThreadAndMessages(db: Database, projectId: string, id: string): Promise<boolean> {
  const [, , deleted] = await db.batch([
    db.delete(messages).where(inProject(messages, projectId, eq(messages.threadId, id))),
    db.delete(conversationItems).where(inProject(conversationItems, projectId, eq(conversationItems.threadId, id))),
    db
      .delete(threads)
      .where(inProject(threads, projectId, eq(threads.id, id)))
      .returning({ id: threads.id }),
  ]);
  return deleted.length > 0;
}

/** Filters of `GET /v1/threads` beyond the cursor (all ANDed; times are unix seconds, inclusive). */
export interface ThreadFilters {
  metadata: Record<string, string>;
  createdAfter?: number;
  createdBefore?: number;
  assistantId?: string;
}

/** The project's threads, newest first by default, through the one pagination query. */
export async function listThreads(db: Database, projectId: string, params: ListParams, filters: ThreadFilters): Promise<Page<ThreadObjectJson>> {
  const conds: (SQL | undefined)[] = [inProject(threads, projectId)];
  // Keys are validated by the route (no `"`), so the JSON path `$."key"` names exactly that key.
  for (const [key, value] of Object.entries(filters.metadata)) conds.push(sql`json_extract(${threads.metadata}, ${`$."${key}"`}) = ${value}`);
  if (filters.createdAfter !== undefined) conds.push(gte(threads.createdAt, filters.createdAfter));
  if (filters.createdBefore !== undefined) conds.push(lte(threads.createdAt, filters.createdBefore));
  if (filters.assistantId !== undefined) conds.push(eq(threads.lastAssistantId, filters.assistantId));
  const page = await pageBy(threads.id, params, and(...conds), (where, orderBy, limit) =>
    db.select().from(threads).where(where).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toThreadObject) };
}

/**
 * Called once when a run is created: the thread remembers the assistant it was last run with (the
 * `assistant_id` filter of the list) and the run remembers the API key that created it (usage
 * grouped by `api_key_id`). One atomic D1 batch.
 */
export async function recordRunStart(
  db: Database,
  r: { projectId: string; threadId: string; runId: string; assistantId: string; apiKeyId: string | null; createdAt: number },
): Promise<void> {
  await db.batch([
    db
      .update(threads)
      .set({ lastAssistantId: r.assistantId, lastRunAt: r.createdAt })
      .where(inProject(threads, r.projectId, eq(threads.id, r.threadId))),
    db.insert(runOrigins).values({ runId: r.runId, projectId: r.projectId, apiKeyId: r.apiKeyId, createdAt: r.createdAt }).onConflictDoNothing(),
  ]);
}
