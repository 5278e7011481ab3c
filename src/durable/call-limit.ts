import { ChatModelError } from '../domain/ports';
import { linkCallStats } from '../observability/instrumented-model';

/**
 * The overall time limit of one model call (MODEL_CALL_TIMEOUT_SECONDS): a signal that aborts when
 * the run's own signal does (cancel, expiry) or when the call has taken `ms`. An upstream that
 * trickles keep-alives forever defeats the idle timeout; this bounds it. The reason is a retryable
 * `server_error`, so the executor retries the call as it would a 5xx.
 */
export interface CallLimit {
  signal: AbortSignal;
  dispose(): void;
}

export function callTimeoutError(ms: number): ChatModelError {
  return new ChatModelError('server_error', `The model call took longer than ${ms / 1000} seconds and was abandoned.`, true);
}

export function callLimit(parent: AbortSignal, ms: number): CallLimit {
  const controller = new AbortController();
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => controller.abort(callTimeoutError(ms)), ms);
  // The call's stats are the run's (its run.end log line: model_calls, upstream_ms, tool_calls).
  linkCallStats(controller.signal, parent);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', forward);
    },
  };
}

/** The abort reason of a run that reached its `expires_at` while its executor was working. */
export class RunExpiredError extends Error {
  constructor() {
    super('Run expired');
    this.name = 'RunExpiredError';
  }
}
