import { env, exports } from 'cloudflare:workers';

// The scripted upstream's control API works the same from workerd as from Node.
export { pushScripts, upstreamRequests } from '../support/upstream-control';

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

/** The tables a thread object created (workerd's own `_cf_*` and SQLite's `sqlite_*` left out). */
export function userTables(sql: SqlStorage): string[] {
  return sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .toArray()
    .map((r) => r.name)
    .filter((name) => !name.startsWith('_cf_') && !name.startsWith('sqlite_'));
}
