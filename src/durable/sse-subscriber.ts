import { SSE_PING } from '../domain/sse';

/** Comment keep-alives keep idle proxies from closing a stream while the model thinks. */
const PING_INTERVAL_MS = 15_000;

const encoder = new TextEncoder();

/**
 * One client's SSE byte stream, as the stream hubs (runs: stream-hub.ts, responses: responses/hub.ts) hold
 * it. Writes are never awaited: a slow or gone client must never hold the execution. A failed write means
 * the client left; the subscriber closes itself and tells its hub through `onClose`.
 */
export class SseSubscriber {
  readonly readable: ReadableStream<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly ping: ReturnType<typeof setInterval>;
  private open = true;

  constructor(private readonly onClose: (sub: SseSubscriber) => void) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.readable = readable;
    this.writer = writable.getWriter();
    this.ping = setInterval(() => this.write(SSE_PING), PING_INTERVAL_MS);
  }

  write(frame: string): void {
    if (!this.open) return;
    this.writer.write(encoder.encode(frame)).catch(() => this.close());
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.ping);
    this.writer.close().catch(() => undefined);
    this.onClose(this);
  }
}
