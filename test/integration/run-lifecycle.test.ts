import { abortAllDurableObjects, createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';
import { describe, expect, it } from 'vitest';
import type { ThreadObject } from '../../src/durable/thread-object';
import type { Run } from '../../src/domain/runs/types';
import { api, eventually, marker, newAssistantAndThread, pushScripts, threadStub, upstreamRequests } from './support';

const getRun = (threadId: string, runId: string) => api('GET', `/threads/${threadId}/runs/${runId}`);

describe('run lifecycle inside workerd', { timeout: 60_000 }, () => {
  it('resumes a run whose executor was evicted mid-call, and writes its reply once', async () => {
    const m = marker('evict');
    const { assistantId, threadId } = await newAssistantAndThread(`hello ${m}`);
    await pushScripts(m, { hang: true }, { text: 'Recovered answer.' });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    expect(created.status).toBe(200);
    await eventually(() => upstreamRequests(m), (r) => r.length === 1);
    expect((await getRun(threadId, created.body.id)).body.status).toBe('in_progress');

    // The instance dies mid-call (eviction with a request in flight, crash, deploy): abort it.
    await abortAllDurableObjects();
    // The watchdog alarm finds the run in progress with no executor and resumes it.
    expect(await runDurableObjectAlarm(threadStub(threadId))).toBe(true);
    const run = await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'completed');
    expect(run.body.status).toBe('completed');
    expect(await upstreamRequests(m)).toHaveLength(2);
    const messages = await api('GET', `/threads/${threadId}/messages?run_id=${created.body.id}`);
    expect(messages.body.data).toHaveLength(1);
    expect(messages.body.data[0].content[0].text.value).toBe('Recovered answer.');
    const steps = await api('GET', `/threads/${threadId}/runs/${created.body.id}/steps`);
    expect(steps.body.data.map((s: { status: string }) => s.status)).toEqual(['completed']);
  });

  it('fails a run that keeps losing its executor instead of leaving it in progress forever', async () => {
    const m = marker('evict-loop');
    const { assistantId, threadId } = await newAssistantAndThread(`hello ${m}`);
    await pushScripts(m, { hang: true }, { hang: true }, { hang: true }, { hang: true });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    for (let i = 1; i <= 4; i++) {
      await eventually(() => upstreamRequests(m), (r) => r.length === i);
      await abortAllDurableObjects();
      await runDurableObjectAlarm(threadStub(threadId));
    }
    const run = await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'failed');
    expect(run.body).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
  });

  it('expires a run left in requires_action past expires_at', async () => {
    const m = marker('expire');
    const { assistantId, threadId } = await newAssistantAndThread(`weather ${m}`, {
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
    });
    await pushScripts(m, { toolCalls: [{ name: 'weather', arguments: '{}' }] });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    const waiting = await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'requires_action');
    expect(waiting.body.expires_at).toBeGreaterThan(Date.now() / 1000 + 500);

    // Ten minutes pass: move the deadline instead of the clock.
    await runInDurableObject(threadStub(threadId), (_o: ThreadObject, state) => {
      const row = state.storage.sql.exec<{ data: string }>('SELECT data FROM runs WHERE id = ?', created.body.id).one();
      const run = JSON.parse(row.data) as Run;
      state.storage.sql.exec('UPDATE runs SET data = ? WHERE id = ?', JSON.stringify({ ...run, expires_at: run.expires_at! - 601 }), run.id);
    });
    expect(await runDurableObjectAlarm(threadStub(threadId))).toBe(true);
    const expired = await getRun(threadId, created.body.id);
    expect(expired.body).toMatchObject({ status: 'expired', required_action: null, expires_at: null });
    const steps = await api('GET', `/threads/${threadId}/runs/${created.body.id}/steps`);
    expect(steps.body.data[0]).toMatchObject({ type: 'tool_calls', status: 'expired' });
    expect(steps.body.data[0].expired_at).toBeTypeOf('number');
    const late = await api('POST', `/threads/${threadId}/runs/${created.body.id}/submit_tool_outputs`, {
      tool_outputs: [{ tool_call_id: waiting.body.required_action.submit_tool_outputs.tool_calls[0].id, output: 'x' }],
    });
    expect(late.body.error.message).toBe('Runs in status "expired" do not accept tool outputs.');
  });

  it('does nothing twice when the queue re-delivers a dispatch', async () => {
    const m = marker('redeliver');
    const { assistantId, threadId } = await newAssistantAndThread(`hi ${m}`);
    await pushScripts(m, { text: 'Once.' });
    const created = await api('POST', `/threads/${threadId}/runs`, { assistant_id: assistantId });
    await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'completed');

    const body = { threadId, runId: created.body.id, attempt: 0 };
    const batch = createMessageBatch('assistants-edge-runs', [
      { id: 'm1', timestamp: Date.now(), attempts: 2, body },
      { id: 'm2', timestamp: Date.now(), attempts: 1, body },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2']);
    expect(result.retryMessages).toEqual([]);
    expect(await upstreamRequests(m)).toHaveLength(1);
    expect((await getRun(threadId, created.body.id)).body.status).toBe('completed');
  });

  it('fails a run whose dispatch reached the dead-letter queue', async () => {
    const m = marker('dlq');
    const { assistantId, threadId } = await newAssistantAndThread(`hi ${m}`);
    await pushScripts(m, { toolCalls: [{ name: 'f', arguments: '{}' }] });
    const created = await api('POST', `/threads/${threadId}/runs`, {
      assistant_id: assistantId,
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    await eventually(() => getRun(threadId, created.body.id), (r) => r.body.status === 'requires_action');
    const batch = createMessageBatch('assistants-edge-runs-dlq', [
      { id: 'd1', timestamp: Date.now(), attempts: 6, body: { threadId, runId: created.body.id, attempt: 0 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env, ctx);
    await getQueueResult(batch, ctx);
    expect((await getRun(threadId, created.body.id)).body).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
  });
});
