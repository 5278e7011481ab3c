// The console's only way to the server: the public API under /v1 on this origin, with the signed-in
// key. Errors keep OpenAI's message; a 401 signs the user out (main.tsx listens for it).
import { clearSession, loadSession } from './session';

export const API = new URL('v1/', new URL('.', location.href)).pathname;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface List<T> {
  object: 'list';
  data: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more: boolean;
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** Headers for an API call as the signed-in key (and project, for the admin key). */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const s = loadSession();
  const h: Record<string, string> = { 'OpenAI-Beta': 'assistants=v2', ...extra };
  if (s) h.authorization = `Bearer ${s.key}`;
  if (s?.project) h['OpenAI-Project'] = s.project;
  return h;
}

/** Raises OpenAI's error message from a failed response; 401 also ends the session. */
export async function failure(res: Response): Promise<ApiError> {
  let body: unknown = null;
  const text = await res.text().catch(() => '');
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const message =
    (body as { error?: { message?: string } } | null)?.error?.message ??
    (typeof body === 'string' && body ? body.slice(0, 300) : `${res.status} ${res.statusText}`);
  if (res.status === 401) {
    clearSession();
    dispatchEvent(new CustomEvent('console:signed-out', { detail: message }));
  }
  return new ApiError(res.status, message, body);
}

export async function raw(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  const res = await fetch(API + path.replace(/^\//, ''), { method, headers: authHeaders(init.headers), body: init.body, signal: init.signal });
  if (!res.ok) throw await failure(res);
  return res;
}

export async function call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const res = await raw(method, withQuery(path, query), {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query) => call<T>('GET', path, undefined, query);
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
export const del = <T>(path: string) => call<T>('DELETE', path);

/** A multipart POST with upload progress (fetch has none for request bodies, XMLHttpRequest does). */
export function postForm<T>(path: string, form: FormData, onProgress?: (sent: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path.replace(/^\//, ''));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
    xhr.onerror = () => reject(new ApiError(0, 'Network error during upload', null));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T);
      else reject(await failure(res));
    };
    xhr.send(form);
  });
}

/** A file's bytes as an object URL (images and downloads need the key, so no plain <a href>). */
export async function fileObjectUrl(fileId: string): Promise<string> {
  const res = await raw('GET', `files/${encodeURIComponent(fileId)}/content`);
  return URL.createObjectURL(await res.blob());
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Objects per list request: `?page_size=N` in the console's address (1..100), else `fallback`. Lets
 * a long list be paged with a handful of objects (the browser tests page the real server this way)
 * without changing what the API is asked for by default.
 */
export function pageSize(fallback: number): number {
  const n = Number(new URLSearchParams(globalThis.location?.search ?? '').get('page_size'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : fallback;
}
