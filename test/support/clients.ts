// Official SDK clients (v7, v6 and v4) wired to a validating fetch: every response the server sends during a
// contract test is checked against the OpenAPI document and the wire rules of docs/openai-behaviour.md §4/§6/§8.
//
// A violation in a JSON response is thrown from inside `fetch`. The SDKs wrap anything thrown by fetch in
// `APIConnectionError` ("Connection error.") with our error as `.cause` (vitest prints the cause), so the
// SDK call fails loudly. Every violation is also recorded in `contractViolations`, because a test that
// expects *some* rejection (`rejects.toThrow()`) would otherwise swallow it.
// SSE bodies cannot be checked before the SDK sees them: a clone is validated event by event in the
// background and problems land in `streamValidationErrors` (`await expectNoStreamErrors()`).
import OpenAI from 'openai';
import OpenAIv4 from 'openai-v4';
import OpenAIv7 from 'openai-v7';
import { findOperation, validateResponse, validateResponseStreamEvent, validateStreamEvent } from './openapi.js';

export const streamValidationErrors: string[] = [];
export const contractViolations: string[] = [];

/** Operations that answer `stream: true` with text/event-stream (docs/openai-behaviour.md §5.1). */
const STREAMING_OPERATIONS = new Set(['createRun', 'createThreadAndRun', 'submitToolOuputsToRun']);
/** Responses operations that stream ResponseStreamEvent (`stream: true`, or `?stream=true` on retrieve). */
const RESPONSE_STREAMING_OPERATIONS = new Set(['createResponse', 'getResponse']);
/** Operations whose success body is raw bytes, not JSON. */
const RAW_OPERATIONS = new Set(['downloadFile']);
/** Raw bodies of paths the copied documents do not describe (the Containers API, docs/containers.md). */
const RAW_PATHS = [/^\/v1\/containers\/[^/]+\/files\/[^/]+\/content$/];

type FetchInput = string | URL | Request;
type FetchFn = (input: FetchInput, init?: RequestInit) => Promise<Response>;

export class ContractViolationError extends Error {
  override name = 'ContractViolationError';
}

function violation(label: string, problems: string[]): ContractViolationError {
  const message = `contract violation in ${label}:\n  - ${problems.join('\n  - ')}`;
  contractViolations.push(message);
  return new ContractViolationError(message);
}

function requestMethod(input: FetchInput, init?: RequestInit): string {
  return (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
}

function requestUrl(input: FetchInput): URL {
  return new URL(input instanceof Request ? input.url : String(input));
}

/** `application/json` media type, parameters (charset) allowed. */
function isJsonContentType(ct: string | null): boolean {
  return (ct ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * v4 hands fetch a node `Readable` (multipart uploads) and node-fetch-only options (`agent`). Node's fetch
 * accepts async-iterable bodies but only with `duplex: 'half'`; `agent` is ignored by undici.
 */
function adaptInit(init: RequestInit | undefined): RequestInit | undefined {
  const body = init?.body as unknown;
  if (!init || body == null) return init;
  const plain = typeof body === 'string' || ArrayBuffer.isView(body) || body instanceof ArrayBuffer
    || body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams;
  if (plain) return init;
  const streaming = body instanceof ReadableStream || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
  return streaming ? ({ ...init, duplex: 'half' } as RequestInit) : init;
}

/** fetch that validates every response; throws ContractViolationError for JSON/header problems. */
export function validatingFetch(inner: FetchFn = (i, o) => globalThis.fetch(i, o)): FetchFn {
  return async (input, init) => {
    const method = requestMethod(input, init);
    const url = requestUrl(input);
    const response = await inner(input, adaptInit(init));
    // v6 probes its fetch with `fetch('data:,')` (to find the Response class for FormData): not the server.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return response;
    const label = `${method} ${url.pathname}${url.search} -> ${response.status}`;
    const problems: string[] = [];
    if (!response.headers.get('x-request-id')) problems.push('missing x-request-id header');

    const ok = response.status >= 200 && response.status < 300;
    const ct = response.headers.get('content-type');
    const op = findOperation(method, url.pathname);
    const isSse = (ct ?? '').toLowerCase().startsWith('text/event-stream');

    if (isSse && ok && method === 'POST' && url.pathname.endsWith('/chat/completions')) {
      // Chat Completions streams: `data:` lines only (no event names), chunks, then `data: [DONE]`.
      if (response.body) watchChatStream(label, response.clone().body as ReadableStream<Uint8Array>);
      return response;
    }
    if (isSse && ok && op && RESPONSE_STREAMING_OPERATIONS.has(op.operationId)) {
      if (problems.length) throw violation(label, problems);
      if (response.body) watchResponseStream(label, response.clone().body as ReadableStream<Uint8Array>);
      return response;
    }
    if (isSse) {
      if (!ok) problems.push(`error responses must be JSON, got ${ct}`);
      else if (!op || !STREAMING_OPERATIONS.has(op.operationId)) problems.push(`text/event-stream from a non-streaming endpoint (${op?.operationId ?? 'not in spec'})`);
      if (problems.length) throw violation(label, problems);
      if (response.body) watchStream(label, response.clone().body as ReadableStream<Uint8Array>);
      return response;
    }
    if (ok && ((op && RAW_OPERATIONS.has(op.operationId)) || RAW_PATHS.some((r) => r.test(url.pathname)))) {
      if (problems.length) throw violation(label, problems);
      return response;
    }

    // Everything else is JSON: without the exact media type the SDK returns the body as a string (docs/openai-behaviour.md §6.2).
    if (!isJsonContentType(ct)) problems.push(`content-type must be application/json, got ${JSON.stringify(ct)}`);
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`body is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
    }
    if (body !== undefined) problems.push(...validateResponse(method, url.pathname, response.status, body));
    if (problems.length) throw violation(label, problems);
    return response;
  };
}

// ---------------------------------------------------------------------------------------------------
// SSE validation (wire format per docs/openai-behaviour.md §5.3/§6.4).

const pendingStreams = new Set<Promise<void>>();

interface SseMessage { event: string | undefined; data: string }

/** Incremental SSE parser: lines end in \n, \r\n or \r; a blank line dispatches; `:` lines are comments. */
class SseParser {
  private buffer = '';
  private event: string | undefined;
  private data: string[] = [];

  push(chunk: string, final = false): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\n|\r/.exec(this.buffer);
      // A trailing \r may be the first half of \r\n split across chunks: wait for more input.
      if (!m || (!final && m[0] === '\r' && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    if (final && this.buffer) {
      const msg = this.line(this.buffer);
      this.buffer = '';
      if (msg) out.push(msg);
    }
    return out;
  }

  /** True when an event was started but never terminated by a blank line. */
  get incomplete(): boolean {
    return this.event !== undefined || this.data.length > 0 || this.buffer.length > 0;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.event === undefined && this.data.length === 0) return undefined;
      const msg = { event: this.event, data: this.data.join('\n') };
      this.event = undefined;
      this.data = [];
      return msg;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}

function watchStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  const check = (msg: SseMessage, index: number, afterDone: boolean): boolean => {
    const where = `event #${index} (${msg.event ?? 'no event name'})`;
    if (afterDone) record(`${where} sent after 'done'`);
    if (msg.event === undefined) {
      record(`${where}: every event needs an 'event:' line (data: ${msg.data.slice(0, 120)})`);
      return msg.data.startsWith('[DONE]');
    }
    if (msg.event === 'done') {
      for (const e of validateStreamEvent('done', msg.data)) record(`${where}: ${e}`);
      return true;
    }
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      record(`${where}: data is not JSON: ${msg.data.slice(0, 200)}`);
      return false;
    }
    for (const e of validateStreamEvent(msg.event, data)) record(`${where}: ${e}`);
    return false;
  };

  let index = 0;
  let done = false;
  watchSse(body, (m) => {
    if (check(m, index++, done)) done = true;
  }, (incomplete) => {
    if (incomplete) record('stream ended in the middle of an event (no blank line after it)');
    if (!done) record("stream ended without 'event: done' / 'data: [DONE]'");
  });
}

/** Events after which a Responses stream ends (OpenAI sends no `[DONE]` on Responses streams). */
const RESPONSE_TERMINAL_EVENTS = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/**
 * Background check of a Responses stream: every event named, its JSON data a ResponseStreamEvent of the same
 * `type`, `sequence_number`s consecutive (a replay with `starting_after` starts above 0), nothing after a
 * terminal event, and the stream ends with one.
 */
function watchResponseStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  let index = 0;
  let lastSequence: number | undefined;
  let ended = false;
  watchSse(body, (m) => {
    const where = `event #${index++} (${m.event ?? 'no event name'})`;
    if (ended) record(`${where} sent after the terminal event`);
    if (m.event === undefined) return record(`${where}: every event needs an 'event:' line (data: ${m.data.slice(0, 120)})`);
    let data: { sequence_number?: unknown };
    try {
      data = JSON.parse(m.data) as { sequence_number?: unknown };
    } catch {
      return record(`${where}: data is not JSON: ${m.data.slice(0, 200)}`);
    }
    for (const e of validateResponseStreamEvent(m.event, data)) record(`${where}: ${e}`);
    const seq = data.sequence_number;
    if (typeof seq === 'number' && lastSequence !== undefined && seq !== lastSequence + 1) {
      record(`${where}: sequence_number ${seq} does not follow ${lastSequence}`);
    }
    if (typeof seq === 'number') lastSequence = seq;
    if (RESPONSE_TERMINAL_EVENTS.has(m.event)) ended = true;
  }, (incomplete) => {
    if (incomplete) record('stream ended in the middle of an event (no blank line after it)');
    if (!ended) record('responses stream ended without response.completed/failed/incomplete or error');
  });
}

/** Background check of a Chat Completions stream: every event a JSON chunk (or error), then [DONE]. */
function watchChatStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  let done = false;
  watchSse(body, (m) => {
    if (done) record('event after [DONE]');
    if (m.data === '[DONE]') {
      done = true;
      return;
    }
    try {
      const chunk = JSON.parse(m.data) as { object?: unknown; error?: unknown };
      if (chunk.object !== 'chat.completion.chunk' && chunk.error === undefined) record(`not a chat.completion.chunk: ${m.data.slice(0, 120)}`);
    } catch {
      record(`data is not JSON: ${m.data.slice(0, 120)}`);
    }
  }, () => {
    if (!done) record('chat completions stream ended without data: [DONE]');
  });
}

/**
 * Reads an SSE body in the background, handing each message to `onMessage` and, once the body has
 * ended, `onEnd(incomplete)` (whether it stopped in the middle of an event). A client that aborted
 * (e.g. broke out of its iteration) leaves an unfinished stream, which is expected: `onEnd` is skipped.
 * `expectNoStreamErrors()` waits for these tasks.
 */
function watchSse(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => void, onEnd: (incomplete: boolean) => void): void {
  const task = (async () => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) onMessage(m);
      }
      for (const m of parser.push(decoder.decode(), true)) onMessage(m);
    } catch {
      return;
    }
    onEnd(parser.incomplete);
  })();
  pendingStreams.add(task);
  void task.finally(() => pendingStreams.delete(task));
}

/**
 * Wait for the background validation of every stream seen so far (it runs on a clone, slightly behind the
 * SDK), then throw if any problem was recorded. Clears the list so the next test starts clean. Async on
 * purpose: `await expectNoStreamErrors()` after consuming a stream.
 */
export async function expectNoStreamErrors(timeoutMs = 5_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const result = await Promise.race([Promise.all([...pendingStreams]).then(() => 'settled' as const), timedOut]);
  clearTimeout(timer);
  const errors = streamValidationErrors.splice(0);
  if (result === 'timeout') errors.push(`${pendingStreams.size} stream(s) still open after ${timeoutMs} ms`);
  if (errors.length) throw new ContractViolationError(`stream validation failed:\n  - ${errors.join('\n  - ')}`);
}

/** Throw if any JSON response violated the contract since the last call (then clear the list). */
export function expectNoContractViolations(): void {
  const errors = contractViolations.splice(0);
  if (errors.length) throw new ContractViolationError(errors.join('\n'));
}

// ---------------------------------------------------------------------------------------------------
// Clients and raw requests.

export interface ClientOptions { baseURL: string; apiKey: string }

export type RawInit = RequestInit & {
  /** Override the bearer key; `null` sends no Authorization header at all. */
  apiKey?: string | null;
};

export type RawFetch = (path: string, init?: RawInit) => Promise<Response>;

/**
 * A fetch for hand-made (often malformed) requests. `path` is relative to baseURL (`/threads/x`) unless
 * absolute. Responses are validated like the SDK's, so a bad error envelope still fails the test.
 */
export function makeRawFetch(opts: ClientOptions): RawFetch {
  const fetchValidated = validatingFetch();
  return (path, init = {}) => {
    const { apiKey = opts.apiKey, ...rest } = init;
    const url = /^https?:\/\//.test(path) ? path : opts.baseURL.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
    const headers = new Headers(rest.headers);
    if (apiKey !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${apiKey}`);
    return fetchValidated(url, { ...rest, headers });
  };
}

let lastOptions: ClientOptions | undefined;

/** rawFetch against the baseURL/key of the most recent makeClients() call. */
export const rawFetch: RawFetch = (path, init) => {
  if (!lastOptions) throw new Error('rawFetch: call makeClients() first (or use makeRawFetch(opts))');
  return makeRawFetch(lastOptions)(path, init);
};

export function makeClients(opts: ClientOptions): { v7: OpenAIv7; v6: OpenAI; v4: OpenAIv4; rawFetch: RawFetch } {
  lastOptions = opts;
  const fetch = validatingFetch();
  // maxRetries 0: the SDK retries 408/409/429/5xx silently (docs/openai-behaviour.md §4); tests must see the first answer.
  const v6 = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  const v4 = new OpenAIv4({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  const v7 = new OpenAIv7({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  return { v7, v6, v4, rawFetch: makeRawFetch(opts) };
}
