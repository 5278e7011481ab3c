import { asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { ConversationInclude } from '../contract/conversations';
import { messageItem, recordItem, sortKeyOf, type ConversationItem, type ConversationItemRecord, type StoredItem } from '../domain/conversations/items';
import type { Database } from './client';
import { insertMessageStatements } from './messages';
import { inProject } from './project-scope';
import { conversationItems, messages } from './schema';

/**
 * A conversation's items in D1 (docs/conversations.md, docs/storage.md): message items are rows of
 * `messages`, the others rows of `conversation_items`. Both are read in one order, the id after its
 * prefix (`sortKeyOf`). Every function takes the project id first and filters on it (`inProject`).
 */

export type ConversationItemRow = typeof conversationItems.$inferSelect;

// The row type is the domain's ConversationItemRecord; the two must describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRecord: Same<ConversationItemRow, ConversationItemRecord> = true;
void sameRecord;

/** An item with its position in the conversation. */
export interface KeyedItem {
  key: string;
  item: ConversationItem;
}

export interface ItemWindow {
  order: 'asc' | 'desc';
  /** Sort key of the `after` cursor. */
  afterKey?: string;
  /** Rows wanted from each table (the caller merges and cuts). */
  limit: number;
}

const MESSAGE_PREFIX = 'msg_';


/** One statement per row (D1's 100 bound parameters per statement), for one atomic batch. */
export function insertStoredItemStatements(db: Database, stored: StoredItem[]) {
  return stored.map((s) => (s.kind === 'message' ? insertMessageStatements(db, [s.row])[0]! : db.insert(conversationItems).values(s.record)));
}

/** Both tables' rows in the window, each in order; `mergeKeyed` makes one list of them. */
export async function storedItemWindow(db: Database, projectId: string, threadId: string, w: ItemWindow, include: readonly ConversationInclude[] = []): Promise<KeyedItem[]> {
  const forward = w.order === 'asc';
  let messageAfter: SQL | undefined;
  let itemAfter: SQL | undefined;
  if (w.afterKey !== undefined) {
    // Every message id has the same prefix, so comparing ids compares sort keys.
    const afterMessage = MESSAGE_PREFIX + w.afterKey;
    messageAfter = forward ? gt(messages.id, afterMessage) : lt(messages.id, afterMessage);
    itemAfter = forward ? gt(conversationItems.sortKey, w.afterKey) : lt(conversationItems.sortKey, w.afterKey);
  }
  const messageWhere = inProject(messages, projectId, eq(messages.threadId, threadId), messageAfter);
  const itemWhere = inProject(conversationItems, projectId, eq(conversationItems.threadId, threadId), itemAfter);
  // One D1 batch: one round trip for both tables (a response's history is read before its model call).
  const [messageRows, itemRows] = await db.batch([
    db.select().from(messages).where(messageWhere).orderBy(forward ? asc(messages.id) : desc(messages.id)).limit(w.limit),
    db.select().from(conversationItems).where(itemWhere).orderBy(forward ? asc(conversationItems.sortKey) : desc(conversationItems.sortKey)).limit(w.limit),
  ]);
  return mergeKeyed(
    w.order,
    messageRows.map((r) => ({ key: sortKeyOf(r.id), item: messageItem(r) })),
    itemRows.map((r) => ({ key: r.sortKey, item: recordItem(r, include) })),
  );
}

/** Sorted lists merged into one, by key (ties, which ids make impossible, by id). */
export function mergeKeyed(order: 'asc' | 'desc', ...lists: KeyedItem[][]): KeyedItem[] {
  const sign = order === 'asc' ? 1 : -1;
  return lists.flat().sort((a, b) => sign * (a.key < b.key ? -1 : a.key > b.key ? 1 : a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
}

/** One stored item by id, or undefined. */
export async function getStoredItem(db: Database, projectId: string, threadId: string, id: string, include: readonly ConversationInclude[] = []): Promise<ConversationItem | undefined> {
  if (id.startsWith(MESSAGE_PREFIX)) {
    const row = await db.query.messages.findFirst({ where: inProject(messages, projectId, eq(messages.threadId, threadId), eq(messages.id, id)) });
    return row ? messageItem(row) : undefined;
  }
  const row = await db.query.conversationItems.findFirst({ where: inProject(conversationItems, projectId, eq(conversationItems.threadId, threadId), eq(conversationItems.id, id)) });
  return row ? recordItem(row, include) : undefined;
}

/** Deletes one stored item; whether it existed. */
export async function deleteStoredItem(db: Database, projectId: string, threadId: string, id: string): Promise<boolean> {
  const rows = id.startsWith(MESSAGE_PREFIX)
    ? await db.delete(messages).where(inProject(messages, projectId, eq(messages.threadId, threadId), eq(messages.id, id))).returning({ id: messages.id })
    : await db.delete(conversationItems).where(inProject(conversationItems, projectId, eq(conversationItems.threadId, threadId), eq(conversationItems.id, id))).returning({ id: conversationItems.id });
  return rows.length > 0;
}

/** The statement that deletes a thread's non-message items (thread deletion, failed import). */
export function deleteThreadItemsStatement(db: Database, projectId: string, threadId: string) {
  return db.delete(conversationItems).where(inProject(conversationItems, projectId, eq(conversationItems.threadId, threadId)));
}

/** A thread's `conversation_items` rows in order (the export). */
export async function threadItemRows(db: Database, projectId: string, threadId: string): Promise<ConversationItemRow[]> {
  return db.select().from(conversationItems).where(inProject(conversationItems, projectId, eq(conversationItems.threadId, threadId))).orderBy(asc(conversationItems.sortKey));
}
