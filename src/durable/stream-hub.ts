import { SSE_DONE, SSE_PING, sseEvent, STREAM_FINAL_EVENTS } from '../domain/sse';

/** Comment keep-alives keep idle proxies from closing a stream while the model thinks. */
const PING_INTERVAL_MS = 15_000;

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  ping: ReturnType<typeof setInterval>;
  open: boolean;
}

/**
 * Fans a run's events out to the clients streaming it. The executor never writes to an HTTP
 * response directly: a client that disconnects only loses its own subscription, and the run goes
 * on (docs/platform-limits.md §6: writing straight into the response leaves runs stuck when clients leave).
 */
export class StreamHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly encoder = new TextEncoder();

  /** A new SSE byte stream for `runId`; `prelude` events (e.g. `thread.created`) come first. */
  subscribe(runId: string, prelude: { event: string; data: unknown }[] = []): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const sub: Subscriber = { writer: writable.getWriter(), open: true, ping: setInterval(() => this.write(sub, SSE_PING), PING_INTERVAL_MS) };
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    set.add(sub);
    for (const e of prelude) this.write(sub, sseEvent(e.event, e.data));
    return readable;
  }


  publish(runId: string, event: string, data: unknown): void {
    const set = this.subscribers.get(runId);
    if (!set) return;
    const frame = sseEvent(event, data);
    for (const sub of set) this.write(sub, frame);
    if (STREAM_FINAL_EVENTS.has(event)) this.end(runId);
  }


  /** Ends every stream of the run with `done`. */
  end(runId: string): void {
    const set = this.subscribers.get(runId);
    if (!set) return;
    this.subscribers.delete(runId);
    for (const sub of set) {
      this.write(sub, SSE_DONE);
      this.close(sub);
    }
  }

  private write(sub: Subscriber, frame: string): void {
    if (!sub.open) return;
    // Not awaited: a slow or gone client must never hold the executor. A failed write means the
    // client left; its subscription is dropped and the run continues.
    sub.writer.write(this.encoder.encode(frame)).catch(() => this.close(sub));
  }

  private close(sub: Subscriber): void {
    if (!sub.open) return;
    sub.open = false;
    clearInterval(sub.ping);
    sub.writer.close().catch(() => undefined);
    for (const [runId, set] of this.subscribers) {
      if (set.delete(sub) && set.size === 0) this.subscribers.delete(runId);
    }
  }
}
