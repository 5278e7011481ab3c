import type { ConversationCreateParams, ConversationInclude, ConversationItemParam } from '../contract/conversations';
import { runBatch, type Database } from '../db/client';
import { deleteStoredItem, getStoredItem, insertStoredItemStatements, mergeKeyed, storedItemWindow, type KeyedItem } from '../db/conversation-items';
import type { Page } from '../db/pagination';
import { threads } from '../db/schema';
import { getThreadRow } from '../db/threads';
import { messageItem, newStoredItems, recordItem, sortKeyOf, type ConversationItem } from '../domain/conversations/items';
import { stepItems, stepOfItemId, type StepItemOptions } from '../domain/conversations/run-steps';
import { unixSeconds } from '../domain/ids';
import type { RunStep } from '../domain/runs/types';
import { fail, ok, type Result } from './result';
import { activeRunId } from './storage';

/**
 * The Conversations API inside the thread Durable Object (docs/conversations.md). A conversation is
 * a thread: its items are the thread's messages and `conversation_items` rows in D1, plus the tool
 * calls of its Assistants runs, derived from the object's `steps`. Writes run under the object's
 * write lock (ThreadObject delegates to these functions), so the run lock holds for them too.
 */

/** What the functions need from the object: its SQLite, D1, and whose thread it is. */
export interface ConversationHost {
  sql: SqlStorage;
  db: Database;
  projectId: string;
  threadId: string;
}

/**
 * Not-found wording of the Conversations API, OpenAI's Responses-family style (as for responses:
 * "Response with id '…' not found."), for a missing id and for another project's alike.
 */
export const conversationMissing = (id: string) => `Conversation with id '${id}' not found.`;
export const itemMissing = (id: string) => `Item with id '${id}' not found.`;

/** The conversation object (ConversationResource). */
export function toConversationObject(row: { id: string; createdAt: number; metadata: Record<string, string> }) {
  return { id: row.id, object: 'conversation' as const, created_at: row.createdAt, metadata: row.metadata };
}
export type ConversationObject = ReturnType<typeof toConversationObject>;

/** Listing parameters of `GET /conversations/{id}/items` (OpenAI has `after`, no `before`). */
export interface ItemListParams {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  include?: ConversationInclude[];
  /** Base of file URLs for code-interpreter images (`<origin>/v1/files/<id>/content`). */
  filesBase?: string;
}

// ------------------------------------------------------------------------ the response lock

/**
 * A conversation in use by an in-progress response is locked like a thread with an active run
 * (issue 11 §6). The lock is a row in this object's SQLite; the table is created on first use, and
 * `deleteAll()` on thread deletion drops it with everything else. Each lock carries its expiry: the
 * response's object releases it when the response ends (its watchdog too, after an eviction), and a
 * holder that never does (a lost object) cannot keep the conversation locked past its longest life.
 */
function ensureLockTable(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS conversation_response_locks (response_id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)');
}

/**
 * How long a response may hold a conversation: its model call's limit (MODEL_CALL_TIMEOUT_SECONDS) for
 * the first start and each watchdog restart (docs/responses.md "Execution"), plus two minutes to write
 * its items.
 */
export function responseLockTtlMs(callTimeoutSeconds: number, restarts: number): number {
  return (restarts + 1) * callTimeoutSeconds * 1000 + 120_000;
}

export function activeResponseId(sql: SqlStorage, now = Date.now()): string | null {
  ensureLockTable(sql);
  sql.exec('DELETE FROM conversation_response_locks WHERE expires_at <= ?', now);
  return sql.exec<{ response_id: string }>('SELECT response_id FROM conversation_response_locks LIMIT 1').toArray()[0]?.response_id ?? null;
}

/** What blocks a write to the conversation: an active run or an in-progress response. */
function busyWith(sql: SqlStorage): string | null {
  return activeRunId(sql) ?? activeResponseId(sql);
}

/** Takes the lock for a response for at most `ttlMs`; refused while a run or another response is active. */
export function beginResponse(h: ConversationHost, responseId: string, ttlMs: number): Result<{ locked: true }> {
  const busy = busyWith(h.sql);
  if (busy) return fail(400, `Conversation ${h.threadId} already has an active ${busy.startsWith('run_') ? 'run' : 'response'} ${busy}.`);
  const now = Date.now();
  h.sql.exec('INSERT INTO conversation_response_locks (response_id, started_at, expires_at) VALUES (?, ?, ?)', responseId, now, now + ttlMs);
  return ok({ locked: true });
}

export function endResponse(h: ConversationHost, responseId: string): void {
  ensureLockTable(h.sql);
  h.sql.exec('DELETE FROM conversation_response_locks WHERE response_id = ?', responseId);
}

// ---------------------------------------------------------------------------------- writes

/** The thread row and its initial items in one atomic D1 batch (the caller then claims the object). */
export async function insertConversation(db: Database, projectId: string, id: string, p: ConversationCreateParams): Promise<ConversationObject> {
  const now = Date.now();
  const row = { id, projectId, createdAt: unixSeconds(now), toolResources: null, metadata: p.metadata ?? {} };
  const stored = newStoredItems(projectId, id, p.items ?? [], now);
  await runBatch(db, [db.insert(threads).values(row), ...insertStoredItemStatements(db, stored)]);
  return toConversationObject(row);
}

/**
 * Appends items (in order, one atomic batch) unless a run or another response holds the
 * conversation. `responseId` is the response that produced them (its own lock is then not a
 * conflict). Returns the items as served.
 */
export async function appendItems(h: ConversationHost, items: ConversationItemParam[], responseId: string | null = null): Promise<Result<ConversationItem[]>> {
  const busy = busyWith(h.sql);
  if (busy && busy !== responseId) {
    return fail(400, `Can't add items to ${h.threadId} while a ${busy.startsWith('run_') ? 'run' : 'response'} ${busy} is active.`);
  }
  const stored = newStoredItems(h.projectId, h.threadId, items, Date.now(), responseId);
  await runBatch(h.db, insertStoredItemStatements(h.db, stored));
  return ok(stored.map((s) => (s.kind === 'message' ? messageItem(s.row) : recordItem(s.record))));
}

/** Deletes one stored item; items derived from an Assistants run are refused. */
export async function deleteItem(h: ConversationHost, itemId: string): Promise<Result<ConversationObject>> {
  if (stepOfItemId(itemId)) return fail(400, `Item '${itemId}' is a tool call of an Assistants run and cannot be deleted on its own; delete the thread instead.`);
  if (!(await deleteStoredItem(h.db, h.projectId, h.threadId, itemId))) return fail(404, itemMissing(itemId));
  const row = await getThreadRow(h.db, h.projectId, h.threadId);
  if (!row) return fail(404, conversationMissing(h.threadId));
  return ok(toConversationObject(row));
}

// ----------------------------------------------------------------------------------- reads

/** Every step of the object's runs that made tool calls, as keyed items. */
function runStepItems(sql: SqlStorage, opts: StepItemOptions): KeyedItem[] {
  const steps = sql.exec<{ data: string }>('SELECT data FROM steps ORDER BY id').toArray().map((r) => JSON.parse(r.data) as RunStep);
  return steps.flatMap((s) => stepItems(s, opts)).map((item) => ({ key: sortKeyOf(item.id), item }));
}

const stepOptions = (p: Pick<ItemListParams, 'include' | 'filesBase'>): StepItemOptions => ({
  include: p.include ?? [],
  ...(p.filesBase ? { fileUrl: (id: string) => `${p.filesBase}/v1/files/${id}/content` } : {}),
});

/** One page of the conversation's items: D1's messages and items and the runs' tool calls, merged. */
export async function listItems(h: ConversationHost, p: ItemListParams): Promise<Page<ConversationItem>> {
  const afterKey = p.after !== undefined ? sortKeyOf(p.after) : undefined;
  const stored = await storedItemWindow(h.db, h.projectId, h.threadId, { order: p.order, limit: p.limit + 1, ...(afterKey !== undefined ? { afterKey } : {}) }, p.include ?? []);
  const beyond = (k: string) => afterKey === undefined || (p.order === 'asc' ? k > afterKey : k < afterKey);
  const derived = runStepItems(h.sql, stepOptions(p)).filter((k) => beyond(k.key));
  const merged = mergeKeyed(p.order, stored, derived);
  return { data: merged.slice(0, p.limit).map((k) => k.item), hasMore: merged.length > p.limit };
}

/** One item by id, stored or derived from a run step. */
export async function getItem(h: ConversationHost, itemId: string, p: Pick<ItemListParams, 'include' | 'filesBase'> = {}): Promise<Result<ConversationItem>> {
  const derived = stepOfItemId(itemId);
  const item = derived
    ? runStepItems(h.sql, stepOptions(p)).find((k) => k.item.id === itemId)?.item
    : await getStoredItem(h.db, h.projectId, h.threadId, itemId, p.include ?? []);
  return item ? ok(item) : fail(404, itemMissing(itemId));
}

/** Upper bound of a history read: a conversation longer than this is cut to its newest items. */
export const MAX_HISTORY_ITEMS = 2000;

/**
 * The whole conversation, oldest first: what a response continuing it is given as history. Reads
 * pages of 100 newest-first and stops at `MAX_HISTORY_ITEMS`.
 */
export async function conversationHistory(h: ConversationHost, include: ConversationInclude[] = []): Promise<ConversationItem[]> {
  const out: ConversationItem[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listItems(h, { limit: 100, order: 'desc', include, ...(after !== undefined ? { after } : {}) });
    out.push(...page.data);
    if (!page.hasMore || out.length >= MAX_HISTORY_ITEMS || page.data.length === 0) break;
    after = page.data.at(-1)!.id;
  }
  return out.slice(0, MAX_HISTORY_ITEMS).reverse();
}
