import { DurableObject } from 'cloudflare:workers';
import type { StoredItem } from '../../domain/responses/types';
import type { Env } from '../../env';

/** The header by which the upgrade route (src/http/routes/responses.ts) hands the checked principal to the object. */
export const SOCKET_PRINCIPAL_HEADER = 'x-assistants-edge-socket-principal';

/** Who opened the connection, as authenticated at the upgrade (the HTTP layer's Principal). */
export type SocketPrincipal = { kind: 'admin'; projectId: string } | { kind: 'project'; projectId: string; keyId: string };

/**
 * A WebSocket connection's own responses: the context of each response it produced, so
 * `previous_response_id` works with `store: false` on that connection (docs/responses.md "WebSocket mode").
 */
export interface ConnectionChain {
  /** The full model context (inputs and outputs) up to and including response `id`, if this connection made it. */
  context(id: string): Promise<StoredItem[] | undefined>;
  /** Response `id` started with `context` (its previous context and its own input items). */
  began(id: string, context: StoredItem[]): void;
}

/**
 * How a turn runs: `POST /v1/responses` of the HTTP layer, in process, as `principal` with `chain`. Set
 * once by src/index.ts (the HTTP layer sits above this one, so the object is handed it, not importing it).
 */
export type TurnHandler = (request: Request, env: Env, principal: SocketPrincipal, chain: ConnectionChain) => Promise<Response>;

/** How many of its latest responses a connection can continue from with `store: false` (docs/responses.md "WebSocket mode"). */
export const SOCKET_CHAIN_RESPONSES = 8;

/** Kept with the socket across hibernation (serializeAttachment: at most 2 KiB, so no items here). */
interface Attachment {
  principal: SocketPrincipal;
  /** The sequence_number of the last frame sent (-1 before any): a connection-level `error` gets the next. */
  lastSequence: number;
}

type ErrorEvent = { type: 'error'; code: string | null; message: string; param: string | null; sequence_number: number };

const CHAIN_ORDER_KEY = 'chain_order';
const chainKey = (id: string) => `chain:${id}`;

/** Events that end a turn whose response the connection can continue from (OpenAI keeps no failed turn). */
const CONTINUABLE_ENDS = new Set(['response.completed', 'response.incomplete']);

/**
 * One object per WebSocket connection of the Responses API (docs/responses.md "WebSocket mode"). It holds
 * the socket with the hibernation API, so an idle connection costs nothing, and answers each
 * `response.create` by running `POST /responses` in process with the connection's principal: the same
 * validation, the same response object (src/durable/responses/response-runner.ts) and the same events,
 * each sent as a text frame. The context of each response it produced is kept in this object's storage
 * (it survives hibernation) so `previous_response_id` works with `store: false`; it is deleted with the
 * connection.
 */
export class ResponseSocket extends DurableObject<Env> {
  static handleTurn: TurnHandler | undefined;

  /** One turn at a time per connection; a turn keeps the object awake, so memory is enough. */
  private busy = false;
  /** The response of the current turn: its context before its output, until its final event. */
  private readonly begun = new Map<string, StoredItem[]>();
  private readonly chain: ConnectionChain = {
    context: (id) => this.ctx.storage.get<StoredItem[]>(chainKey(id)),
    began: (id, context) => void this.begun.set(id, context),
  };

  override async fetch(request: Request): Promise<Response> {
    const principal = JSON.parse(request.headers.get(SOCKET_PRINCIPAL_HEADER) ?? 'null') as SocketPrincipal | null;
    if (!principal || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response(null, { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ principal, lastSequence: -1 } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(typeof message === 'string' ? message : new TextDecoder().decode(message)) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return this.sendError(ws, { code: 'invalid_json', message: 'The message is not a JSON object.', param: null });
    }
    if (body.type !== 'response.create') {
      return this.sendError(ws, { code: 'unknown_message_type', message: `Unknown message type ${JSON.stringify(body.type)}; expected 'response.create'.`, param: 'type' });
    }
    if (this.busy) {
      return this.sendError(ws, { code: 'response_in_progress', message: 'A response is already in progress on this connection; send the next response.create after its final event.', param: null });
    }
    this.busy = true;
    try {
      await this.runTurn(ws, body);
    } catch (err) {
      // Never a dropped connection for a failed turn: the client gets an `error` event (or has left).
      console.error('responses websocket: a turn failed', err);
      try {
        this.sendError(ws, { code: 'server_error', message: 'The server had an error while processing the response.', param: null });
      } catch {
        // the socket is closed
      }
    } finally {
      this.busy = false;
      this.begun.clear(); // a failed or stored turn leaves nothing to continue on the connection
      // The client left during the turn: what the turn kept goes too.
      if (this.ctx.getWebSockets().length === 0) await this.ctx.storage.deleteAll();
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    await this.ctx.storage.deleteAll();
  }

  override async webSocketError(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  /** One `response.create`: `POST /responses` with `stream: true`, its events (or its error) as frames. */
  private async runTurn(ws: WebSocket, body: Record<string, unknown>): Promise<void> {
    const { type: _type, ...params } = body;
    const attachment = ws.deserializeAttachment() as Attachment;
    const request = new Request('https://socket.internal/v1/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    const res = await ResponseSocket.handleTurn!(request, this.env, attachment.principal, this.chain);
    if (!res.ok || !res.body) {
      const { error } = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
      return this.sendError(ws, { code: error.code ?? error.type, message: error.message, param: error.param });
    }
    let last = attachment.lastSequence;
    for await (const event of sseData(res.body)) {
      ws.send(JSON.stringify(event));
      last = event.sequence_number;
      // Stored responses are continued from D1 as over HTTP (a deleted one is then gone here too).
      if (CONTINUABLE_ENDS.has(event.type) && event.response.store === false) await this.remember(event.response);
    }
    ws.serializeAttachment({ ...attachment, lastSequence: last } satisfies Attachment);
  }

  /** Keeps a finished response's whole context (before, input, output); only the latest few are kept. */
  private async remember(response: { id: string; output: unknown[] }): Promise<void> {
    const before = this.begun.get(response.id);
    this.begun.delete(response.id);
    if (!before) return;
    const order = [...((await this.ctx.storage.get<string[]>(CHAIN_ORDER_KEY)) ?? []), response.id];
    const dropped = order.splice(0, Math.max(0, order.length - SOCKET_CHAIN_RESPONSES));
    try {
      await this.ctx.storage.put({ [chainKey(response.id)]: [...before, ...(response.output as StoredItem[])], [CHAIN_ORDER_KEY]: order });
      if (dropped.length > 0) await this.ctx.storage.delete(dropped.map(chainKey));
    } catch (err) {
      // Too large a context for one value: the response cannot be continued on this connection.
      console.error(`response ${response.id}: keeping its context on the connection failed`, err);
    }
  }

  private sendError(ws: WebSocket, error: Omit<ErrorEvent, 'type' | 'sequence_number'>): void {
    const attachment = ws.deserializeAttachment() as Attachment;
    const event: ErrorEvent = { type: 'error', ...error, sequence_number: attachment.lastSequence + 1 };
    ws.send(JSON.stringify(event));
    ws.serializeAttachment({ ...attachment, lastSequence: event.sequence_number } satisfies Attachment);
  }
}

type StreamEvent = { type: string; sequence_number: number; response: { id: string; store: boolean; output: unknown[] } };

/** The JSON `data:` payloads of our own SSE stream (src/domain/sse.ts framing), skipping keep-alive comments. */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
      if (data !== undefined && data !== '[DONE]') yield JSON.parse(data) as StreamEvent;
    }
  }
}
