// A fetch that validates every response the server sends during a contract test against the OpenAPI
// document and the wire rules of docs/openai-behaviour.md §4/§6/§8. JSON problems are thrown from inside
// `fetch` (contract-violations.ts); SSE bodies are checked in the background (stream-validation.ts).
import { violation } from './contract-violations.js';
import { findOperation, validateResponse } from './openapi.js';
import { watchChatStream, watchResponseStream, watchStream } from './stream-validation.js';

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
