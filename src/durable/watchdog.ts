import { unixSeconds } from '../domain/ids';
import { endStep } from '../domain/runs/steps';
import type { RunExecutor } from './executor';
import { pendingToolStep } from './run-commands';
import type { RunStore, StoredRun } from './run-store';
import type { StreamHub } from './stream-hub';

/**
 * The watchdog is the Durable Object's alarm. While a run is active it fires every
 * WATCHDOG_INTERVAL_MS: a queued or in-progress run with no executor in this instance (the
 * object was evicted, crashed or redeployed mid-run) is resumed, at most MAX_RESUMES times before it
 * fails; a `requires_action` run past its `expires_at` expires (OpenAI: ten minutes).
 */
export const WATCHDOG_INTERVAL_MS = 10_000;
export const MAX_RESUMES = 3;

/** When the alarm should next fire for these runs, or null when none is active. */
export function nextAlarmAt(active: StoredRun[], now: number): number | null {
  let next: number | null = null;
  for (const { run, internal } of active) {
    const at =
      run.status === 'requires_action' && run.expires_at !== null
        ? run.expires_at * 1000
        : Math.max(now + WATCHDOG_INTERVAL_MS, internal.retryAt ?? 0);
    next = next === null ? at : Math.min(next, at);
  }
  return next;
}

export interface WatchdogHost {
  store: RunStore;
  hub: StreamHub;
  executor: RunExecutor;
}

export function runWatchdog(host: WatchdogHost, now: number = Date.now()): void {
  for (const stored of host.store.activeRuns()) {
    const { run, internal } = stored;
    if (run.status === 'requires_action') {
      if (run.expires_at !== null && unixSeconds(now) >= run.expires_at) expire(host, stored);
      continue;
    }
    if (host.executor.isActive(run.id)) continue;
    if (internal.retryAt !== null && now < internal.retryAt + WATCHDOG_INTERVAL_MS) continue; // a queued retry is due
    if (run.status === 'cancelling') {
      host.executor.apply(stored, { type: 'cancelled', usage: host.executor.usageOf(stored) });
      continue;
    }
    if (internal.resumes >= MAX_RESUMES) {
      host.executor.fail(stored, 'server_error', 'The run was interrupted too many times and could not be resumed.');
      continue;
    }
    host.store.saveInternal(run.id, { ...internal, resumes: internal.resumes + 1, retryAt: null });
    void host.executor.execute(run.id);
  }
}

function expire(host: WatchdogHost, stored: StoredRun): void {
  const step = pendingToolStep(host.store, stored.run.id);
  if (step) {
    const expired = endStep(step, { status: 'expired' });
    host.store.saveStep(expired);
    host.hub.publish(stored.run.id, 'thread.run.step.expired', expired);
  }
  host.executor.apply(stored, { type: 'expire' });
}
