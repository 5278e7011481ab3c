import { sortKeyOf, type ConversationItemRecord } from '../conversations/items';
import { newId, type IdPrefix } from '../ids';
import type { MessageRecord } from '../messages';
import type { Run, RunStep } from '../runs/types';
import { ACTIVE_RUN_STATUSES } from '../runs/state';
import type { ThreadExport } from './format';

/** What an import writes: D1 rows (thread, messages) and the thread object's runs and steps. */
export interface ImportPlan {
  threadId: string;
  thread: { id: string; projectId: string; createdAt: number; toolResources: unknown; metadata: Record<string, string>; lastAssistantId: string | null; lastRunAt: number | null };
  messages: MessageRecord[];
  runs: Run[];
  steps: RunStep[];
  /** The conversation's non-message items (D1 `conversation_items`). */
  items: ConversationItemRecord[];
  /** Old id -> new id for the thread, every message, item, run and step. */
  mapping: Record<string, string>;
}

const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_RUN_STATUSES);

/**
 * The import plan of a validated document. `keep` keeps every id (the caller checked they are all
 * free); otherwise new ids are drawn in the document's order, which keeps list order (ids sort in
 * creation order, src/domain/ids.ts). Runs that were still active when exported cannot be resumed
 * here: they are imported as `cancelled` (their open steps `cancelled`, open messages `incomplete`).
 */
export function planImport(doc: ThreadExport, projectId: string, keep: boolean, now = Math.floor(Date.now() / 1000)): ImportPlan {
  const mapping: Record<string, string> = {};
  const map = (prefix: IdPrefix, old: string) => (mapping[old] = keep ? old : newId(prefix));
  // A conversation keeps its `conv_` prefix (docs/conversations.md).
  const threadId = map(doc.thread.id.startsWith('conv_') ? 'conv_' : 'thread_', doc.thread.id);
  const docItems = doc.conversation_items ?? [];
  // One draw for every kind, in creation order: a conversation lists messages, items and the items
  // derived from run steps in one order, by id (src/domain/conversations/items.ts sortKeyOf).
  const entities: { prefix: IdPrefix; id: string; created_at: number }[] = [
    ...doc.messages.map((m) => ({ prefix: 'msg_' as const, id: m.id, created_at: m.created_at })),
    ...docItems.map((i) => ({ prefix: i.item.id.slice(0, i.item.id.indexOf('_') + 1) as IdPrefix, id: i.item.id, created_at: i.created_at })),
    ...doc.runs.map((r) => ({ prefix: 'run_' as const, id: r.id, created_at: r.created_at })),
    ...doc.run_steps.map((st) => ({ prefix: 'step_' as const, id: st.id, created_at: st.created_at })),
  ];
  for (const e of entities.sort(byCreationThenKey)) map(e.prefix, e.id);
  const to = (old: string) => mapping[old] ?? old;
  const cut = new Set(doc.runs.filter((r) => ACTIVE.has(r.status)).map((r) => r.id));

  const runs: Run[] = doc.runs.map((r) => {
    const run = { ...r, id: to(r.id), thread_id: threadId } as Run;
    return cut.has(r.id) ? { ...run, status: 'cancelled', cancelled_at: now, required_action: null, expires_at: null } : run;
  });
  const steps: RunStep[] = doc.run_steps.map((s) => {
    const details = s.step_details.type === 'message_creation' ? { type: 'message_creation' as const, message_creation: { message_id: to(s.step_details.message_creation.message_id) } } : s.step_details;
    const step = { ...s, id: to(s.id), thread_id: threadId, run_id: to(s.run_id), step_details: details } as RunStep;
    return cut.has(s.run_id) && step.status === 'in_progress' ? { ...step, status: 'cancelled', cancelled_at: now } : step;
  });
  const messages: MessageRecord[] = doc.messages.map((m) => {
    const open = m.run_id !== null && cut.has(m.run_id) && m.status === 'in_progress';
    return {
      id: to(m.id),
      projectId,
      threadId,
      createdAt: m.created_at,
      role: m.role,
      content: m.content,
      status: open ? 'incomplete' : m.status,
      incompleteDetails: open ? { reason: 'run_cancelled' } : m.incomplete_details,
      completedAt: m.completed_at,
      incompleteAt: open ? now : m.incomplete_at,
      assistantId: m.assistant_id,
      runId: m.run_id === null ? null : to(m.run_id),
      attachments: m.attachments,
      metadata: m.metadata,
    };
  });
  const items: ConversationItemRecord[] = docItems.map(({ item, created_at, response_id }) => {
    const { id, type, status, ...payload } = item;
    const newItemId = to(id);
    return { id: newItemId, projectId, threadId, sortKey: sortKeyOf(newItemId), createdAt: created_at, type, status, payload, responseId: response_id };
  });
  const lastRun = [...doc.runs].sort(byCreation).at(-1);
  return {
    threadId,
    thread: {
      id: threadId,
      projectId,
      createdAt: doc.thread.created_at,
      toolResources: doc.thread.tool_resources,
      metadata: doc.thread.metadata,
      lastAssistantId: doc.thread.last_assistant_id ?? lastRun?.assistant_id ?? null,
      lastRunAt: lastRun?.created_at ?? null,
    },
    messages,
    runs,
    steps,
    items,
    mapping,
  };
}

/** Creation order; a stable sort keeps the document's order within a second (OpenAI's ids are random). */
const byCreation = (a: { created_at: number }, b: { created_at: number }) => a.created_at - b.created_at;

/** Creation order, and within a second the id's own order (ids sort by creation, src/domain/ids.ts). */
const byCreationThenKey = (a: { created_at: number; id: string }, b: { created_at: number; id: string }) => {
  const ka = sortKeyOf(a.id);
  const kb = sortKeyOf(b.id);
  return byCreation(a, b) || (ka < kb ? -1 : ka > kb ? 1 : 0);
};
