import type { ChatChunk, ChatModel, ChatRequest } from '../domain/ports';
import { linkCallStats } from '../observability/instrumented-model';

/**
 * A new run's first model request, sent while the thread object is still reading the run's inputs
 * from D1 (issue 13: at most one storage round trip between `POST /runs` and the upstream request;
 * docs/run-lifecycle.md §"Hot path"). It is built from RunStartCache's guess by the same code that
 * builds the real request (RunExecutor.prepareCall), and the executor ADOPTS it only when the request
 * it builds from D1's answer is identical (same JSON): the upstream then answers exactly what it
 * would have answered 1 round trip later. Any difference, a failed run creation or a run that ends
 * before its first call DISCARDS it: the request is aborted (its tokens may still be billed by the
 * upstream: the price of a stale guess, logged as `run.prefetch_discarded`).
 *
 * Until adopted, the stream's first result is held (nothing is read past the response's start), so an
 * adopted call loses nothing; an upstream error surfaces on adoption, as it would have on the call.
 */
export class ModelPrefetch {
  private readonly controller = new AbortController();
  private readonly iterator: AsyncIterator<ChatChunk>;
  private readonly first: Promise<IteratorResult<ChatChunk>>;
  private settled = false;

  constructor(
    model: ChatModel,
    private readonly request: ChatRequest,
    /** Called when the sent request is aborted unused (a log line: its cost is the upstream's). */
    private readonly onDiscard: () => void = () => undefined,
    private readonly key = requestKey(request),
  ) {
    this.iterator = model.stream(request, this.controller.signal)[Symbol.asyncIterator]();
    this.first = this.iterator.next();
    // Observed on adoption; a discarded call's rejection (its abort) is nobody's error.
    this.first.catch(() => undefined);
  }

  /**
   * The upstream's stream when `request` is the one already sent, bound to `signal` (the run's call
   * limit); otherwise null, and the sent request is aborted. Either way this prefetch is spent.
   */
  adopt(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> | null {
    if (this.settled) return null;
    if (request !== this.request && requestKey(request) !== this.key) {
      this.discard();
      return null;
    }
    this.settled = true;
    const { controller, iterator, first } = this;
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    // The run's log line counts this call as its own (src/observability/instrumented-model.ts).
    linkCallStats(controller.signal, signal);
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (let next = await first; !next.done; next = await iterator.next()) yield next.value;
        } finally {
          signal.removeEventListener('abort', forward);
          // A consumer that stops early (a bound reached) ends the call, as leaving a for-await does.
          await iterator.return?.().catch(() => undefined);
        }
      },
    };
  }

  /** Aborts the sent request unless it was adopted. Idempotent. */
  discard(): void {
    if (this.settled) return;
    this.settled = true;
    this.controller.abort(new Error('The prefetched model request was not used.'));
    this.onDiscard();
    void this.first.then(() => this.iterator.return?.(), () => undefined).catch(() => undefined);
  }
}

/** Two requests are the same call when their JSON is: every field the provider adapters send. */
export function requestKey(request: ChatRequest): string {
  return JSON.stringify(request);
}
