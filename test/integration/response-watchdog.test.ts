import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, eventually, marker, pushScripts, upstreamRequests } from './support';

const responseStub = (id: string) => env.RESPONSES.get(env.RESPONSES.idFromName(id));

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
});
