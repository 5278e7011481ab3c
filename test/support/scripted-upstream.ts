/**
 * A real local HTTP server that speaks the upstream model protocols the adapters call, scripted
 * per request (docs/platform-limits.md §9: upstreams are local scripted servers on the real wire protocol):
 * - OpenAI Chat Completions `POST /v1/chat/completions`, streamed as `chat.completion.chunk` SSE
 *   events exactly as OpenAI sends them, or one `chat.completion` JSON object when `stream` is false
 *   (scripted-upstream-openai.ts);
 * - `GET /v1/models`;
 * - Anthropic Messages `POST /v1/messages` (message_start … message_stop events), at `anthropicUrl`
 *   (scripted-upstream-anthropic.ts);
 * - a control API (`POST /__scripts`, `GET /__requests`) for tests in other processes
 *   (test/support/upstream-control.ts).
 * What a script can ask for (text, tool calls, HTTP errors, malformed, hanging, dripping or stalling
 * streams) and how scripts are queued and matched to requests: scripted-upstream-scripts.ts.
 * This module stays the one importers use: it re-exports the script types and DEFAULT_TEXT.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicError, anthropicMessage, anthropicStream } from './scripted-upstream-anthropic';
import { openaiCompletion, openaiError, openaiStream } from './scripted-upstream-openai';
import { promptChars } from './scripted-upstream-reply';
import type { Reply } from './scripted-upstream-reply';
import { DEFAULT_TEXT, queueScripts, takeScript } from './scripted-upstream-scripts';
import type { Script } from './scripted-upstream-scripts';

export { DEFAULT_TEXT } from './scripted-upstream-scripts';
export type { DripScript, ErrorScript, HangScript, MalformedScript, Script, TextScript, ToolCallScript } from './scripted-upstream-scripts';

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

    const script = takeScript(queue, body) ?? { text: DEFAULT_TEXT };
    if ('status' in script) {
      const fallback = anthropic ? anthropicError(script.status) : openaiError(script.status);
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
      queueScripts(queue, items);
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
