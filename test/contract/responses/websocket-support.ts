import { request } from 'node:http';
import { inject } from 'vitest';
import { validateResponseStreamEvent } from '../../support/openapi.js';

/** A Responses stream event as a frame carries it (the fields the tests read). */
export type Frame = { type: string; sequence_number: number; code?: string | null; message?: string; param?: string | null; response?: { id: string; status: string; output: Array<{ type: string; content?: Array<{ text?: string }> }> } };

/** Frames after which a turn is over (an `error` event answers a refused message). */
const TURN_ENDS = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

/** The `wss://…/v1/responses` address of the worker under test. */
export const socketURL = (): string => `${inject('baseURL').replace(/^http/, 'ws')}/responses`;

/** Node 22's WebSocket (undici) takes headers, which the DOM type does not declare. */
type NodeWebSocket = { send(data: string): void; close(): void; addEventListener(type: string, listener: (e: { data?: unknown }) => void): void };
const NodeWebSocketCtor = globalThis.WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => NodeWebSocket;

/**
 * A WebSocket client of the Responses API: every frame received is validated against ResponseStreamEvent of
 * OpenAI's document (test/support/openapi.ts) and queued; `turn` sends one message and returns its frames.
 */
export class ResponsesSocket {
  readonly frames: Frame[] = [];
  readonly problems: string[] = [];
  private waiting: (() => void) | undefined;
  private read = 0;

  private constructor(private readonly ws: NodeWebSocket) {
    ws.addEventListener('message', (e) => {
      const frame = JSON.parse(String(e.data)) as Frame;
      this.problems.push(...validateResponseStreamEvent(frame.type, frame));
      this.frames.push(frame);
      this.waiting?.();
    });
  }

  static open(apiKey: string): Promise<ResponsesSocket> {
    const ws = new NodeWebSocketCtor(socketURL(), { headers: { authorization: `Bearer ${apiKey}` } });
    return new Promise((resolve, reject) => {
      ws.addEventListener('open', () => resolve(new ResponsesSocket(ws)));
      ws.addEventListener('error', () => reject(new Error('WebSocket connection failed')));
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The frames from the last read up to and including the next turn-ending one. */
  async untilEnd(): Promise<Frame[]> {
    for (;;) {
      const end = this.frames.findIndex((f, i) => i >= this.read && TURN_ENDS.has(f.type));
      if (end >= 0) {
        const frames = this.frames.slice(this.read, end + 1);
        this.read = end + 1;
        return frames;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Sends `message` and returns the frames answering it. */
  async turn(message: unknown): Promise<Frame[]> {
    this.send(message);
    return this.untilEnd();
  }

  close(): void {
    this.ws.close();
  }
}

/** The HTTP answer to an upgrade request to `/v1/responses` with the given headers (status and JSON body). */
export function upgradeAnswer(headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const url = new URL(`${inject('baseURL')}/responses`);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: null });
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The text of a completed response's first message. */
export const textOf = (frames: Frame[]): string | undefined =>
  frames.at(-1)?.response?.output.find((o) => o.type === 'message')?.content?.[0]?.text;
