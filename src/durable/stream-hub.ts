import { SSE_DONE, sseEvent, STREAM_FINAL_EVENTS } from '../domain/sse';
import { SseSubscriber } from './sse-subscriber';

/**
 * Fans a run's events out to the clients streaming it. The executor never writes to an HTTP
 * response directly: a client that disconnects only loses its own subscription, and the run goes
 * on (docs/platform-limits.md §6: writing straight into the response leaves runs stuck when clients leave).
 */
export class StreamHub {
  private readonly subscribers = new Map<string, Set<SseSubscriber>>();

  /** A new SSE byte stream for `runId`; `prelude` events (e.g. `thread.created`) come first. */
  subscribe(runId: string, prelude: { event: string; data: unknown }[] = []): ReadableStream<Uint8Array> {
    const sub = new SseSubscriber((closed) => this.forget(closed));
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    set.add(sub);
    for (const e of prelude) sub.write(sseEvent(e.event, e.data));
    return sub.readable;
  }


  publish(runId: string, event: string, data: unknown): void {
    const set = this.subscribers.get(runId);
    if (!set) return;
    const frame = sseEvent(event, data);
    for (const sub of set) sub.write(frame);
    if (STREAM_FINAL_EVENTS.has(event)) this.end(runId);
  }


  /** Ends every stream of the run with `done`. */
  end(runId: string): void {
    const set = this.subscribers.get(runId);
    if (!set) return;
    this.subscribers.delete(runId);
    for (const sub of set) {
      sub.write(SSE_DONE);
      sub.close();
    }
  }

  private forget(sub: SseSubscriber): void {
    for (const [runId, set] of this.subscribers) {
      if (set.delete(sub) && set.size === 0) this.subscribers.delete(runId);
    }
  }
}
