import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { database } from '../../src/db/client';
import { insertResponse } from '../../src/db/responses';
import { newId, responseObjectName, unixSeconds } from '../../src/domain/ids';
import { initialResponse } from '../../src/domain/responses/request';
import { ResponseStorage } from '../../src/durable/responses/storage';
import type { ResponseRunner } from '../../src/durable/responses/response-runner';
import { describe, expect, it } from 'vitest';
import { api, eventually, marker, pushScripts, upstreamRequests } from './support';

const responseStub = (id: string) => env.RESPONSES.get(env.RESPONSES.idFromName(responseObjectName(id)));

describe('response watchdog (docs/responses.md "Execution")', { timeout: 60_000 }, () => {
  it('a background response whose object was evicted mid-answer ends failed, in D1 and in its event log', async () => {
    const m = marker('resp-evicted');
    await pushScripts(m, { text: 'Partial answer forever', chunkSize: 8, stallAfterChunks: 1 });
    const created = await api('POST', '/responses', { model: 'gpt-4o-mini', input: `hello ${m}`, background: true });
    expect(created.body.status).toBe('queued');
    const id = created.body.id as string;
    await eventually(() => upstreamRequests(m), (r) => r.length === 1);
    await eventually(() => api('GET', `/responses/${id}`), (r) => r.body.status === 'in_progress');
    await abortAllDurableObjects();

    expect(await runDurableObjectAlarm(responseStub(id))).toBe(true);
    const after = await api('GET', `/responses/${id}`);
    expect(after.body).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    // What was streamed before the eviction is kept (from the event log), its open item ended incomplete.
    expect(after.body.output).toEqual([expect.objectContaining({ type: 'message', status: 'incomplete', content: [expect.objectContaining({ text: 'Partial ' })] })]);
    // Its stream (replayed) ends with response.failed, numbered after what was sent before the eviction.
    const res = await responseStub(id).replay('proj_default', id, -1);
    expect(res.ok).toBe(true);
    const text = await new Response((res as { value: { stream: ReadableStream } }).value.stream).text();
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((x) => x[1]);
    expect(types[0]).toBe('response.created');
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.failed']);
    const seqs = [...text.matchAll(/"sequence_number":(\d+)/g)].map((x) => Number(x[1]));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    // Nothing was asked again: the partial answer is gone with the instance.
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('a queued response whose object was evicted before it began is started by the watchdog', async () => {
    const m = marker('resp-never-started');
    await pushScripts(m, { text: 'Started late.' });
    // The state `start` leaves before its execution begins: recorded (object and D1), no event yet.
    const response = initialResponse({ model: 'gpt-4o-mini', background: true }, { id: newId('resp_'), createdAt: unixSeconds(), status: 'queued' });
    const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: `hello ${m}` }] };
    await insertResponse(database(env.DB), 'proj_default', response, []);
    await runInDurableObject(responseStub(response.id), async (_o: ResponseRunner, state) => {
      new ResponseStorage(state.storage.sql).create({ projectId: 'proj_default', apiKeyId: null, response, request, resumes: 0 }, []);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect((await api('GET', `/responses/${response.id}`)).body.status).toBe('queued');

    expect(await runDurableObjectAlarm(responseStub(response.id))).toBe(true);
    const done = await eventually(() => api('GET', `/responses/${response.id}`), (r) => r.body.status === 'completed');
    expect(done.body.output[0].content[0].text).toBe('Started late.');
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('an evicted response holding a conversation ends failed and its watchdog releases the conversation (nothing added)', async () => {
    const m = marker('resp-conv-evicted');
    await pushScripts(m, { text: 'Partial answer forever', chunkSize: 8, stallAfterChunks: 1 });
    const conv = await api('POST', '/conversations', { items: [{ role: 'user', content: `Context ${m}` }] });
    const convId = conv.body.id as string;
    const created = await api('POST', '/responses', { model: 'gpt-4o-mini', input: 'go on', background: true, conversation: convId });
    expect(created.body).toMatchObject({ status: 'queued', conversation: { id: convId } });
    const id = created.body.id as string;
    await eventually(() => api('GET', `/responses/${id}`), (r) => r.body.status === 'in_progress');
    await abortAllDurableObjects();
    // Still locked: the evicted response has not ended yet.
    const locked = await api('POST', `/conversations/${convId}/items`, { items: [{ role: 'user', content: 'meanwhile' }] });
    expect(locked.body.error?.message).toBe(`Can't add items to ${convId} while a response ${id} is active.`);

    expect(await runDurableObjectAlarm(responseStub(id))).toBe(true);
    expect((await api('GET', `/responses/${id}`)).body.status).toBe('failed');
    const after = await api('POST', `/conversations/${convId}/items`, { items: [{ role: 'user', content: 'after' }] });
    expect(after.status).toBe(200);
    const items = await api('GET', `/conversations/${convId}/items?order=asc`);
    expect(items.body.data.map((i: { content: { text: string }[] }) => i.content[0]!.text)).toEqual([`Context ${m}`, 'after']);
  });
});
