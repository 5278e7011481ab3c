// The chain object (docs/responses.md "Chains", docs/storage.md §2): responses made before chains (ids of
// 24 characters, one object each, context in D1 only) still continue, objects of the one-response layout
// move to the chain layout, and the watchdog ends every response of a chain object that was evicted.
import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { database } from '../../src/db/client';
import { insertResponse } from '../../src/db/responses';
import { conversationObjectName, isChainResponseId, newId, responseObjectName } from '../../src/domain/ids';
import type { ResponseObject, StoredItem } from '../../src/domain/responses/types';
import type { ResponseRunner } from '../../src/durable/responses/response-runner';
import { migrateOneResponseLayout } from '../../src/durable/responses/storage-migration';
import { ResponseStorage } from '../../src/durable/responses/storage';
import { api, eventually, marker, pushScripts, threadStub, upstreamRequests } from './support';

const responseStub = (id: string) => env.RESPONSES.get(env.RESPONSES.idFromName(responseObjectName(id)));
const message = (role: 'user' | 'assistant', text: string): StoredItem =>
  ({ type: 'message', id: newId('msg_'), role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text }] }) as unknown as StoredItem;

/** A completed response of the layout before chains, as D1 holds it (its object kept no items). */
async function preChainResponse(said: string, answer: string): Promise<string> {
  const id = newId('resp_');
  const response = { id, object: 'response', created_at: 1, status: 'completed', store: true, previous_response_id: null, output: [message('assistant', answer)] } as unknown as ResponseObject;
  await insertResponse(database(env.DB), 'proj_default', response, [message('user', said)]);
  return id;
}

/** Writes the layout objects had before chains: one response, its request, its events. */
function writeOneResponseLayout(sql: SqlStorage, response: ResponseObject, request: unknown, events: Array<{ type: string; sequence_number: number }>) {
  sql.exec('CREATE TABLE response_state (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, api_key_id TEXT, response TEXT NOT NULL, request TEXT NOT NULL, resumes INTEGER NOT NULL DEFAULT 0)');
  sql.exec('CREATE TABLE response_request (part INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  sql.exec('CREATE TABLE response_events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL)');
  sql.exec('INSERT INTO response_state VALUES (?, ?, NULL, ?, ?, 0)', response.id, 'proj_default', JSON.stringify(response), '');
  sql.exec('INSERT INTO response_request VALUES (0, ?)', JSON.stringify(request));
  for (const e of events) sql.exec('INSERT INTO response_events VALUES (?, ?, ?)', e.sequence_number, e.type, JSON.stringify(e));
}

const sentTexts = async (m: string) => ((await upstreamRequests(m)).at(-1)!.body as { messages: { role: string; content: unknown }[] }).messages.map((x) => `${x.role}: ${String(x.content)}`);

describe('response chain objects', { timeout: 60_000 }, () => {
  it('continues a response made before chains from D1, and the continuation of that from its chain object', async () => {
    const m = marker('pre-chain');
    const old = await preChainResponse(`old question ${m}`, 'old answer');
    expect(isChainResponseId(old)).toBe(false);
    await pushScripts(m, { text: 'Second.' }, { text: 'Third.' });
    const second = await api('POST', '/responses', { model: 'gpt-4o-mini', previous_response_id: old, input: 'second' });
    expect(second.status).toBe(200);
    expect(isChainResponseId(second.body.id)).toBe(true);
    expect(await sentTexts(m)).toEqual([`user: old question ${m}`, 'assistant: old answer', 'user: second']);
    // The chain object holds `second` but not `old`: the context before `old`'s link comes from D1.
    const third = await api('POST', '/responses', { model: 'gpt-4o-mini', previous_response_id: second.body.id, input: 'third' });
    expect(third.body).toMatchObject({ status: 'completed', previous_response_id: second.body.id });
    expect(third.body.id.slice(-20)).toBe(second.body.id.slice(-20));
    expect(await sentTexts(m)).toEqual([`user: old question ${m}`, 'assistant: old answer', 'user: second', 'assistant: Second.', 'user: third']);
  });

  it('moves an object of the one-response layout to the chain layout: state, request, events and conversation keys', async () => {
    const id = newId('resp_');
    const response = { id, object: 'response', status: 'completed', store: true, previous_response_id: null, output: [] } as unknown as ResponseObject;
    const events = [{ type: 'response.created', sequence_number: 0 }, { type: 'response.completed', sequence_number: 1 }];
    await runInDurableObject(responseStub(id), async (_o: ResponseRunner, state) => {
      const { sql } = state.storage;
      writeOneResponseLayout(sql, response, { model: 'gpt-4o-mini', messages: [], include: [] }, events);
      await state.storage.put('conversation_settled', true);

      expect(await migrateOneResponseLayout(state.storage)).toBe(true);
      const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name`).toArray().map((r) => r.name);
      expect(tables).toEqual(['chain_events', 'chain_items', 'chain_request_parts', 'chain_responses']);
      // Moved unsettled with the watchdog armed: the alarm ends it again (below) and settles it.
      expect(sql.exec('SELECT id, project_id, previous_id, stored, settled FROM chain_responses').toArray()).toEqual([{ id, project_id: 'proj_default', previous_id: null, stored: 1, settled: 0 }]);
      expect(await state.storage.getAlarm()).not.toBeNull();
      expect(sql.exec('SELECT seq, type FROM chain_events WHERE response_id = ? ORDER BY seq', id).toArray()).toEqual(events.map((e) => ({ seq: e.sequence_number, type: e.type })));
      expect(await state.storage.get(`conversation_settled:${id}`)).toBe(true);
      expect(await state.storage.get('conversation_settled')).toBeUndefined();
      expect(await migrateOneResponseLayout(state.storage)).toBe(false);
    });
    const replay = await responseStub(id).replay('proj_default', id, 0);
    const text = await new Response((replay as { value: { stream: ReadableStream } }).value.stream).text();
    expect([...text.matchAll(/^event: (.+)$/gm)].map((x) => x[1])).toEqual(['response.completed']);
    expect(await runDurableObjectAlarm(responseStub(id))).toBe(true);
    await runInDurableObject(responseStub(id), async (_o: ResponseRunner, state) => {
      expect(state.storage.sql.exec('SELECT settled FROM chain_responses').toArray()).toEqual([{ settled: 1 }]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it('an old-layout object evicted mid-response and woken by its alarm migrates, then fails the response (not left in progress)', async () => {
    const id = newId('resp_');
    const response = { id, object: 'response', created_at: 1, status: 'in_progress', store: true, background: true, previous_response_id: null, output: [], model: 'gpt-4o-mini' } as unknown as ResponseObject;
    await insertResponse(database(env.DB), 'proj_default', response, [message('user', 'hello')]);
    await runInDurableObject(responseStub(id), async (_o: ResponseRunner, state) => {
      const created = { type: 'response.created', sequence_number: 0, response };
      writeOneResponseLayout(state.storage.sql, response, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], include: [] }, [created]);
      await state.storage.setAlarm(Date.now() + 1_000);
    });
    // A new instance (as after a deploy) is woken by its own alarm, migrates in its constructor (where
    // the running alarm reads as none) and ends the response.
    await abortAllDurableObjects();
    const ended = await eventually(() => api('GET', `/responses/${id}`), (r) => r.body.status !== 'in_progress', 200, 50);
    expect(ended.body).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
  });

  it('a replay opened after an eviction follows the watchdog\'s ending and closes', async () => {
    const m = marker('replay-evicted');
    await pushScripts(m, { text: 'Partial answer forever', chunkSize: 8, stallAfterChunks: 1 });
    const created = await api('POST', '/responses', { model: 'gpt-4o-mini', input: `hello ${m}`, background: true });
    const id = created.body.id as string;
    await eventually(() => upstreamRequests(m), (r) => r.length === 1);
    await abortAllDurableObjects();
    const replay = await responseStub(id).replay('proj_default', id, -1);
    const text = new Response((replay as { value: { stream: ReadableStream } }).value.stream).text();
    expect(await runDurableObjectAlarm(responseStub(id))).toBe(true);
    const events = [...(await text).matchAll(/^event: (.+)$/gm)].map((x) => x[1]);
    expect(events[0]).toBe('response.created');
    expect(events.at(-1)).toBe('response.failed');
  });

  it('ends every response of an evicted chain object: both in-progress continuations fail, the chain stays continuable', async () => {
    const m = marker('chain-evicted');
    await pushScripts(m, { text: 'Root.' });
    const root = await api('POST', '/responses', { model: 'gpt-4o-mini', input: `root ${m}` });
    await pushScripts(m, { text: 'Stalling one', chunkSize: 4, stallAfterChunks: 1 }, { text: 'Stalling two', chunkSize: 4, stallAfterChunks: 1 });
    const a = await api('POST', '/responses', { model: 'gpt-4o-mini', previous_response_id: root.body.id, input: 'a', background: true });
    const b = await api('POST', '/responses', { model: 'gpt-4o-mini', previous_response_id: root.body.id, input: 'b', background: true });
    await eventually(() => upstreamRequests(m), (r) => r.length === 3);
    await abortAllDurableObjects();

    expect(await runDurableObjectAlarm(responseStub(root.body.id))).toBe(true);
    for (const id of [a.body.id, b.body.id]) {
      expect((await api('GET', `/responses/${id}`)).body).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    }
    // Both settled: no alarm is left, and the root still continues.
    expect(await runDurableObjectAlarm(responseStub(root.body.id))).toBe(false);
    await pushScripts(m, { text: 'After.' });
    const after = await api('POST', '/responses', { model: 'gpt-4o-mini', previous_response_id: root.body.id, input: 'after' });
    expect(after.body).toMatchObject({ status: 'completed' });
  });

  it('a conversation created with items is known at once to the object of its turns, as its first turn will read it', async () => {
    const created = await api('POST', '/conversations', { items: [{ type: 'message', role: 'user', content: 'Hi.' }, { type: 'message', role: 'assistant', content: 'Hello.' }] });
    const id = created.body.id as string;
    const real = await threadStub(id).conversationHistory('proj_default', id);
    expect(real.ok).toBe(true);
    await runInDurableObject(env.RESPONSES.get(env.RESPONSES.idFromName(conversationObjectName(id))), async (_o: ResponseRunner, state) => {
      const known = new ResponseStorage(state.storage.sql).cachedHistory('proj_default', id);
      expect(known).toEqual((real as unknown as { value: unknown }).value);
      expect(known).toHaveLength(2);
      // Another project never reads it.
      expect(new ResponseStorage(state.storage.sql).cachedHistory(newId('proj_'), id)).toBeUndefined();
    });
  });

  it('forgets a conversation\'s history when its items, messages or itself are deleted (deleted content is never sent ahead)', async () => {
    const known = (id: string) => runInDurableObject(env.RESPONSES.get(env.RESPONSES.idFromName(conversationObjectName(id))), async (_o: ResponseRunner, state) =>
      new ResponseStorage(state.storage.sql).cachedHistory('proj_default', id));
    const m = marker('forget');
    await pushScripts(m, { text: 'One.' }, { text: 'Two.' }, { text: 'Three.' });
    // An item deleted through the Conversations API.
    const conv = await api('POST', '/conversations', { items: [{ type: 'message', role: 'user', content: `secret ${m}` }] });
    const convId = conv.body.id as string;
    expect(await known(convId)).toHaveLength(1);
    expect((await api('POST', '/responses', { model: 'gpt-4o-mini', conversation: convId, input: 'one' })).status).toBe(200);
    expect(await known(convId)).toHaveLength(3);
    const items = await api('GET', `/conversations/${convId}/items?order=asc`);
    expect((await api('DELETE', `/conversations/${convId}/items/${items.body.data[0].id}`)).status).toBe(200);
    expect(await known(convId)).toBeUndefined();
    // A message deleted through the Assistants API, on a thread continued as a conversation.
    const thread = await api('POST', '/threads', { messages: [{ role: 'user', content: `thread secret ${m}` }] });
    const threadId = thread.body.id as string;
    expect((await api('POST', '/responses', { model: 'gpt-4o-mini', conversation: threadId, input: 'two' })).status).toBe(200);
    expect(await known(threadId)).toHaveLength(3);
    const messages = await api('GET', `/threads/${threadId}/messages?order=asc`);
    expect((await api('DELETE', `/threads/${threadId}/messages/${messages.body.data[0].id}`)).status).toBe(200);
    expect(await known(threadId)).toBeUndefined();
    // The conversation deleted.
    expect((await api('POST', '/responses', { model: 'gpt-4o-mini', conversation: convId, input: 'three' })).status).toBe(200);
    expect(await known(convId)).toBeDefined();
    expect((await api('DELETE', `/conversations/${convId}`)).status).toBe(200);
    expect(await known(convId)).toBeUndefined();
  });
});
