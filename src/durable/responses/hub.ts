import { sseEvent } from '../../domain/sse';
import type { ResponseStreamEvent } from '../../domain/responses/types';
import { SseSubscriber } from '../sse-subscriber';

/** Events after which a Responses stream ends; OpenAI sends no `[DONE]` on Responses streams. */
export const RESPONSE_FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

/**
 * Fans one response's events out to the clients streaming it, framed by the one SSE writer
 * (src/domain/sse.ts). As with runs (src/durable/stream-hub.ts), execution never writes into an HTTP
 * response: a client that leaves only loses its subscription, and the response goes on.
 */
export class ResponseStreamHub {
  private readonly subscribers = new Set<SseSubscriber>();

  /** A new SSE byte stream; `replay` (stored events) comes first; `ended` closes it after them. */
  subscribe(replay: readonly ResponseStreamEvent[] = [], ended = false): ReadableStream<Uint8Array> {
    const sub = new SseSubscriber((closed) => this.subscribers.delete(closed));
    for (const e of replay) sub.write(sseEvent(e.type, e));
    if (ended) sub.close();
    else this.subscribers.add(sub);
    return sub.readable;
  }

  publish(events: readonly ResponseStreamEvent[]): void {
    for (const e of events) {
      const frame = sseEvent(e.type, e);
      for (const sub of this.subscribers) sub.write(frame);
      if (RESPONSE_FINAL_EVENTS.has(e.type)) this.end();
    }
  }

  /** Ends every stream (a cancelled response has no final event of its own). */
  end(): void {
    for (const sub of [...this.subscribers]) sub.close();
  }
}
