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
  /** Old id -> new id for the thread, every message, run and step. */
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
  const threadId = map('thread_', doc.thread.id);
  for (const m of [...doc.messages].sort(byCreation)) map('msg_', m.id);
  for (const r of [...doc.runs].sort(byCreation)) map('run_', r.id);
  for (const s of [...doc.run_steps].sort(byCreation)) map('step_', s.id);
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
    mapping,
  };
}

/** Creation order; a stable sort keeps the document's order within a second (OpenAI's ids are random). */
const byCreation = (a: { created_at: number }, b: { created_at: number }) => a.created_at - b.created_at;
