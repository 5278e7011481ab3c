import { CodeExecutorUnavailableError, type CodeExecutionResult, type CodeExecutor } from '../../domain/ports';
import { base64ToBytes, CodeFileNotFoundError, normalizeSandboxPath } from './common';

/**
 * The CodeExecutor of dev and tests: the local code executor service
 * (scripts/code-executor/server.mjs, started by `npm run dev` and the contract tests' global setup)
 * over its HTTP API:
 *   POST   /sessions/:id/execute {code, timeout_ms} → {status, logs, images: [base64 PNG], files}
 *   PUT    /sessions/:id/files/<path>  (raw body)
 *   GET    /sessions/:id/files/<path>
 *   DELETE /sessions/:id
 * The service cannot be reached, answers 5xx or rejects the token → CodeExecutorUnavailableError
 * (the run fails with a clear `last_error`); `signal` aborts the request (and the service then stops
 * that execution).
 */
export interface LocalCodeExecutorOptions {
  /** e.g. `http://127.0.0.1:8790` (CODE_EXECUTOR_URL). */
  baseUrl: string;
  /** CODE_EXECUTOR_TOKEN, sent as `Authorization: Bearer`. */
  token?: string;
  /** Added to an execution's own limit before the request itself is abandoned (interpreter start-up). */
  graceMs?: number;
  fetch?: typeof fetch;
}

interface WireResult {
  status?: unknown;
  logs?: unknown;
  images?: unknown;
  files?: unknown;
}

export class LocalCodeExecutor implements CodeExecutor {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly graceMs: number;

  constructor(private readonly options: LocalCodeExecutorOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bind: calling an unbound global `fetch` as a method throws "Illegal invocation" in Workers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.graceMs = options.graceMs ?? 60_000;
  }

  async execute(sessionId: string, code: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<CodeExecutionResult> {
    const res = await this.request(
      'POST',
      `/sessions/${encodeURIComponent(sessionId)}/execute`,
      { body: JSON.stringify({ code, timeout_ms: options.timeoutMs }), contentType: 'application/json' },
      options.signal,
      options.timeoutMs + this.graceMs,
    );
    let body: WireResult;
    try {
      body = (await res.json()) as WireResult;
    } catch (err) {
      throw new CodeExecutorUnavailableError(`The code executor at ${this.baseUrl} sent an unreadable answer: ${describe(err)}`);
    }
    const status = body.status === 'error' || body.status === 'timeout' ? body.status : 'ok';
    return {
      status,
      logs: typeof body.logs === 'string' ? body.logs : '',
      images: Array.isArray(body.images) ? body.images.filter((i): i is string => typeof i === 'string').map(base64ToBytes) : [],
      files: Array.isArray(body.files)
        ? body.files
            .filter((f): f is { path: string; bytes: number } => typeof f?.path === 'string' && typeof f?.bytes === 'number')
            .map((f) => ({ path: f.path, bytes: f.bytes }))
        : [],
    };
  }

  async writeFile(sessionId: string, path: string, bytes: Uint8Array): Promise<void> {
    const res = await this.request('PUT', this.filePath(sessionId, path), { body: bytes, contentType: 'application/octet-stream' });
    await res.body?.cancel();
  }

  async readFile(sessionId: string, path: string): Promise<Uint8Array> {
    const res = await this.request('GET', this.filePath(sessionId, path));
    return new Uint8Array(await res.arrayBuffer());
  }

  async endSession(sessionId: string): Promise<void> {
    const res = await this.request('DELETE', `/sessions/${encodeURIComponent(sessionId)}`);
    await res.body?.cancel();
  }

  private filePath(sessionId: string, path: string): string {
    const rel = normalizeSandboxPath(path);
    return `/sessions/${encodeURIComponent(sessionId)}/files/${rel.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** One request; returns a 2xx response or throws (4xx: Error, unreachable/5xx/401: unavailable). */
  private async request(
    method: string,
    path: string,
    init: { body?: BodyInit; contentType?: string } = {},
    signal?: AbortSignal,
    limitMs = this.graceMs,
  ): Promise<Response> {
    signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    if (init.contentType) headers['content-type'] = init.contentType;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const deadline = AbortSignal.timeout(limitMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, body: init.body, signal: combined });
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (deadline.aborted) {
        throw new CodeExecutorUnavailableError(`The code executor at ${this.baseUrl} did not answer within ${Math.round(limitMs / 1000)} s`);
      }
      throw new CodeExecutorUnavailableError(`The code executor at ${this.baseUrl} cannot be reached: ${describe(err)}`);
    }
    if (res.ok) return res;
    const message = await errorMessage(res);
    if (res.status >= 500) {
      throw new CodeExecutorUnavailableError(`The code executor at ${this.baseUrl} failed (${res.status}): ${message}`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new CodeExecutorUnavailableError(`The code executor at ${this.baseUrl} rejected the request (${res.status}): check CODE_EXECUTOR_TOKEN`);
    }
    if (res.status === 404 && method === 'GET') throw new CodeFileNotFoundError(`No such file in the sandbox: ${path.replace(/^.*?\/files\//, '/mnt/data/')}`);
    throw new Error(`The code executor refused ${method} ${path} (${res.status}): ${message}`);
  }
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON
  }
  // A plain-text body may be a stack trace with host paths: its first line says enough for last_error.
  return text.split('\n', 1)[0]!.trim().slice(0, 200) || res.statusText;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
