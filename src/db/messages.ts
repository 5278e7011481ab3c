import { and, desc, eq, type SQL } from 'drizzle-orm';
import { byKey, inProject } from './project-scope';
import { toMessageObject, type MessageObject, type MessageRecord } from '../domain/messages';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { messages } from './schema';

export type MessageRow = typeof messages.$inferSelect;

// The row type is the domain's MessageRecord; the two must describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRecord: Same<MessageRow, MessageRecord> = true;
void sameRecord;

export { toMessageObject, type MessageObject };

/** D1 allows 100 bound parameters per statement: insert one row per statement, in one atomic batch. */
export function insertMessageStatements(db: Database, rows: MessageRow[]) {
  return rows.map((row) => db.insert(messages).values(row));
}

export async function getMessageRow(db: Database, projectId: string, threadId: string, id: string) {
  return db.query.messages.findFirst({ where: inProject(messages, projectId, eq(messages.threadId, threadId), eq(messages.id, id)) });
}

export async function listMessages(
  db: Database,
  projectId: string,
  threadId: string,
  params: ListParams & { runId?: string },
) {
  let where: SQL | undefined = inProject(messages, projectId, eq(messages.threadId, threadId));
  if (params.runId !== undefined) where = and(where, eq(messages.runId, params.runId));
  const page = await pageBy(messages.id, params, where, (w, orderBy, limit) =>
    db.select().from(messages).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toMessageObject) };
}

export async function updateMessageMetadata(
  db: Database,
  projectId: string,
  threadId: string,
  id: string,
  metadata: Record<string, string> | undefined,
) {
  const where = inProject(messages, projectId, eq(messages.threadId, threadId), eq(messages.id, id));
  const rows =
    metadata === undefined
      ? await db.select().from(messages).where(where)
      : await db.update(messages).set({ metadata }).where(where).returning();
  return rows[0] ? toMessageObject(rows[0]) : undefined;
}

export async function deleteMessage(db: Database, projectId: string, threadId: string, id: string) {
  const rows = await db
    .delete(messages)
    .where(inProject(messages, projectId, eq(messages.threadId, threadId), eq(messages.id, id)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

export async function insertMessage(db: Database, row: MessageRow): Promise<void> {
  await db.insert(messages).values(row);
}

/** Writes a run's message as it stands (content and status fields). */
export async function saveMessage(db: Database, row: MessageRow): Promise<void> {
  await saveMessageStatement(db, row);
}

/** A message's content and status update, as a statement (so it can join a D1 batch). */
export function saveMessageStatement(db: Database, row: MessageRow) {
  return db
    .update(messages)
    .set({
      content: row.content,
      status: row.status,
      completedAt: row.completedAt,
      incompleteAt: row.incompleteAt,
      incompleteDetails: row.incompleteDetails,
    })
    .where(byKey(messages, 'internal', eq(messages.id, row.id)));
}

/**
 * Ends a run's message that is still `in_progress` (its writer died or stalled) as `incomplete`,
 * so no message stays in progress under a finished run. Content is kept as last written.
 */
export async function endUnfinishedMessage(db: Database, id: string, reason: 'run_failed' | 'run_cancelled' | 'run_expired', at: number): Promise<void> {
  await db
    .update(messages)
    .set({ status: 'incomplete', incompleteAt: at, incompleteDetails: { reason } })
    .where(byKey(messages, 'internal', eq(messages.id, id), eq(messages.status, 'in_progress')));
}

export async function deleteMessageById(db: Database, id: string): Promise<void> {
  await db.delete(messages).where(byKey(messages, 'internal', eq(messages.id, id)));
}

/** The newest `max` messages of a thread, oldest first: the raw material of a run's prompt. */
/** How many of a thread's latest messages a run's prompt is built from. */
export const RECENT_MESSAGES = 500;

/** The thread's latest messages, newest first (a statement, so it can join a D1 batch). */
export function recentMessagesQuery(db: Database, projectId: string, threadId: string, max = RECENT_MESSAGES) {
  return db.select().from(messages).where(inProject(messages, projectId, eq(messages.threadId, threadId))).orderBy(desc(messages.id)).limit(max);
}

export async function recentThreadMessages(db: Database, projectId: string, threadId: string, max = RECENT_MESSAGES): Promise<MessageRow[]> {
  const rows = await recentMessagesQuery(db, projectId, threadId, max);
  return rows.reverse();
}
