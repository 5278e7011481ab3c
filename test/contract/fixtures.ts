// Shared fixtures for the contract tests of the assistants / threads / messages slice (issue #2).
//
// - `newProject()` creates a project + service-account key through the admin API and returns SDK clients
//   (v7, v6 and v4, all validating every response against the OpenAPI document) bound to that key.
// - `sdkMajors()` wraps both SDK majors behind one call shape, so each test file can `describe.each` over
//   them. The wrappers are where the v4 / v5+ call-signature differences of docs/openai-behaviour.md §6.7 live:
//   v4 `messages.retrieve(threadId, messageId)` vs v6 `messages.retrieve(messageId, {thread_id})`, and v4
//   `del()` vs v6 `delete()`.
// - `expectApiError()` checks an SDK exception the way an app sees it (status, err.error, err.message,
//   err.type/code/param, request id).
import { expect, inject } from 'vitest';
import type OpenAI from 'openai';
import type OpenAIv4 from 'openai-v4';
import type OpenAIv7 from 'openai-v7';
import type { Assistant, AssistantCreateParams, AssistantDeleted, AssistantListParams, AssistantUpdateParams } from 'openai/resources/beta/assistants';
import type { Thread, ThreadCreateParams, ThreadDeleted, ThreadUpdateParams } from 'openai/resources/beta/threads/threads';
import type {
  Message,
  MessageCreateParams,
  MessageDeleted,
  MessageListParams,
  MessageUpdateParams,
} from 'openai/resources/beta/threads/messages';
import { makeClients, makeRawFetch, type RawFetch } from '../support/clients.js';
import { createProjectKey, type ProjectKey } from '../support/tenancy.js';

export const baseURL = (): string => inject('baseURL');
export const adminKey = (): string => inject('adminKey');

let counter = 0;
/** A short unique suffix for names (storage is shared by every test file of the run). */
export const uniq = (label = 'x'): string => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A syntactically valid id that no project owns (prefix + 24 base62 chars, docs/openai-behaviour.md §2.1). */
export function missingId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 24; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `${prefix}${s}`;
}

// ---------------------------------------------------------------------------------------------------
// One call shape over both SDK majors.

/** What both majors' list calls return: awaitable to the first page, async-iterable over every item. */
export type PageLike<T> = PromiseLike<{ data: T[]; has_more: boolean }> & AsyncIterable<T>;

export interface Sdk {
  major: 'v6' | 'v4';
  assistants: {
    create(body: AssistantCreateParams): Promise<Assistant>;
    retrieve(id: string): Promise<Assistant>;
    update(id: string, body: AssistantUpdateParams): Promise<Assistant>;
    list(query?: AssistantListParams): PageLike<Assistant>;
    delete(id: string): Promise<AssistantDeleted>;
  };
  threads: {
    create(body?: ThreadCreateParams): Promise<Thread>;
    retrieve(id: string): Promise<Thread>;
    update(id: string, body: ThreadUpdateParams): Promise<Thread>;
    delete(id: string): Promise<ThreadDeleted>;
  };
  messages: {
    create(threadId: string, body: MessageCreateParams): Promise<Message>;
    retrieve(threadId: string, id: string): Promise<Message>;
    update(threadId: string, id: string, body: Omit<MessageUpdateParams, 'thread_id'>): Promise<Message>;
    list(threadId: string, query?: MessageListParams): PageLike<Message>;
    delete(threadId: string, id: string): Promise<MessageDeleted>;
  };
}

/** v4 and v6 request/response types are structurally the same wire objects; the casts only bridge packages. */
const cast = <T>(v: unknown): T => v as T;

export function v6Sdk(c: OpenAI): Sdk {
  const a = c.beta.assistants;
  const t = c.beta.threads;
  const m = c.beta.threads.messages;
  return {
    major: 'v6',
    assistants: {
      create: (body) => a.create(body),
      retrieve: (id) => a.retrieve(id),
      update: (id, body) => a.update(id, body),
      list: (query) => a.list(query),
      delete: (id) => a.delete(id),
    },
    threads: {
      create: (body) => t.create(body),
      retrieve: (id) => t.retrieve(id),
      update: (id, body) => t.update(id, body),
      delete: (id) => t.delete(id),
    },
    messages: {
      create: (threadId, body) => m.create(threadId, body),
      // v5+: the last path parameter stays positional, the others move into the params object.
      retrieve: (threadId, id) => m.retrieve(id, { thread_id: threadId }),
      update: (threadId, id, body) => m.update(id, { ...body, thread_id: threadId }),
      list: (threadId, query) => m.list(threadId, query),
      delete: (threadId, id) => m.delete(id, { thread_id: threadId }),
    },
  };
}

export function v4Sdk(c: OpenAIv4): Sdk {
  const a = c.beta.assistants;
  const t = c.beta.threads;
  const m = c.beta.threads.messages;
  return {
    major: 'v4',
    assistants: {
      create: (body) => cast(a.create(cast(body))),
      retrieve: (id) => cast(a.retrieve(id)),
      update: (id, body) => cast(a.update(id, cast(body))),
      list: (query) => cast(a.list(cast(query ?? {}))),
      delete: (id) => cast(a.del(id)),
    },
    threads: {
      create: (body) => cast(t.create(cast(body ?? {}))),
      retrieve: (id) => cast(t.retrieve(id)),
      update: (id, body) => cast(t.update(id, cast(body))),
      delete: (id) => cast(t.del(id)),
    },
    messages: {
      create: (threadId, body) => cast(m.create(threadId, cast(body))),
      // v4: every path parameter positional.
      retrieve: (threadId, id) => cast(m.retrieve(threadId, id)),
      update: (threadId, id, body) => cast(m.update(threadId, id, cast(body))),
      list: (threadId, query) => cast(m.list(threadId, cast(query ?? {}))),
      delete: (threadId, id) => cast(m.del(threadId, id)),
    },
  };
}

export interface TestProject extends ProjectKey {
  v7: OpenAIv7;
  v6: OpenAI;
  v4: OpenAIv4;
  raw: RawFetch;
  /** v7 (what `npm i openai` installs today) has v6's call shapes: the v6 wrapper serves it. */
  sdk: Record<'v7' | 'v6' | 'v4', Sdk>;
}

/** A fresh project with its own key and clients: nothing else in the run can see its objects. */
export async function newProject(label: string): Promise<TestProject> {
  const key = await createProjectKey(baseURL(), adminKey(), uniq(label));
  const { v7, v6, v4, rawFetch } = makeClients({ baseURL: baseURL(), apiKey: key.apiKey });
  return { ...key, v7, v6, v4, raw: rawFetch, sdk: { v7: v6Sdk(cast<OpenAI>(v7)), v6: v6Sdk(v6), v4: v4Sdk(v4) } };
}

/** The majors the sdk wrappers serve (suites with their own per-major code keep to v6 and v4: SDK_MAJORS). */
export const MAJORS = ['v7', 'v6', 'v4'] as const;
export const SDK_MAJORS = ['v6', 'v4'] as const;

/** Collect an async iterable (SDK auto-pagination). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Errors as an app sees them.

export interface ExpectedError {
  status: number;
  message?: string | RegExp;
  type?: string;
  code?: string | null;
  param?: string | null | RegExp;
}

interface SdkErrorLike {
  status?: number;
  error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown };
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  requestID?: string | null; // v5+
  request_id?: string | null; // v4
  cause?: unknown;
}

/** The promise must reject with the SDK's APIError carrying OpenAI's envelope (docs/openai-behaviour.md §4). */
export async function expectApiError(promise: PromiseLike<unknown>, exp: ExpectedError): Promise<SdkErrorLike> {
  let err: SdkErrorLike | undefined;
  try {
    await promise;
  } catch (e) {
    err = e as SdkErrorLike;
  }
  expect(err, 'expected the call to be rejected').toBeDefined();
  const e = err!;
  // A ContractViolationError thrown by the validating fetch surfaces as APIConnectionError without a status.
  const detail = `${e.message}${e.cause ? ` (cause: ${String((e.cause as Error).message ?? e.cause)})` : ''}`;
  expect(e.status, detail).toBe(exp.status);
  const body = e.error;
  expect(body, 'err.error (the body.error envelope)').toEqual({
    message: expect.any(String),
    type: expect.any(String),
    param: body?.param === null ? null : expect.any(String),
    code: body?.code === null ? null : expect.any(String),
  });
  if (exp.message instanceof RegExp) expect(body!.message).toMatch(exp.message);
  else if (exp.message !== undefined) expect(body!.message).toBe(exp.message);
  // The SDK builds err.message as "<status> <error.message>".
  expect(e.message).toBe(`${exp.status} ${String(body!.message)}`);
  expect(e.type).toBe(exp.type ?? 'invalid_request_error');
  if (exp.code !== undefined) expect(e.code).toBe(exp.code);
  if (exp.param instanceof RegExp) expect(e.param).toMatch(exp.param);
  else if (exp.param !== undefined) expect(e.param).toBe(exp.param);
  const requestId = e.requestID ?? e.request_id;
  expect(requestId, 'x-request-id -> err.requestID / err.request_id').toEqual(expect.stringMatching(/\S/));
  return e;
}

export const notFoundMessage = (kind: string, id: string): string => `No ${kind} found with id '${id}'.`;

// ---------------------------------------------------------------------------------------------------
// Raw responses.

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A non-2xx raw response: JSON envelope with exactly {message,type,param,code}, JSON media type, request id. */
export async function expectErrorResponse(res: Response, exp: ExpectedError): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, `${res.status} ${text.slice(0, 300)}`).toBe(exp.status);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json\b/);
  expect(res.headers.get('x-request-id') ?? '').toMatch(/\S/);
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.type).toBe(exp.type ?? 'invalid_request_error');
  if (exp.message instanceof RegExp) expect(body.error.message).toMatch(exp.message);
  else if (exp.message !== undefined) expect(body.error.message).toBe(exp.message);
  if (exp.code !== undefined) expect(body.error.code).toBe(exp.code);
  if (exp.param instanceof RegExp) expect(body.error.param ?? '').toMatch(exp.param);
  else if (exp.param !== undefined) expect(body.error.param).toBe(exp.param);
  return body;
}

export const json = (body: unknown, init: RequestInit = {}): RequestInit => ({
  method: 'POST',
  ...init,
  headers: { 'content-type': 'application/json', 'openai-beta': 'assistants=v2', ...(init.headers as Record<string, string> | undefined) },
  body: JSON.stringify(body),
});

/** Admin API call (not in the OpenAI spec; errors are still validated as OpenAI envelopes). */
export async function admin<T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; res: Response }> {
  const res = await makeRawFetch({ baseURL: baseURL(), apiKey: adminKey() })(path, init);
  const body = (await res.clone().json()) as T;
  return { status: res.status, body, res };
}
