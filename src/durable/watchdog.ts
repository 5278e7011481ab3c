import type { Database } from '../db/client';
import { unixSeconds } from '../domain/ids';
import { RunExpiredError } from './call-limit';
import type { RunExecutor } from './executor';
import { endUnfinishedSteps } from './run-context';
import type { RunStore, StoredRun } from './run-store';
import type { StreamHub } from './stream-hub';

/**
 * The watchdog is the Durable Object's alarm. While a run is active it fires every
 * WATCHDOG_INTERVAL_MS: a queued or in-progress run with no executor in this instance (the
 * object was evicted, crashed or redeployed mid-run) is resumed, at most MAX_RESUMES times before it
 * fails. Any active run past its `expires_at` expires (OpenAI: ten minutes after creation, or after
 * `requires_action` began), even while an executor is working on it: a stalled upstream or tool
 * must not hold the thread's run lock forever. The executor is aborted and ends what it had open.
 */
export const WATCHDOG_INTERVAL_MS = 10_000;
export const MAX_RESUMES = 3;

/** When the alarm should next fire for these runs, or null when none is active. */
export function nextAlarmAt(active: StoredRun[], now: number): number | null {
  let next: number | null = null;
  for (const { run, internal } of active) {
    const expiry = run.expires_at !== null ? run.expires_at * 1000 : Infinity;
    const at = run.status === 'requires_action' ? expiry : Math.min(Math.max(now + WATCHDOG_INTERVAL_MS, internal.retryAt ?? 0), expiry);
    if (!Number.isFinite(at)) continue;
    next = next === null ? at : Math.min(next, at);
  }
  return next;
}

export interface WatchdogHost {
  store: RunStore;
  hub: StreamHub;
  executor: RunExecutor;
  db: () => Database;
}

export async function runWatchdog(host: WatchdogHost, now: number = Date.now()): Promise<void> {
  for (const stored of host.store.activeRuns()) {
    const { run, internal } = stored;
    if (run.expires_at !== null && unixSeconds(now) >= run.expires_at) {
      await expire(host, stored);
      continue;
    }
    if (run.status === 'requires_action') continue;
    if (host.executor.isActive(run.id)) continue;
    if (internal.retryAt !== null && now < internal.retryAt + WATCHDOG_INTERVAL_MS) continue; // a queued retry is due
    // The dead executor's open steps and messages end with the run.
    if (run.status === 'cancelling') {
      await endUnfinishedSteps(host, run.id, { status: 'cancelled' });
      host.executor.apply(stored, { type: 'cancelled', usage: host.executor.usageOf(stored) });
      continue;
    }
    if (internal.resumes >= MAX_RESUMES) {
      const message = 'The run was interrupted too many times and could not be resumed.';
      await endUnfinishedSteps(host, run.id, { status: 'failed', message });
      host.executor.fail(stored, 'server_error', message);
      continue;
    }
    host.store.saveInternal(run.id, { ...internal, resumes: internal.resumes + 1, retryAt: null });
    void host.executor.execute(run.id);
  }
}

async function expire(host: WatchdogHost, stored: StoredRun): Promise<void> {
  if (host.executor.isActive(stored.run.id)) {
    // The run ends first, so the thread's lock is free whatever the stalled executor does next;
    // aborted, it ends the turn it had open (message `incomplete`, step `expired`).
    if (host.executor.apply(stored, { type: 'expire' })) host.executor.abort(stored.run.id, new RunExpiredError());
    return;
  }
  // No executor: open steps (a pending tool call, or a dead executor's turn) end before the run,
  // in the order OpenAI streams them.
  await endUnfinishedSteps(host, stored.run.id, { status: 'expired' });
  const now = host.store.get(stored.run.id);
  if (now) host.executor.apply(now, { type: 'expire' });
}
