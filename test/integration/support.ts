import { env, exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { Script } from '../support/scripted-upstream';

export const ADMIN = { authorization: 'Bearer sk-admin-integration-test-key', 'content-type': 'application/json' };

/** Calls the worker's HTTP API in-process, as the admin key (default project). */
export async function api(method: string, path: string, body?: unknown) {
  const res = await exports.default.fetch(`http://local/v1${path}`, {
    method,
    headers: ADMIN,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

export const threadStub = (threadId: string) => env.THREADS.get(env.THREADS.idFromName(threadId));

let n = 0;
export const marker = (label: string) => `[${label}-${Date.now().toString(36)}-${(n++).toString(36)}]`;

export async function pushScripts(match: string, ...scripts: Script[]): Promise<void> {
  const res = await fetch(`${inject('upstreamOrigin')}/__scripts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scripts.map((s) => ({ ...s, match }))),
  });
  if (!res.ok) throw new Error(`scripted upstream refused scripts: ${res.status}`);
}

export async function upstreamRequests(match: string): Promise<{ body: any; aborted: boolean }[]> {
  const res = await fetch(`${inject('upstreamOrigin')}/__requests?match=${encodeURIComponent(match)}`);
  return (await res.json()) as { body: any; aborted: boolean }[];
}

/** Polls until `check` passes (or gives up after `tries`). */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, tries = 200, everyMs = 25): Promise<T> {
  let last = await read();
  for (let i = 0; i < tries && !check(last); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    last = await read();
  }
  return last;
}

export async function newAssistantAndThread(content: string, assistant: Record<string, unknown> = {}) {
  const a = await api('POST', '/assistants', { model: 'gpt-4o-mini', ...assistant });
  const t = await api('POST', '/threads', { messages: [{ role: 'user', content }] });
  return { assistantId: a.body.id as string, threadId: t.body.id as string };
}
