import { ChatModelError } from '../../domain/ports';

/**
 * Idle timeout for model calls: an upstream that accepts the request and then sends nothing (no
 * headers, or a stream that stops after its first chunk) must not hold a run, and its thread's run
 * lock, forever. "Idle" means no byte at all: SSE comment keep-alives (OpenRouter's
 * `: OPENROUTER PROCESSING`) count as activity; the per-call time limit (src/durable/call-limit.ts)
 * bounds those. The error is retryable, like a 5xx: the executor retries it with backoff.
 */
export function idleTimeoutError(idleMs: number): ChatModelError {
  return new ChatModelError('server_error', `The model sent no data for ${idleMs / 1000} seconds; the call was abandoned.`, true);
}

/**
 * A response body that errors with the idle timeout when no chunk arrives for `idleMs`, cancelling
 * the source (which releases the upstream connection). One timer per stream, re-armed only when it
 * fires early (a chunk came meanwhile): a timer and a race per chunk cost CPU on every streamed
 * token (issue 13, `npm run bench`).
 */
export function idleGuardedBody(body: ReadableStream<Uint8Array>, idleMs: number, onTimeout?: (err: ChatModelError) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let lastChunkAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const stop = () => {
    ended = true;
    clearTimeout(timer);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const check = () => {
        if (ended) return;
        const quiet = Date.now() - lastChunkAt;
        if (quiet < idleMs) return void (timer = setTimeout(check, idleMs - quiet));
        stop();
        const err = idleTimeoutError(idleMs);
        onTimeout?.(err);
        void reader.cancel(err).catch(() => undefined);
        controller.error(err);
      };
      timer = setTimeout(check, idleMs);
    },
    async pull(controller) {
      try {
        const next = await reader.read();
        if (ended) return;
        if (next.done) {
          stop();
          controller.close();
        } else {
          lastChunkAt = Date.now();
          controller.enqueue(next.value);
        }
      } catch (err) {
        if (ended) return;
        stop();
        controller.error(err);
      }
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });
}

/**
 * fetch with the idle timeout applied to the wait for response headers and to every read of the
 * body. The caller's signal still aborts the request (run cancellation, the per-call time limit).
 */
export function fetchWithIdleTimeout(fetchImpl: typeof fetch, idleMs: number): typeof fetch {
  return async (input, init) => {
    const inner = new AbortController();
    const outer = init?.signal ?? undefined;
    const forward = () => inner.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = idleTimeoutError(idleMs);
        inner.abort(err);
        reject(err);
      }, idleMs);
    });
    let res: Response;
    try {
      res = await Promise.race([fetchImpl(input, { ...init, signal: inner.signal }), idle]);
    } catch (err) {
      outer?.removeEventListener('abort', forward);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (!res.body) return res;
    const body = idleGuardedBody(res.body, idleMs, (err) => inner.abort(err));
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
