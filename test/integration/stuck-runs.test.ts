import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids';
import type { Run } from '../../src/domain/runs/types';
import type { ThreadObject } from '../../src/durable/thread-object';
import { api, eventually, marker, newAssistantAndThread, pushScripts, threadStub, upstreamRequests, userTables } from './support';

const getRun = (threadId: string, runId: string) => api('GET', `/threads/${threadId}/runs/${runId}`);

/** Ten minutes pass for this run: its deadline is moved instead of the clock. */
async function pastExpiry(threadId: string, runId: string): Promise<void> {
  await runInDurableObject(threadStub(threadId), (_o: ThreadObject, state) => {
    const row = state.storage.sql.exec<{ data: string }>('SELECT data FROM runs WHERE id = ?', runId).one();
    const run = JSON.parse(row.data) as Run;
    state.storage.sql.exec('UPDATE runs SET data = ? WHERE id = ?', JSON.stringify({ ...run, expires_at: run.expires_at! - 601 }), run.id);
  });
}

describe('runs past expires_at (watchdog alarm)', { timeout: 60_000 }, () => {
  it('expires an in_progress run whose executor is alive but stalled mid-answer; its message ends incomplete and the thread unlocks', async () => {
    const m = marker('stalled');
    const { assistantId, threadId } = await newAssistantAndThread(`hello ${m}`);
    // The upstream sends one chunk and then nothing (the idle timeout here is the default 90 s).
    await pushScripts(m, { text: 'Partial answer forever', chunkSize: 8, stallAfterChunks: 1 });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    const messages = () => api('GET', `/threads/${threadId}/messages?run_id=${created.body.id}`);
    await eventually(messages, (r) => r.body.data.length === 1);
    expect((await getRun(threadId, created.body.id)).body.status).toBe('in_progress');

    await pastExpiry(threadId, created.body.id);
    expect(await runDurableObjectAlarm(threadStub(threadId))).toBe(true);
    const run = await getRun(threadId, created.body.id);
    expect(run.body).toMatchObject({ status: 'expired', expires_at: null, required_action: null });
    // Unlocked at once.
    expect((await api('POST', `/threads/${threadId}/messages`, { role: 'user', content: 'next' })).status).toBe(200);
    // The aborted executor ends what it had open.
    const msg = await eventually(messages, (r) => r.body.data[0]?.status !== 'in_progress');
    expect(msg.body.data[0]).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_expired' } });
    expect(msg.body.data[0].content[0].text.value).toBe('Partial ');
    const steps = await eventually(
      () => api('GET', `/threads/${threadId}/runs/${created.body.id}/steps`),
      (r) => r.body.data[0]?.status !== 'in_progress',
    );
    expect(steps.body.data.map((s: { status: string }) => s.status)).toEqual(['expired']);
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('expires an in_progress run whose executor died instead of resuming it into the same hang', async () => {
    const m = marker('dead');
    const { assistantId, threadId } = await newAssistantAndThread(`hello ${m}`);
    await pushScripts(m, { text: 'Half a sentence', chunkSize: 5, stallAfterChunks: 1 }, { text: 'Must not be asked.' });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    const messages = () => api('GET', `/threads/${threadId}/messages?run_id=${created.body.id}`);
    await eventually(messages, (r) => r.body.data.length === 1);
    await abortAllDurableObjects();

    await pastExpiry(threadId, created.body.id);
    expect(await runDurableObjectAlarm(threadStub(threadId))).toBe(true);
    expect((await getRun(threadId, created.body.id)).body).toMatchObject({ status: 'expired' });
    expect(await upstreamRequests(m)).toHaveLength(1);
    // The dead executor's open message and step end with the run.
    expect((await messages()).body.data[0]).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_expired' } });
    const steps = await api('GET', `/threads/${threadId}/runs/${created.body.id}/steps`);
    expect(steps.body.data.map((s: { status: string }) => s.status)).toEqual(['expired']);
  });
});

describe('no message in progress under a finished run', { timeout: 60_000 }, () => {
  it('a run that keeps losing its executor mid-answer fails, and the last partial message ends incomplete', async () => {
    const m = marker('evicted-answers');
    const { assistantId, threadId } = await newAssistantAndThread(`hello ${m}`);
    const stall = { text: 'Partial answer', chunkSize: 4, stallAfterChunks: 1 };
    await pushScripts(m, stall, stall, stall, stall);
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    const messages = () => api('GET', `/threads/${threadId}/messages?run_id=${created.body.id}`);
    let previous: string | undefined;
    for (let i = 1; i <= 4; i++) {
      await eventually(() => upstreamRequests(m), (r) => r.length === i);
      // Each resume discards the dead executor's partial message and writes a new one.
      const seen = await eventually(messages, (r) => r.body.data.length === 1 && r.body.data[0].id !== previous);
      previous = seen.body.data[0].id;
      await abortAllDurableObjects();
      await runDurableObjectAlarm(threadStub(threadId));
    }
    const run = await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'failed');
    expect(run.body).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message: 'The run was interrupted too many times and could not be resumed.' } });
    const left = await messages();
    expect(left.body.data).toHaveLength(1);
    expect(left.body.data[0]).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_failed' } });
    const steps = await api('GET', `/threads/${threadId}/runs/${created.body.id}/steps`);
    expect(steps.body.data.map((s: { status: string }) => s.status)).toEqual(['failed']);
  });
});

describe('unknown thread ids', () => {
  it('20 requests naming unknown threads answer 404 and create no Durable Object storage', async () => {
    const ids = Array.from({ length: 20 }, () => newId('thread_'));
    const storage = async (id: string) =>
      runInDurableObject(threadStub(id), (_o: ThreadObject, state) => ({ tables: userTables(state.storage.sql), bytes: state.storage.sql.databaseSize }));
    const before = await Promise.all(ids.map(storage));
    const requests: [string, string, unknown?][] = [
      ['GET', '/runs'],
      ['GET', '/runs/run_abc'],
      ['POST', '/runs', { assistant_id: 'asst_abc' }],
      ['POST', '/messages', { role: 'user', content: 'hi' }],
      ['POST', '/runs/run_abc/cancel'],
      ['GET', '/runs/run_abc/steps'],
      ['POST', '/runs/run_abc/submit_tool_outputs', { tool_outputs: [{ tool_call_id: 'call_x', output: 'x' }] }],
      ['DELETE', ''],
      ['POST', '/runs/run_abc', { metadata: {} }],
      ['GET', '/runs/run_abc/steps/step_abc'],
    ];
    const statuses = await Promise.all(ids.map((id, i) => {
      const [method, path, body] = requests[i % requests.length]!;
      return api(method, `/threads/${id}${path}`, body).then((r) => r.status);
    }));
    expect(statuses.every((s) => s === 404)).toBe(true);
    const after = await Promise.all(ids.map(storage));
    expect(after.map((s) => s.tables)).toEqual(ids.map(() => []));
    const total = (xs: { bytes: number }[]) => xs.reduce((n, x) => n + x.bytes, 0);
    console.log(`storage of 20 unknown thread objects: ${total(before)} bytes before, ${total(after)} bytes after`);
    expect(total(after)).toBe(total(before));
  });
});
