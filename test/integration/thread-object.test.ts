import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ThreadObject } from '../../src/durable/thread-object';
import { newId } from '../../src/domain/ids';
import { userTables } from './support';
import { readRunStart } from '../../src/durable/run-start';
import type { RunStartCache } from '../../src/durable/run-start-cache';
import type { ModelPrefetch } from '../../src/durable/model-prefetch';
import type { Database } from '../../src/db/client';
import type { Env } from '../../src/env';
import { services } from '../../src/services';

const ADMIN = { authorization: 'Bearer sk-admin-integration-test-key', 'content-type': 'application/json' };

async function api(method: string, path: string, body?: unknown) {
  const res = await exports.default.fetch(`http://local/v1${path}`, {
    method,
    headers: ADMIN,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const stubFor = (threadId: string) => env.THREADS.get(env.THREADS.idFromName(threadId));

describe('thread Durable Object', () => {
  it('refuses a message while a run is active, with OpenAI\'s message', async () => {
    const thread = await api('POST', '/threads', {});
    expect(thread.status).toBe(200);
    const runId = newId('run_');
    await runInDurableObject(stubFor(thread.body.id), (_instance: ThreadObject, state) => {
      state.storage.sql.exec('INSERT INTO runs (id, status, created_at, data) VALUES (?, ?, ?, ?)', runId, 'in_progress', 0, '{}');
    });
    const refused = await api('POST', `/threads/${thread.body.id}/messages`, { role: 'user', content: 'hi' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(`Can't add messages to ${thread.body.id} while a run ${runId} is active.`);

    // Once the run is terminal the lock is released.
    await runInDurableObject(stubFor(thread.body.id), (_i: ThreadObject, state) => {
      state.storage.sql.exec("UPDATE runs SET status = 'completed' WHERE id = ?", runId);
    });
    const accepted = await api('POST', `/threads/${thread.body.id}/messages`, { role: 'user', content: 'hi' });
    expect(accepted.status).toBe(200);
  });

  it('serialises concurrent writes: every concurrent message lands, in id order', async () => {
    const thread = await api('POST', '/threads', {});
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api('POST', `/threads/${thread.body.id}/messages`, { role: 'user', content: `m${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const list = await api('GET', `/threads/${thread.body.id}/messages?order=asc&limit=100`);
    expect(list.body.data).toHaveLength(20);
    const ids = list.body.data.map((m: { id: string }) => m.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('deleting a thread removes its messages from D1 and wipes the object\'s storage', async () => {
    const thread = await api('POST', '/threads', { messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] });
    const id = thread.body.id as string;
    await runInDurableObject(stubFor(id), (_i: ThreadObject, state) => {
      state.storage.sql.exec("INSERT INTO runs (id, status, created_at, data) VALUES ('run_x', 'completed', 0, '{}')");
    });
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE thread_id = ?').bind(id).first<{ n: number }>();
    expect(before?.n).toBe(2);

    const deleted = await api('DELETE', `/threads/${id}`);
    expect(deleted.body).toEqual({ id, object: 'thread.deleted', deleted: true });

    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE thread_id = ?').bind(id).first<{ n: number }>();
    expect(after?.n).toBe(0);
    // deleteAll() took the tables too, and nothing re-created them.
    const tables = await runInDurableObject(stubFor(id), (_i: ThreadObject, state) => userTables(state.storage.sql));
    expect(tables).toEqual([]);
    expect((await api('GET', `/threads/${id}`)).status).toBe(404);
    // A write racing the delete finds no thread: nothing is re-created.
    expect((await api('POST', `/threads/${id}/messages`, { role: 'user', content: 'late' })).status).toBe(404);
  });

  it('creates a thread and its initial messages atomically (a bad message writes nothing)', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM threads').first<{ n: number }>();
    const bad = await api('POST', '/threads', { messages: [{ role: 'user', content: 'ok' }, { role: 'system', content: 'no' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('messages[1].role');
    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM threads').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  // The object's guess of a run's inputs (run-start-cache.ts) feeds a request sent before D1 answers:
  // a deleted message must leave it, so that not even an aborted request carries it.
  describe('what the next run may send ahead', () => {
    const guessed = (id: string) =>
      runInDurableObject(stubFor(id), (instance: ThreadObject) => {
        const history = (instance as unknown as { startCache: { history: { id: string }[] | null } }).startCache.history;
        return history?.map((m) => m.id) ?? null;
      });
    const messageIds = async (id: string) => (await api('GET', `/threads/${id}/messages?order=asc`)).body.data.map((m: { id: string }) => m.id) as string[];

    it('follows created messages, and forgets everything when a message is deleted through the threads API', async () => {
      const thread = await api('POST', '/threads', { messages: [{ role: 'user', content: 'keep' }, { role: 'user', content: 'forget' }] });
      const id = thread.body.id as string;
      const [keep, forget] = await messageIds(id);
      expect(await guessed(id)).toEqual([keep, forget]);
      const added = await api('POST', `/threads/${id}/messages`, { role: 'user', content: 'more' });
      expect(await guessed(id)).toEqual([keep, forget, added.body.id]);
      expect((await api('DELETE', `/threads/${id}/messages/${forget}`)).body).toMatchObject({ id: forget, deleted: true });
      expect(await guessed(id)).toBeNull();
      // An unknown message is still a 404, and the thread's messages are as D1 holds them.
      expect((await api('DELETE', `/threads/${id}/messages/${forget}`)).status).toBe(404);
      expect(await messageIds(id)).toEqual([keep, added.body.id]);
    });

    it('forgets everything when the Conversations API deletes or adds an item', async () => {
      const deleting = await api('POST', '/threads', { messages: [{ role: 'user', content: 'keep' }, { role: 'user', content: 'forget' }] });
      const [, forget] = await messageIds(deleting.body.id);
      expect(await guessed(deleting.body.id)).toHaveLength(2);
      expect((await api('DELETE', `/conversations/${deleting.body.id}/items/${forget}`)).status).toBe(200);
      expect(await guessed(deleting.body.id)).toBeNull();

      const adding = await api('POST', '/threads', { messages: [{ role: 'user', content: 'first' }] });
      expect(await guessed(adding.body.id)).toHaveLength(1);
      expect((await api('POST', `/conversations/${adding.body.id}/items`, { items: [{ role: 'user', content: 'second' }] })).status).toBe(200);
      expect(await guessed(adding.body.id)).toBeNull();
    });

    it('RUN_PREFETCH=off sends nothing ahead, even with a guess at hand', async () => {
      const assistant = await api('POST', '/assistants', { model: 'gpt-4o-mini', instructions: 'Be brief.' });
      const thread = await api('POST', '/threads', { messages: [{ role: 'user', content: 'hello' }] });
      const id = thread.body.id as string;
      const owner = await env.DB.prepare('SELECT project_id FROM threads WHERE id = ?').bind(id).first<{ project_id: string }>();
      const sent = await runInDurableObject(stubFor(id), async (instance: ThreadObject) => {
        type Inner = { db: Database; env: Env; startCache: RunStartCache; prefetch(p: string, t: string, a: string, params: { assistant_id: string }): Promise<ModelPrefetch | null> };
        const inner = instance as unknown as Inner;
        const projectId = owner!.project_id;
        const start = await readRunStart(inner.db, services(inner.env).models, projectId, id, assistant.body.id, undefined);
        if (!start.ok) throw new Error(start.error.message);
        inner.startCache.remember(projectId, start.value.assistant, start.value.history ?? []);
        const ahead = async () => {
          const prefetch = await inner.prefetch(projectId, id, assistant.body.id, { assistant_id: assistant.body.id });
          prefetch?.discard();
          return prefetch !== null;
        };
        const on = await ahead();
        const original = inner.env;
        Object.defineProperty(instance, 'env', { value: { ...original, RUN_PREFETCH: 'off' }, configurable: true, writable: true });
        try {
          return { on, off: await ahead() };
        } finally {
          Object.defineProperty(instance, 'env', { value: original, configurable: true, writable: true });
        }
      });
      expect(sent).toEqual({ on: true, off: false });
    });
  });
});
