/**
 * When a failed model call is tried again. A retryable upstream failure (429, 5xx, a dropped
 * connection before any output) is re-dispatched through the queue after a backoff; past
 * MAX_ATTEMPTS the run fails with the upstream's error (docs/run-lifecycle.md §"Failures").
 */

/** Upstream attempts per model call before the run fails (429/5xx, retried through the queue). */
export const MAX_ATTEMPTS = 4;
const MAX_BACKOFF_MS = 60_000;

/** The upstream's Retry-After when it sent one, else exponential from 1 s; at most a minute. */
export function backoffMs(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_BACKOFF_MS);
  return Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
}
