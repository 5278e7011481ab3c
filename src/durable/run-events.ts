import { unixSeconds } from '../domain/ids';
import { transition, type RunEvent } from '../domain/runs/state';
import { endStep } from '../domain/runs/steps';
import type { Run, RunStep, Usage } from '../domain/runs/types';
import type { RunInternal } from './schema';
import type { StoredRun } from './run-store';

/**
 * The one place run and step events are ended, saved and published (issue 8 item 4): every writer of a
 * run's status (executor, model turn, watchdog, run commands) goes through `applyRunEvent` and
 * `endStepAndPublish`, so a status is never published without being saved, nor saved twice.
 */

/** How an open step ends when its turn stops early (a run cancelled, failed or expired under it). */
export type EarlyEnd = { status: 'cancelled' } | { status: 'failed'; message: string } | { status: 'expired' };

/** Any end of a step: completed (with the turn's usage) or one of the early ends. */
export type StepEnding = { status: 'completed'; usage?: Usage | null } | EarlyEnd;

/** The `incomplete_details.reason` of a message whose run ended early. */
export function incompleteReasonOf(end: EarlyEnd): 'run_cancelled' | 'run_failed' | 'run_expired' {
  return end.status === 'cancelled' ? 'run_cancelled' : end.status === 'failed' ? 'run_failed' : 'run_expired';
}

/** Where a step's end goes: the DO's `steps` table and the run's stream. */
export interface StepEventTarget {
  saveStep(step: RunStep): void;
  emit(event: string, data: unknown): void;
}

/**
 * Ends `step`, saves it and publishes `thread.run.step.<status>`. `shown` is what subscribers see
 * (e.g. file_search results without `content` unless `include[]` asked for it); the step is saved whole.
 */
export function endStepAndPublish(target: StepEventTarget, step: RunStep, end: StepEnding, opts: { now?: number; shown?: (step: RunStep) => unknown } = {}): RunStep {
  const ended =
    end.status === 'failed'
      ? endStep(step, { status: 'failed', error: { code: 'server_error', message: end.message } }, opts.now)
      : endStep(step, end, opts.now);
  target.saveStep(ended);
  target.emit(`thread.run.step.${ended.status}`, opts.shown ? opts.shown(ended) : ended);
  return ended;
}

/** What a run's status changes need: the guarded write and the stream. */
export interface RunEventHost {
  store: { save(run: Run, from: Run['status'], internal?: RunInternal): boolean; saveStep(step: RunStep): void };
  hub: { publish(runId: string, event: string, data: unknown): void };
}

/**
 * Applies a state event (src/domain/runs/state.ts) with a guarded write and publishes the matching
 * `thread.run.<status>` event; null when the event is illegal now or another writer moved the run first.
 */
export function applyRunEvent(host: RunEventHost, stored: StoredRun, event: RunEvent, internal?: RunInternal): StoredRun | null {
  const t = transition(stored.run, event, unixSeconds());
  if (!t.ok) return null;
  if (!host.store.save(t.run, stored.run.status, internal)) return null;
  host.hub.publish(t.run.id, `thread.run.${t.run.status}`, t.run);
  return { run: t.run, internal: internal ?? stored.internal };
}

/** The step-event target of one run: its steps in `store`, its events on `hub`. */
export function stepEventsOf(host: RunEventHost, runId: string): StepEventTarget {
  return { saveStep: (step) => host.store.saveStep(step), emit: (event, data) => host.hub.publish(runId, event, data) };
}
