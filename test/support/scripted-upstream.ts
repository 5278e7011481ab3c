/**
 * A real local HTTP server that speaks the upstream model protocols the adapters call, scripted
 * per request (docs/platform-limits.md §9: upstreams are local scripted servers on the real wire protocol):
 * - OpenAI Chat Completions `POST /v1/chat/completions`, streamed as `chat.completion.chunk` SSE
 *   events exactly as OpenAI sends them (role chunk, content/tool_call deltas, a finish chunk, then a
 *   usage chunk with `choices: []` when `stream_options.include_usage`, then `data: [DONE]`), or
 *   one `chat.completion` JSON object when `stream` is false;
 * - `GET /v1/models`;
 * - Anthropic Messages `POST /v1/messages` (message_start … message_stop events), at `anthropicUrl`.
 * Misbehaving upstreams for the time-limit tests: `{ hang }` (accepts, then silence; `beforeHeaders`: not
 * even headers), `{ drip }` (SSE comment keep-alives forever), `stallAfterChunks` (stops mid-stream and
 * keeps the connection open), and one huge event via `chunkSize` as large as the text.
 * Scripts are consumed FIFO. A script pushed with `{ match }` is only used by a request whose
 * `JSON.stringify(body.messages)` contains that string, so concurrent tests can each steer their own
 * requests; unkeyed scripts serve requests that matched no keyed script; with none left, the reply
 * is DEFAULT_TEXT.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBase62 } from '../../src/domain/ids';

export const DEFAULT_TEXT = 'Hello from the scripted upstream.';

interface Timing {
  /** Only for requests whose messages (JSON) contain this string. */
  match?: string;
  /** Wait before the first content chunk (after the role chunk / message_start). */
  delayMs?: number;
  /** Wait between content chunks. */
  chunkDelayMs?: number;
  /** Characters per text chunk, or per tool-argument fragment. */
  chunkSize?: number;
  /** `cached_tokens` / `reasoning_tokens` go out as OpenAI's `*_tokens_details` (Anthropic: `cache_read_input_tokens`). */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number };
  /** OpenAI finish_reason (mapped for Anthropic: stop→end_turn, length→max_tokens, tool_calls→tool_use). */
  finishReason?: string;
  /** Stop mid-stream: after this many content chunks send nothing more and keep the connection open. */
  stallAfterChunks?: number;
}
export type TextScript = Timing & { text: string };
export type ToolCallScript = Timing & { toolCalls: Array<{ name: string; arguments: string; id?: string }>; text?: string };
export type ErrorScript = { match?: string; status: number; body?: unknown; headers?: Record<string, string> };
export type MalformedScript = { match?: string; malformed: true };
/** Accepts the request and sends nothing more: after the role chunk, or (`beforeHeaders`) not even headers. */
export type HangScript = { match?: string; hang: true; beforeHeaders?: boolean };
/** Keeps the stream alive with SSE comments every `everyMs` (default 200) and never answers. */
export type DripScript = { match?: string; drip: true; everyMs?: number };
export type Script = TextScript | ToolCallScript | ErrorScript | MalformedScript | HangScript | DripScript;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined for GET or a non-JSON body). */
  body: any;
  /** True once the client went away before the response was complete. */
  aborted: boolean;
  /** Epoch ms when the request arrived and when its response was completely sent (benchmarks). */
  receivedAt: number;
  finishedAt?: number;
}

export interface ScriptedUpstream {
  /** OpenAI-style base URL, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Anthropic base URL (the adapter appends /v1/messages), e.g. http://127.0.0.1:PORT */
  anthropicUrl: string;
  push(...scripts: Array<Script | { match: string }>): void;
  requests: RecordedRequest[];
  /** Models listed by GET /v1/models. */
  models: string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  // The contract-* models are usage.test.ts's priced and unpriced ones: assistants are refused at
  // creation for a model the upstream does not list (OpenAI answers 400 at creation too).
  const models = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'contract-priced-model', 'contract-unpriced-model'];

  const take = (body: any): Script | undefined => {
    const haystack = JSON.stringify(body?.messages ?? null);
    let i = queue.findIndex((s) => s.match !== undefined && haystack.includes(s.match));
    if (i === -1) i = queue.findIndex((s) => s.match === undefined);
    return i === -1 ? undefined : queue.splice(i, 1)[0];
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `scripted upstream: ${String(err)}`, type: 'server_error' } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, aborted: false, receivedAt: Date.now() };
    requests.push(record);
    res.on('finish', () => {
      record.finishedAt = Date.now();
    });
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const anthropic = path === '/v1/messages';

    // Control API for tests running in other processes than the server (vitest workers).
    if (path === '/__scripts' && req.method === 'POST') {
      requests.pop();
      const scripts = (Array.isArray(body) ? body : [body]) as Script[];
      queue.push(...scripts);
      return json(res, 200, { queued: queue.length });
    }
    if (path === '/__requests' && req.method === 'GET') {
      requests.pop();
      const match = new URL(req.url ?? '/', 'http://x').searchParams.get('match') ?? '';
      const seen = requests.filter((r) => JSON.stringify(r.body?.messages ?? null).includes(match));
      return json(res, 200, seen.map(({ method, path: p, body: b, aborted, receivedAt, finishedAt }) => ({ method, path: p, body: b, aborted, receivedAt, finishedAt })));
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const data = models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' }));
      return json(res, 200, { object: 'list', data });
    }
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && !anthropic)) {
      return json(res, 404, { error: { message: `Unknown path ${req.method} ${path}`, type: 'invalid_request_error' } });
    }

    const script = take(body) ?? { text: DEFAULT_TEXT };
    if ('status' in script) {
      const fallback = anthropic
        ? { type: 'error', error: { type: 'api_error', message: `Scripted HTTP ${script.status}` } }
        : { error: { message: `Scripted HTTP ${script.status}`, type: 'server_error', param: null, code: null } };
      return json(res, script.status, script.body ?? fallback, script.headers);
    }
    if ('hang' in script && script.beforeHeaders) return; // the socket closes when the client gives up
    const reply: Reply =
      'malformed' in script ? { kind: 'malformed' }
      : 'hang' in script ? { kind: 'hang' }
      : 'drip' in script ? { kind: 'drip', everyMs: script.everyMs ?? 200 }
      : { kind: 'content', script, promptChars: promptChars(body) };
    if (body?.stream !== true) {
      if (reply.kind !== 'content') return json(res, 500, { error: { message: 'malformed/hang/drip scripts need stream: true' } });
      return json(res, 200, anthropic ? anthropicMessage(body, reply) : openaiCompletion(body, reply));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const write = (s: string) => {
      if (!res.destroyed) res.write(s);
    };
    const closed = () => res.destroyed || record.aborted;
    if (anthropic) await anthropicStream(body, reply, write, closed);
    else await openaiStream(body, reply, write, closed);
    // A hang, drip or stall never ends on its own: the client's abort (or close()) closes the socket.
    const stalls = reply.kind === 'content' && reply.script.stallAfterChunks !== undefined;
    if (reply.kind !== 'hang' && reply.kind !== 'drip' && !stalls && !res.destroyed) res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    anthropicUrl: `http://127.0.0.1:${port}`,
    requests,
    models,
    push(...items) {
      // A bare `{ match }` applies to the scripts after it in this call.
      let match: string | undefined;
      for (const item of items) {
        if (Object.keys(item).length === 1 && 'match' in item) match = item.match;
        else queue.push({ ...(match !== undefined ? { match } : {}), ...(item as Script) });
      }
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Characters of prompt text, for the ceil(chars/4) token estimate. */
function promptChars(body: any): number {
  let n = typeof body?.system === 'string' ? body.system.length : 0;
  for (const m of body?.messages ?? []) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content)) n += JSON.stringify(m.content).length;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Wire formats.

type ContentScript = TextScript | ToolCallScript;
type Reply =
  | { kind: 'malformed' }
  | { kind: 'hang' }
  | { kind: 'drip'; everyMs: number }
  | { kind: 'content'; script: ContentScript; promptChars: number };
type Content = Extract<Reply, { kind: 'content' }>;
type Write = (s: string) => void;

const sleep = (ms: number | undefined) => (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

function split(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function parts(reply: Content) {
  const { script } = reply;
  const text = script.text ?? '';
  const calls = ('toolCalls' in script ? script.toolCalls : []).map((c) => ({ ...c, id: c.id ?? '' }));
  const completionChars = text.length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const usage = script.usage ?? {
    prompt_tokens: Math.ceil(reply.promptChars / 4),
    completion_tokens: Math.ceil(completionChars / 4),
  };
  const finish = script.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
  return { text, calls, usage, finish, size: script.chunkSize ?? 6 };
}

/** OpenAI streaming: role chunk, deltas, finish chunk, usage chunk (`choices: []`), [DONE]. */
async function openaiStream(body: any, reply: Reply, write: Write, closed: () => boolean): Promise<void> {
  const id = `chatcmpl-${randomBase62(29)}`;
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = body?.stream_options?.include_usage === true;
  // With include_usage, OpenAI adds `"usage": null` to every chunk before the last.
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id, object: 'chat.completion.chunk', created, model: body?.model, service_tier: 'default',
    system_fingerprint: 'fp_scripted', choices, ...(includeUsage ? { usage } : {}),
  });
  const send = (delta: unknown, finish: string | null = null) =>
    write(`data: ${JSON.stringify(chunk([{ index: 0, delta, logprobs: null, finish_reason: finish }]))}\n\n`);

  send({ role: 'assistant', content: '', refusal: null });
  if (reply.kind === 'malformed') return write('data: {"id": "chatcmpl-x", this is not JSON\n\n');
  if (reply.kind === 'hang') return;
  if (reply.kind === 'drip') {
    while (!closed()) {
      await sleep(reply.everyMs);
      write(': keep-alive\n\n');
    }
    return;
  }
  const { text, calls, usage, finish, size } = parts(reply);
  await sleep(reply.script.delayMs);
  let first = true;
  let sent = 0;
  const stallAt = reply.script.stallAfterChunks ?? Infinity;
  const pace = async () => (first ? (first = false) : await sleep(reply.script.chunkDelayMs));
  for (const piece of split(text, size)) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    send({ content: piece });
  }
  for (const [index, call] of calls.entries()) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    const callId = call.id || `call_${randomBase62(24)}`;
    send({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const frag of split(call.arguments, size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send({ tool_calls: [{ index, function: { arguments: frag } }] });
    }
  }
  send({}, finish);
  if (includeUsage) {
    const full = {
      prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    write(`data: ${JSON.stringify(chunk([], full))}\n\n`);
  }
  write('data: [DONE]\n\n');
}

/** OpenAI non-streaming: one `chat.completion` object. */
function openaiCompletion(body: any, reply: Content): unknown {
  const { text, calls, usage, finish } = parts(reply);
  const toolCalls = calls.map((c) => ({
    id: c.id || `call_${randomBase62(24)}`, type: 'function', function: { name: c.name, arguments: c.arguments },
  }));
  return {
    id: `chatcmpl-${randomBase62(29)}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000),
    model: body?.model, system_fingerprint: 'fp_scripted',
    choices: [{
      index: 0, logprobs: null, finish_reason: finish,
      message: { role: 'assistant', content: text || null, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
    }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

const ANTHROPIC_STOP: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

/** Anthropic streaming: message_start, ping, content blocks, message_delta, message_stop. */
async function anthropicStream(body: any, reply: Reply, write: Write, closed: () => boolean): Promise<void> {
  const send = (type: string, data: Record<string, unknown>) =>
    write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const content = reply.kind === 'content' ? parts(reply) : undefined;
  send('message_start', {
    message: {
      id: `msg_01${randomBase62(22)}`, type: 'message', role: 'assistant', model: body?.model, content: [],
      stop_reason: null, stop_sequence: null,
      usage: { input_tokens: content?.usage.prompt_tokens ?? 1, cache_creation_input_tokens: 0, cache_read_input_tokens: content?.usage.cached_tokens ?? 0, output_tokens: 1 },
    },
  });
  send('ping', {});
  if (reply.kind === 'malformed') return write('event: content_block_delta\ndata: {"type": "content_block_delta", not JSON\n\n');
  if (reply.kind === 'hang' || reply.kind === 'drip' || !content) return;
  await sleep(reply.script.delayMs);
  let first = true;
  let sent = 0;
  const stallAt = reply.script.stallAfterChunks ?? Infinity;
  const pace = async () => (first ? (first = false) : await sleep(reply.script.chunkDelayMs));
  let index = 0;
  if (content.text) {
    send('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const piece of split(content.text, content.size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    }
    send('content_block_stop', { index: index++ });
  }
  for (const call of content.calls) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    const id = call.id || `toolu_01${randomBase62(22)}`;
    send('content_block_start', { index, content_block: { type: 'tool_use', id, name: call.name, input: {} } });
    // Anthropic opens every tool input with an empty partial_json before the fragments.
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
    for (const frag of split(call.arguments, content.size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: frag } });
    }
    send('content_block_stop', { index: index++ });
  }
  const stop = ANTHROPIC_STOP[content.finish] ?? content.finish;
  send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: content.usage.completion_tokens } });
  send('message_stop', {});
}

/** Anthropic non-streaming: one `message` object. */
function anthropicMessage(body: any, reply: Content): unknown {
  const { text, calls, usage, finish } = parts(reply);
  return {
    id: `msg_01${randomBase62(22)}`, type: 'message', role: 'assistant', model: body?.model,
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...calls.map((c) => ({ type: 'tool_use', id: c.id || `toolu_01${randomBase62(22)}`, name: c.name, input: JSON.parse(c.arguments || '{}') })),
    ],
    stop_reason: ANTHROPIC_STOP[finish] ?? finish, stop_sequence: null,
    usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens },
  };
}
