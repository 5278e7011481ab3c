import type { Database } from '../db/client';
import { endUnfinishedMessage, type MessageRow } from '../db/messages';
import { unixSeconds } from '../domain/ids';
import type { ContextMessage, RunTurn } from '../domain/context';
import type { MessageContent } from '../domain/messages';
import type { FunctionToolCall } from '../domain/runs/types';
import type { RunData } from './run-data';
import { endStepAndPublish, incompleteReasonOf, stepEventsOf, type EarlyEnd, type RunEventHost } from './run-events';
import type { RunRecords, StoredRun } from './run-store';

export interface RunContextSources {
  store: RunRecords;
  data: RunData;
}

/**
 * The raw material of a run's next prompt: the thread's history before the run (D1), the run's own
 * finished turns (its steps, with the model-facing side of hosted calls) and the images its messages
 * show, as data URLs.
 */
export async function loadRunContext(
  { store, data }: RunContextSources,
  stored: StoredRun,
  /** The thread's messages when the caller already read them (a new run's first model call). */
  recent?: MessageRow[],
): Promise<{ history: ContextMessage[]; turns: RunTurn[]; imageUrlFor: (id: string) => string | null }> {
  const rows = recent ?? (await data.recentMessages(stored.internal.projectId, stored.run.thread_id));
  const toContext = (r: MessageRow): ContextMessage => ({
    id: r.id,
    role: r.role,
    content: r.content as MessageContent[],
    attachments: (r.attachments ?? []) as ContextMessage['attachments'],
  });
  const own = new Map(rows.filter((r) => r.runId === stored.run.id).map((r) => [r.id, r]));
  const hostedCalls = new Map(store.hostedCallsOf(stored.run.id).map((h) => [h.callId, h]));
  const turns: RunTurn[] = [];
  for (const step of store.stepsOf(stored.run.id)) {
    if (step.status !== 'completed') continue;
    if (step.step_details.type === 'message_creation') {
      const row = own.get(step.step_details.message_creation.message_id);
      if (row) turns.push({ kind: 'message', message: toContext(row) });
    } else {
      const calls = step.step_details.tool_calls.flatMap((c) => {
        if (c.type === 'function') {
          const f = (c as FunctionToolCall).function;
          return [{ id: c.id, name: f.name, arguments: f.arguments, output: f.output }];
        }
        const h = hostedCalls.get(c.id);
        return h ? [{ id: c.id, name: h.name, arguments: h.arguments, output: h.output }] : [];
      });
      turns.push({ kind: 'tool_calls', calls });
    }
  }
  const history = rows.filter((r) => r.runId !== stored.run.id).map(toContext);
  const images = await data.imageUrls(stored.internal.projectId, history.map((m) => m.content));
  return { history, turns, imageUrlFor: (id) => images.get(id) ?? null };
}

/** After an eviction: steps that were mid-flight are dropped (with their partial messages) and redone. */
export async function discardUnfinishedSteps({ store, data }: RunContextSources, stored: StoredRun): Promise<void> {
  for (const step of store.stepsOf(stored.run.id)) {
    if (step.status !== 'in_progress') continue;
    if (step.step_details.type === 'message_creation') await data.deleteMessage(step.step_details.message_creation.message_id);
    store.removeStep(step.id);
  }
}

/**
 * When a run ends while steps are still open and no turn is left to close them (its executor threw,
 * died or stalled): each open step ends `failed`, `cancelled` or `expired`, and its message
 * `incomplete`, so nothing stays `in_progress` under a finished run.
 */
export async function endUnfinishedSteps(
  host: RunEventHost & { store: Pick<RunRecords, 'stepsOf'> } & ({ db: () => Database } | { data: RunData }),
  runId: string,
  end: EarlyEnd,
): Promise<void> {
  // The thread object and the watchdog pass their D1 database; the executor its RunData.
  const endMessage: RunData['endUnfinishedMessage'] =
    'data' in host ? (id, reason, at) => host.data.endUnfinishedMessage(id, reason, at) : (id, reason, at) => endUnfinishedMessage(host.db(), id, reason, at);
  const events = stepEventsOf(host, runId);
  for (const step of host.store.stepsOf(runId)) {
    if (step.status !== 'in_progress') continue;
    if (step.step_details.type === 'message_creation') {
      await endMessage(step.step_details.message_creation.message_id, incompleteReasonOf(end), unixSeconds());
    }
    endStepAndPublish(events, step, end);
  }
}
