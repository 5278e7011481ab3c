import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ThreadObject } from '../../src/durable/thread-object';
import { newId } from '../../src/domain/ids';
import { userTables } from './support';

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
});
