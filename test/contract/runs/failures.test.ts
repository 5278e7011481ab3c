// Upstream failures with both SDK majors: retried 5xx, exhausted 429/5xx, a 400 that is not retried, a
// malformed upstream stream (run `failed` with last_error, docs/openai-behaviour.md §2.5; stream ends thread.run.failed
// then done, §5.4), 404s for unknown ids (§4), GET /v1/models (§2.8), and polling (openai-poll-after-ms, §6.2).
import { describe, expect, it } from 'vitest';
import type { Run } from 'openai/resources/beta/threads/runs/runs';
import { expectNoStreamErrors } from '../../support/clients.js';
import type { Script } from '../../support/scripted-upstream.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collapse, expectApiError, MAJORS, runsApi, TEXT_EVENTS, until } from './majors.js';
import { marker, runFixture } from './run-support.js';

const NOW = { 'retry-after-ms': '0' };
const err = (status: number, n = 1): Script[] => Array.from({ length: n }, () => ({ status, headers: NOW }));
const missing = (prefix: string) => `${prefix}${'Zz9'.repeat(8)}`;

function expectFailed(run: Run, code: string): void {
  expect(run).toMatchObject({ status: 'failed', expires_at: null, completed_at: null, cancelled_at: null, required_action: null });
  expect(run.failed_at).toEqual(expect.any(Number));
  expect(run.last_error).toEqual({ code, message: expect.stringMatching(/\S/) });
}

describe.each(MAJORS)('upstream failures (SDK %s)', (major) => {
  async function setup(label: string) {
    const fx = await runFixture(`fail-${label}-${major}`);
    const api = runsApi(fx, major);
    const m = marker(`${label}-${major}`);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `please ${m}` }] });
    return { ...fx, api, m, thread };
  }

  it('upstream 500 once, then text: retried, the run completes', async () => {
    const { api, assistant, m, thread } = await setup('500-once');
    await pushScripts(m, ...err(500), { text: 'Recovered.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run).toMatchObject({ status: 'completed', last_error: null, failed_at: null });
    expect(await upstreamRequests(m)).toHaveLength(2);
    const msgs = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msgs.map((x) => x.content)).toEqual([[{ type: 'text', text: { value: 'Recovered.', annotations: [] } }]]);
    expect((await api.listSteps(thread.id, run.id)).data.map((s) => s.status)).toEqual(['completed']);
  });

  it('upstream 429 four times: the run fails with rate_limit_exceeded', async () => {
    const { api, assistant, m, thread } = await setup('429');
    await pushScripts(m, ...err(429, 4), { text: 'too late' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectFailed(run, 'rate_limit_exceeded');
    expect(await upstreamRequests(m)).toHaveLength(4);
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);
    // The failed run released the lock.
    await api.createMessage(thread.id, { role: 'user', content: 'again' });
  });

  it('upstream 500 four times: the run fails with server_error', async () => {
    const { api, assistant, m, thread } = await setup('500x4');
    await pushScripts(m, ...err(500, 4), { text: 'too late' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectFailed(run, 'server_error');
    expect(await upstreamRequests(m)).toHaveLength(4);
  });

  it('upstream 400: the run fails with invalid_prompt, no retry', async () => {
    const { api, assistant, m, thread } = await setup('400');
    await pushScripts(m, ...err(400), { text: 'never' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectFailed(run, 'invalid_prompt');
    await new Promise((r) => setTimeout(r, 300)); // a retry, if any, would have been sent by now
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('streamed, with one upstream 500 before the text: the same event order as without a retry', async () => {
    const { api, assistant, m, thread } = await setup('500-stream');
    await pushScripts(m, ...err(500), { text: 'Streamed after a retry.' });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const names: string[] = [];
    stream.on('event', (e) => names.push(e.event));
    const final = await stream.finalRun();
    expect(final.status).toBe('completed');
    expect(collapse(names)).toEqual(['thread.run.created', 'thread.run.queued', 'thread.run.in_progress', ...TEXT_EVENTS, 'thread.run.completed']);
    await expectNoStreamErrors();
  });

  it('streamed, with upstream 429 four times: the stream ends with thread.run.failed (rate_limit_exceeded)', async () => {
    const { api, assistant, m, thread } = await setup('429-stream');
    await pushScripts(m, ...err(429, 4));
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const names: string[] = [];
    stream.on('event', (e) => names.push(e.event));
    const final = await stream.finalRun();
    expectFailed(final, 'rate_limit_exceeded');
    expect(names).toEqual(['thread.run.created', 'thread.run.queued', 'thread.run.in_progress', 'thread.run.failed']);
    await expectNoStreamErrors();
  });

  it('a malformed upstream stream: the run fails with server_error', async () => {
    const { api, assistant, m, thread } = await setup('malformed');
    await pushScripts(m, { malformed: true });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectFailed(run, 'server_error');
    for (const msg of (await api.listMessages(thread.id, { run_id: run.id })).data) expect(msg.status).toBe('incomplete');
  });

  it('a malformed upstream stream while streaming: the stream ends with thread.run.failed, then done', async () => {
    const { api, assistant, m, thread } = await setup('malformed-stream');
    await pushScripts(m, { malformed: true });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const names: string[] = [];
    stream.on('event', (e) => names.push(e.event));
    const final = await stream.finalRun();
    expectFailed(final, 'server_error');
    expect(names.at(-1)).toBe('thread.run.failed');
    expect(names.slice(0, 3)).toEqual(['thread.run.created', 'thread.run.queued', 'thread.run.in_progress']);
    expect(names).not.toContain('error');
    await expectNoStreamErrors(); // includes: the stream ended with event: done / data: [DONE]
  });

  it("unknown ids: 404 No assistant found with id '…'. (runs.create), and the same for threads and runs", async () => {
    const { api, thread, assistant } = await setup('404');
    const asst = missing('asst_');
    await expectApiError(api.create(thread.id, { assistant_id: asst }), 404, `No assistant found with id '${asst}'.`);
    expect((await api.list(thread.id)).data).toHaveLength(0);
    const fx = await setup('404-other-project');
    // Another project's assistant is just as unknown.
    await expectApiError(api.create(thread.id, { assistant_id: fx.assistant.id }), 404, `No assistant found with id '${fx.assistant.id}'.`);
    // Another project's thread is unknown too (tenancy).
    await expectApiError(api.create(fx.thread.id, { assistant_id: assistant.id }), 404, `No thread found with id '${fx.thread.id}'.`);
    const th = missing('thread_');
    await expectApiError(api.create(th, { assistant_id: assistant.id }), 404, `No thread found with id '${th}'.`);
    const run = missing('run_');
    await expectApiError(api.retrieve(thread.id, run), 404, `No run found with id '${run}'.`);
  });

  it("unknown assistant on threads.createAndRun: 404 No assistant found with id '…'.", async () => {
    const { api } = await setup('404-car');
    const asst = missing('asst_');
    await expectApiError(api.createAndRun({ assistant_id: asst, thread: { messages: [{ role: 'user', content: 'x' }] } }), 404,
      `No assistant found with id '${asst}'.`);
  });

  it("GET /v1/models lists the upstream's models as {object:'list', data:[{id, object:'model', created, owned_by}]}", async () => {
    const fx = await runFixture(`models-${major}`);
    const page = major === 'v4' ? await fx.v4.models.list() : await fx[major].models.list();
    const ids = page.data.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4o']));
    for (const model of page.data) {
      expect(model).toEqual({ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: expect.stringMatching(/\S/) });
    }
    const raw = await fx.rawFetch('/models');
    const body = (await raw.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['data', 'object']);
    expect(body.object).toBe('list');
    const one = major === 'v4' ? await fx.v4.models.retrieve('gpt-4o') : await fx[major].models.retrieve('gpt-4o');
    expect(one).toMatchObject({ id: 'gpt-4o', object: 'model' });
  });

  it('GET of an active run carries openai-poll-after-ms; createAndPoll notices completion quickly (measured, printed)', async () => {
    const { api, assistant, m, thread, rawFetch } = await setup('poll');
    await pushScripts(m, { hang: true });
    const run = await api.create(thread.id, { assistant_id: assistant.id });
    await until(() => upstreamRequests(m), (r) => r.length === 1, 'the upstream request');
    const headers = { 'OpenAI-Beta': 'assistants=v2' };
    const plain = await rawFetch(`/threads/${thread.id}/runs/${run.id}`, { headers });
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as Run).status).toBe('in_progress');
    const after = plain.headers.get('openai-poll-after-ms');
    expect(after, 'openai-poll-after-ms on GET of an active run').toMatch(/^\d+$/);
    console.log(`[${major}] openai-poll-after-ms on a plain GET of an active run: ${after}`);
    await api.cancel(thread.id, run.id);
    expect((await api.poll(thread.id, run.id)).status).toBe('cancelled');

    const m2 = marker(`poll-time-${major}`);
    await pushScripts(m2, { text: 'Quick.', delayMs: 300 });
    await api.createMessage(thread.id, { role: 'user', content: `again ${m2}` });
    const t0 = Date.now();
    const done = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    const took = Date.now() - t0;
    const [req] = await upstreamRequests(m2);
    expect(done.status).toBe('completed');
    console.log(`[${major}] createAndPoll with a 300 ms upstream returned after ${took} ms (run created→completed ${done.completed_at! - done.created_at} s; upstream request recorded: ${req !== undefined})`);
  });
});
