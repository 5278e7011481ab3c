import { ChatModelError, type ChatChunk, type ChatModel, type ChatRequest } from '../domain/ports';
import { logEvent, redactSecrets, type CallStats } from './log';

/**
 * Per execution pass of a run: the executor gives every model call of one pass the same AbortSignal
 * (its cancellation controller), so the signal keys what the pass's calls cost; logRunEnd reads it.
 */
const statsBySignal = new WeakMap<AbortSignal, CallStats>();

/** A call's signal → the signal whose stats it counts in (a run's, for its calls' limit signals). */
const countsIn = new WeakMap<AbortSignal, AbortSignal>();
const rootOf = (signal: AbortSignal): AbortSignal => {
  let at = signal;
  for (let next = countsIn.get(at); next; next = countsIn.get(at)) at = next;
  return at;
};

export function callStatsFor(signal: AbortSignal | undefined): CallStats | undefined {
  return signal ? statsBySignal.get(rootOf(signal)) : undefined;
}

/**
 * Calls made under `child` (a call's time limit, a prefetched request adopted by the run) count in
 * `parent`'s stats from now on; stats `child` already gathered move there when `parent` has none.
 */
export function linkCallStats(child: AbortSignal, parent: AbortSignal): void {
  const root = rootOf(parent);
  if (root === child) return;
  const own = statsBySignal.get(child);
  countsIn.set(child, root);
  if (!own) return;
  statsBySignal.delete(child);
  const target = statsBySignal.get(root);
  if (!target) return void statsBySignal.set(root, own);
  target.calls += own.calls;
  target.upstreamMs += own.upstreamMs;
  target.toolCalls += own.toolCalls;
}

/** Logs one failed upstream call (no request or response content, no key). */
export function logUpstreamFailure(provider: string, model: string, route: string, err: unknown, ms: number): void {
  logEvent('upstream.call_failed', {
    provider,
    model,
    route,
    status: err instanceof ChatModelError ? (err.status ?? null) : null,
    error_code: err instanceof ChatModelError ? err.kind : 'server_error',
    retryable: err instanceof ChatModelError ? err.retryable : false,
    error: redactSecrets(err instanceof Error ? err.message : String(err)),
    upstream_ms: ms,
  });
}

/** Wraps a provider's ChatModel: times each call, counts tool calls, logs failures. Chunks pass unchanged. */
export function instrumentModel(provider: string, inner: ChatModel): ChatModel {
  return {
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
      let stats = callStatsFor(signal);
      if (signal && !stats) statsBySignal.set(rootOf(signal), (stats = { provider, calls: 0, upstreamMs: 0, toolCalls: 0 }));
      const started = Date.now();
      if (stats) stats.calls += 1;
      try {
        for await (const chunk of inner.stream(request, signal)) {
          if (stats && chunk.type === 'tool_call' && chunk.id) stats.toolCalls += 1;
          yield chunk;
        }
      } catch (err) {
        if (!signal?.aborted) logUpstreamFailure(provider, request.model, 'run', err, Date.now() - started);
        throw err;
      } finally {
        if (stats) stats.upstreamMs += Date.now() - started;
      }
    },
  };
}
