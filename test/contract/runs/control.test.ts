// Run control with both SDK majors: cancel (in flight, streaming with a partial message, at
// requires_action, after the end), the thread lock's exact 400s (docs/openai-behaviour.md §4,
// docs/architecture.md §1, docs/run-lifecycle.md), and ten simultaneous run creations on one thread.
import { describe, expect, it } from 'vitest';
import type { FunctionTool } from 'openai/resources/beta/assistants';
import type { Run } from 'openai/resources/beta/threads/runs/runs';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError, MAJORS, runsApi, until } from './majors.js';
import { marker, runFixture } from './run-support.js';

const WEATHER: FunctionTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
const activeRun = (threadId: string, runId: string) => `Thread ${threadId} already has an active run ${runId}.`;
const noMessages = (threadId: string, runId: string) => `Can't add messages to ${threadId} while a run ${runId} is active.`;

/**
 * The upstream sees its connection closed: cancelling a run aborts the executor's model request, and
 * workerd closes the outbound socket (the worker runs as `npm run dev` runs it; wrangler's test harness,
 * used until 2026-12-02, forwarded outbound fetches without their signal and the upstream never saw it).
 * Waits up to 5 s for the close to arrive.
 */
async function expectUpstreamAborted(m: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const [req] = await upstreamRequests(m);
    if (req?.aborted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await upstreamRequests(m))[0]?.aborted).toBe(true);
}

describe.each(MAJORS)('run control (SDK %s)', (major) => {
  async function setup(label: string, assistant: Record<string, unknown> = {}) {
    const fx = await runFixture(`control-${label}-${major}`, assistant);
    const api = runsApi(fx, major);
    const m = marker(`${label}-${major}`);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `hello ${m}` }] });
    return { ...fx, api, m, thread };
  }
  /** A run whose upstream call hangs, returned once the worker's upstream request has arrived. */
  async function hangingRun(api: ReturnType<typeof runsApi>, threadId: string, assistantId: string, m: string): Promise<Run> {
    await pushScripts(m, { hang: true });
    const run = await api.create(threadId, { assistant_id: assistantId });
    expect(run.status).toBe('queued');
    await until(() => upstreamRequests(m), (r) => r.length === 1, 'the upstream request');
    return run;
  }

  it('cancel a run whose upstream hangs: the reply says cancelling, the run ends cancelled, the lock is released', async () => {
    const { api, assistant, m, thread } = await setup('hang');
    const run = await hangingRun(api, thread.id, assistant.id, m);
    expect((await api.retrieve(thread.id, run.id)).status).toBe('in_progress');
    const cancelling = await api.cancel(thread.id, run.id);
    expect(cancelling).toMatchObject({ id: run.id, object: 'thread.run', status: 'cancelling' });
    const ended = await api.poll(thread.id, run.id);
    expect(ended).toMatchObject({ status: 'cancelled', expires_at: null, completed_at: null, failed_at: null, required_action: null });
    expect(ended.cancelled_at).toEqual(expect.any(Number));
    expect(await api.retrieve(thread.id, run.id)).toEqual(ended);
    await expectUpstreamAborted(m);
    for (const msg of (await api.listMessages(thread.id, { run_id: run.id })).data) {
      expect(msg).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_cancelled' } });
    }
    // The lock is released: a message and a new run are accepted.
    await api.createMessage(thread.id, { role: 'user', content: 'after the cancel' });
    await pushScripts(m, { text: 'Back again.' });
    expect((await api.createAndPoll(thread.id, { assistant_id: assistant.id })).status).toBe('completed');
    await expectApiError(api.cancel(thread.id, run.id), 400, "Cannot cancel run with status 'cancelled'.");
  });

  it('cancel while streaming: the partial message ends incomplete (run_cancelled), its step cancelled, the stream ends cancelled', async () => {
    const { api, assistant, m, thread } = await setup('partial');
    const text = 'An answer cut off by the cancel in the middle.';
    await pushScripts(m, { text, chunkSize: 4, chunkDelayMs: 150 });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events: { event: string; data: any }[] = [];
    stream.on('event', (e) => events.push(structuredClone(e)));
    let cancel: Promise<Run> | undefined;
    stream.on('textDelta', () => {
      cancel ??= api.cancel(thread.id, events[0]!.data.id);
    });
    const final = await stream.finalRun();
    expect((await cancel)!.status).toBe('cancelling');
    expect(final.status).toBe('cancelled');
    const names = events.map((e) => e.event);
    expect(names.at(-1)).toBe('thread.run.cancelled');
    expect(names).toContain('thread.run.cancelling');
    expect(names).not.toContain('thread.message.completed');
    expect(names.indexOf('thread.message.incomplete')).toBeGreaterThan(names.indexOf('thread.message.delta'));
    expect(names.indexOf('thread.message.incomplete')).toBeLessThan(names.indexOf('thread.run.cancelled'));

    const [msg] = (await api.listMessages(thread.id, { run_id: final.id })).data;
    expect(msg).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_cancelled' }, completed_at: null });
    expect(msg!.incomplete_at).toEqual(expect.any(Number));
    const partial = (msg!.content[0] as { text: { value: string } }).text.value;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(text.length);
    expect(text.startsWith(partial)).toBe(true);
    expect(events.find((e) => e.event === 'thread.message.incomplete')!.data).toEqual(msg);
    const [step] = (await api.listSteps(thread.id, final.id)).data;
    expect(step).toMatchObject({ type: 'message_creation', status: 'cancelled', completed_at: null });
    expect(step!.cancelled_at).toEqual(expect.any(Number));
    // The executor stopped consuming: once the upstream would have sent everything, the message is still the partial one.
    await new Promise((r) => setTimeout(r, 150 * Math.ceil(text.length / 4)));
    expect((await api.retrieveMessage(thread.id, msg!.id)).content).toEqual(msg!.content);
    await expectUpstreamAborted(m);
    await expectNoStreamErrors();
  });

  it('cancel at requires_action: run cancelled, tool step cancelled, outputs refused afterwards', async () => {
    const { api, assistant, m, thread } = await setup('ra', { tools: [WEATHER] });
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: '{}' }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('requires_action');
    // requires_action keeps the thread locked.
    await expectApiError(api.createMessage(thread.id, { role: 'user', content: 'x' }), 400, noMessages(thread.id, run.id));
    expect((await api.cancel(thread.id, run.id)).status).toBe('cancelling');
    const ended = await api.poll(thread.id, run.id);
    expect(ended).toMatchObject({ status: 'cancelled', required_action: null, expires_at: null });
    const [step] = (await api.listSteps(thread.id, run.id)).data;
    expect(step).toMatchObject({ type: 'tool_calls', status: 'cancelled' });
    expect(step!.cancelled_at).toEqual(expect.any(Number));
    const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id;
    await expectApiError(api.submit(thread.id, run.id, { tool_outputs: [{ tool_call_id: callId, output: 'late' }] }), 400,
      'Runs in status "cancelled" do not accept tool outputs.');
    await api.createMessage(thread.id, { role: 'user', content: 'unlocked' });
  });

  it('cancel right after create (the executor has barely started): cancelling, then cancelled, no reply message', async () => {
    const { api, assistant, m, thread } = await setup('immediate');
    await pushScripts(m, { text: 'Too slow to be seen.', delayMs: 300 });
    const run = await api.create(thread.id, { assistant_id: assistant.id });
    expect((await api.cancel(thread.id, run.id)).status).toBe('cancelling');
    const ended = await api.poll(thread.id, run.id);
    expect(ended).toMatchObject({ status: 'cancelled', expires_at: null });
    for (const msg of (await api.listMessages(thread.id, { run_id: run.id })).data) expect(msg.status).toBe('incomplete');
    await api.createMessage(thread.id, { role: 'user', content: 'unlocked' });
  });

  it("cancel a completed run: 400 Cannot cancel run with status 'completed'.", async () => {
    const { api, assistant, m, thread } = await setup('done');
    await pushScripts(m, { text: 'Finished.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    await expectApiError(api.cancel(thread.id, run.id), 400, "Cannot cancel run with status 'completed'.");
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);
  });

  it('the lock: while a run is active, runs.create and messages.create are refused with OpenAI\'s exact 400s', async () => {
    const { api, assistant, m, thread } = await setup('lock');
    const run = await hangingRun(api, thread.id, assistant.id, m);
    await expectApiError(api.create(thread.id, { assistant_id: assistant.id }), 400, activeRun(thread.id, run.id));
    await expectApiError(api.createAndPoll(thread.id, { assistant_id: assistant.id }), 400, activeRun(thread.id, run.id));
    await expectApiError(api.createMessage(thread.id, { role: 'user', content: 'not now' }), 400, noMessages(thread.id, run.id));
    // Reads still work; nothing was added.
    expect((await api.listMessages(thread.id)).data).toHaveLength(1);
    expect((await api.list(thread.id)).data.map((r) => r.id)).toEqual([run.id]);
    await api.cancel(thread.id, run.id);
    expect((await api.poll(thread.id, run.id)).status).toBe('cancelled');
    const added = await api.createMessage(thread.id, { role: 'user', content: `now ${m}` });
    expect(added.thread_id).toBe(thread.id);
  });

  it('ten simultaneous runs.create on one thread: exactly one succeeds, nine get the active-run 400', async () => {
    const { api, assistant, m, thread } = await setup('race');
    await pushScripts(m, { hang: true });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => api.create(thread.id, { assistant_id: assistant.id })));
    const won = results.filter((r): r is PromiseFulfilledResult<Run> => r.status === 'fulfilled').map((r) => r.value);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { status?: number; error?: { message?: string } });
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const e of lost) {
      expect(e.status).toBe(400);
      expect(e.error?.message).toBe(activeRun(thread.id, won[0]!.id));
    }
    expect((await api.list(thread.id)).data.map((r) => r.id)).toEqual([won[0]!.id]);
    await until(() => upstreamRequests(m), (r) => r.length === 1, 'the upstream request');
    await api.cancel(thread.id, won[0]!.id);
    expect((await api.poll(thread.id, won[0]!.id)).status).toBe('cancelled');
    expect(await upstreamRequests(m)).toHaveLength(1);
    await pushScripts(m, { text: 'Lock released.' });
    expect((await api.createAndPoll(thread.id, { assistant_id: assistant.id })).status).toBe('completed');
  });

  it('runs on five threads at once all complete, each with its own reply', async () => {
    const fx = await runFixture(`control-parallel-${major}`);
    const api = runsApi(fx, major);
    const ms = Array.from({ length: 5 }, (_, i) => marker(`par${i}-${major}`));
    await Promise.all(ms.map((m, i) => pushScripts(m, { text: `Reply ${i}.`, chunkSize: 3, chunkDelayMs: 20 })));
    const runs = await Promise.all(ms.map(async (m) => {
      const t = await api.createThread({ messages: [{ role: 'user', content: `go ${m}` }] });
      return api.createAndPoll(t.id, { assistant_id: fx.assistant.id });
    }));
    expect(runs.map((r) => r.status)).toEqual(Array(5).fill('completed'));
    const replies = await Promise.all(runs.map(async (r) => (await api.listMessages(r.thread_id, { run_id: r.id })).data.map((x) => x.content)));
    expect(replies).toEqual(ms.map((_, i) => [[{ type: 'text', text: { value: `Reply ${i}.`, annotations: [] } }]]));
  });
});
