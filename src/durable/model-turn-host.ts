import type { MessageRow } from '../db/messages';
import { ChatModelError, CodeExecutorUnavailableError } from '../domain/ports';
import type { RunEvent } from '../domain/runs/state';
import type { LastErrorCode, Run, RunStep } from '../domain/runs/types';
import { backoffMs, MAX_ATTEMPTS } from '../domain/runs/retry';
import { RunExpiredError } from './call-limit';
import type { ModelTurn, TurnSink } from './model-turn';
import type { RunData } from './run-data';
import { endStepAndPublish, stepEventsOf, type RunEventHost } from './run-events';
import type { RunRecords, StoredRun } from './run-store';

// The executor's side of a model turn (src/durable/model-turn.ts), for src/durable/executor.ts: the
// sink the turn writes through, and what a failed model call does to the turn and the run.

export const GENERIC_FAILURE = 'Sorry, something went wrong.';

/** What of the executor's host (ExecutorHost in src/durable/executor.ts) a model turn uses. */
export interface TurnHost extends RunEventHost {
  store: RunRecords;
  /** Durable re-dispatch of a run through the queue after `delayMs`. */
  requeue(run: Run, attempt: number, delayMs: number): Promise<void>;
  armWatchdog(): Promise<void>;
  /** A message row the run wrote to D1 (RunStartCache follows the thread's history with it). */
  messageWritten?(row: MessageRow): void;
}

/** What ending a failed model call needs of the executor. */
export interface ModelErrorHost {
  host: TurnHost;
  apply(stored: StoredRun, event: RunEvent): unknown;
  fail(stored: StoredRun, code: LastErrorCode, message: string): void;
  usageOf(stored: StoredRun): StoredRun['internal']['usage'];
}

/** A failed model call (or hosted tool after it): retried, or the turn and the run end. */
export function onModelError(owner: ModelErrorHost, stored: StoredRun, turn: ModelTurn, err: unknown, signal: AbortSignal, openStep?: RunStep): void {
  const { run, internal } = stored;
  const expired = signal.aborted && signal.reason instanceof RunExpiredError;
  if (openStep) {
    // A hosted tool failed after the model's turn ended: its step ends with the run.
    const end = signal.aborted ? { status: expired ? ('expired' as const) : ('cancelled' as const) } : { status: 'failed' as const, message: err instanceof Error ? err.message : GENERIC_FAILURE };
    endStepAndPublish(stepEventsOf(owner.host, run.id), openStep, end);
  }
  if (expired) {
    // The watchdog already ended the run `expired`: what was written so far ends with it.
    void turn.abandon({ status: 'expired' });
    return;
  }
  if (signal.aborted) {
    // Cancelled: what was written so far ends `cancelled` / `incomplete`, then the run.
    void turn.abandon({ status: 'cancelled' }).then(() => {
      const now = owner.host.store.get(run.id);
      if (now) owner.apply(now, { type: 'cancelled', usage: owner.usageOf(now) });
    });
    return;
  }
  if (!openStep && err instanceof ChatModelError && err.retryable && !turn.producedOutput && internal.attempt + 1 < MAX_ATTEMPTS) {
    const delay = backoffMs(internal.attempt, err.retryAfterMs);
    const next = { ...internal, attempt: internal.attempt + 1, retryAt: Date.now() + delay };
    owner.host.store.saveInternal(run.id, next);
    void owner.host.requeue(run, next.attempt, delay).catch((e) => console.error(`run ${run.id}: requeue failed`, e));
    void owner.host.armWatchdog();
    return;
  }
  const code: LastErrorCode = err instanceof ChatModelError ? err.kind : 'server_error';
  const message = err instanceof ChatModelError || err instanceof CodeExecutorUnavailableError ? err.message : GENERIC_FAILURE;
  if (!(err instanceof ChatModelError)) console.error(`run ${run.id}: model call failed`, err);
  void turn.abandon({ status: 'failed', message }).then(() => {
    const now = owner.host.store.get(run.id);
    if (now) owner.fail(now, code, message);
  });
}

/** Where a run's model turn writes: its steps and events in the object, its messages in D1. */
export function turnSink(host: TurnHost, runData: RunData, run: Run, projectId: string): TurnSink {
  const { store, hub } = host;
  const runId = run.id;
  return {
    emit: (event, data) => hub.publish(runId, event, data),
    insertStep: (step) => store.insertStep(step),
    saveStep: (step) => store.saveStep(step),
    insertMessage: (row) => runData.insertMessage(row).then(() => host.messageWritten?.(row)),
    saveMessage: (row, outcome) =>
      (outcome ? runData.saveMessageAndRecordCall(row, projectId, run, outcome) : runData.saveMessage(row)).then(() => host.messageWritten?.(row)),
  };
}
