import { ChatModelError } from '../../domain/ports';

/**
 * Error mapping shared by the HTTP model adapters (OpenAI-compatible and Anthropic) and the
 * pass-through routes. Every message names the upstream and, for a rejected key, the setting to fix:
 * a run's `last_error.message` is often the only thing an operator sees.
 */
export interface UpstreamIdentity {
  /** e.g. `the OpenAI-compatible upstream https://api.openai.com/v1`. */
  label: string;
  /** The setting that holds the key (`UPSTREAM_OPENAI_API_KEY`, `ANTHROPIC_API_KEY`). */
  keySetting?: string;
  /** The setting that holds the URL (`UPSTREAM_OPENAI_BASE_URL`). */
  urlSetting?: string;
}

const UNNAMED: UpstreamIdentity = { label: 'the model upstream' };

/**
 * Sent on every request to an upstream; a request carrying it is refused by this server
 * (src/http/upstream-loop.ts). Without it, an upstream URL pointing at the server itself (the SDK's
 * OPENAI_BASE_URL exported in the shell) would make `/v1/chat/completions` call itself without end.
 */
export const UPSTREAM_HOP_HEADER = 'x-assistants-edge-upstream-call';
/** The code this server answers such a request with (HTTP 508 Loop Detected). */
export const UPSTREAM_LOOP_CODE = 'upstream_loop';

function malformed(message: string): ChatModelError {
  return new ChatModelError('server_error', message, false);
}
export { malformed as malformedUpstream };

/** fetch() with the error mapping: an abort rethrows the signal's reason, anything else is a network error. */
export async function guardedFetch(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  who: UpstreamIdentity = UNNAMED,
): Promise<Response> {
  signal?.throwIfAborted();
  const headers = new Headers(init.headers);
  headers.set(UPSTREAM_HOP_HEADER, '1');
  try {
    return await fetchImpl(url, { ...init, headers });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    // Our own errors (the idle timeout while waiting for headers) pass through unchanged.
    if (err instanceof ChatModelError) throw err;
    throw new ChatModelError('server_error', `Could not reach ${who.label}: ${describe(err)}`, true);
  }
}

/** Errors while reading the body: aborts pass through unchanged; our own errors too; the rest are network errors. */
export function streamFailure(err: unknown, signal: AbortSignal | undefined, who: UpstreamIdentity = UNNAMED): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof ChatModelError) return err;
  return new ChatModelError('server_error', `The stream from ${who.label} failed: ${describe(err)}`, true);
}

/** The upstream's own error message: OpenAI `{error:{message}}`, Anthropic `{type:'error', error:{message}}`, proxies `{message}`. */
export async function upstreamMessage(res: Response): Promise<{ message: string; code?: string }> {
  const text = await res.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { error?: { message?: string; code?: unknown } | string; message?: string };
    const m = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    const code = typeof json.error === 'object' && typeof json.error?.code === 'string' ? json.error.code : undefined;
    if (m) return { message: m.slice(0, 500), code };
  } catch {
    // Not JSON (an HTML error page from a proxy): keep the raw text.
  }
  return { message: text.slice(0, 500) };
}

/**
 * Maps a non-2xx response:
 * - 401/403: the upstream rejected our key. Not the client's fault, so `server_error` (OpenAI's runs
 *   use it for failures on OpenAI's side), not retryable, naming the setting that holds the key;
 * - 508 with our loop code: the upstream URL points at this server;
 * - 429 → rate_limit_exceeded (retryable, with the server's retry hint);
 * - 408, 5xx and Anthropic's 529 "overloaded" → server_error (retryable);
 * - other 4xx → invalid_prompt (a retry would fail the same way), with the upstream's own message.
 */
export async function httpError(res: Response, who: UpstreamIdentity = UNNAMED): Promise<ChatModelError> {
  const { message, code } = await upstreamMessage(res);
  const detail = `${capitalize(who.label)} answered HTTP ${res.status}${message ? `: ${message}` : ''}`;
  if (res.status === 401 || res.status === 403) {
    const fix = who.keySetting ? ` Check ${who.keySetting}.` : '';
    return new ChatModelError('server_error', `${capitalize(who.label)} rejected the API key (HTTP ${res.status}${message ? `: ${message}` : ''}).${fix}`, false, res.status);
  }
  if (res.status === 508 && code === UPSTREAM_LOOP_CODE) {
    const setting = who.urlSetting ?? 'the upstream base URL';
    return new ChatModelError('server_error', `${setting} points at an assistants-edge server (possibly this one), not at a model provider: ${message}`, false, res.status);
  }
  if (res.status === 429) {
    return new ChatModelError('rate_limit_exceeded', detail, true, res.status, retryAfterMs(res.headers));
  }
  if (res.status >= 500 || res.status === 408) {
    return new ChatModelError('server_error', detail, true, res.status, retryAfterMs(res.headers));
  }
  return new ChatModelError('invalid_prompt', detail, false, res.status);
}

/**
 * `retry-after-ms` (OpenAI, milliseconds) wins over `retry-after` (RFC 9110 §10.2.3: seconds or an
 * HTTP-date). Absent or unparsable → undefined, and the caller's backoff decides.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number.parseFloat(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
