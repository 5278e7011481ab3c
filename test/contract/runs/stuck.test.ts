// Nothing stuck (issue 17): a hung, stalled or flooding upstream ends every run in a final state with a
// clear last_error within the configured limits (the contract worker runs with
// MODEL_IDLE_TIMEOUT_SECONDS=3 and MODEL_CALL_TIMEOUT_SECONDS=6, test/support/global-setup.ts), the
// thread unlocked and the server answering other requests meanwhile; oversized answers, tool-call
// arguments and tool outputs are bounded (src/domain/runs/limits.ts).
import { describe, expect, it } from 'vitest';
import type { FunctionTool } from 'openai/resources/beta/assistants';
import type { AssistantStreamEvent } from 'openai/resources/beta/assistants';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError, runsApi, until } from './majors.js';
import { marker, runFixture } from './run-support.js';

const WEATHER: FunctionTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
const MESSAGE_TEXT_LIMIT = 512 * 1024;
const ARGUMENTS_LIMIT = 512 * 1024;
const TEN_MB = 10 * 1024 * 1024;

async function setup(label: string, assistant: Record<string, unknown> = {}) {
  const fx = await runFixture(`stuck-${label}`, assistant);
  const api = runsApi(fx, 'v6');
  const m = marker(label);
  const thread = await api.createThread({ messages: [{ role: 'user', content: `hello ${m}` }] });
  return { ...fx, api, m, thread };
}

// Concurrent: each test steers its own upstream requests by its marker, and most of their time is waiting.
describe.concurrent('hung and flooding upstreams (SDK v6)', () => {
  it('an upstream that accepts and sends nothing: idle timeout, retried like a 5xx, then failed server_error; the server answers meanwhile; the thread unlocks', { timeout: 90_000 }, async () => {
    const { api, assistant, m, thread, v6 } = await setup('hang');
    await pushScripts(m, { hang: true }, { hang: true }, { hang: true }, { hang: true });
    const polled = api.createAndPoll(thread.id, { assistant_id: assistant.id });
    await until(() => upstreamRequests(m), (r) => r.length >= 1, 'the first upstream request');
    // Other requests are served while the run waits on its upstream.
    expect((await v6.beta.assistants.retrieve(assistant.id)).id).toBe(assistant.id);
    const run = await polled;
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({ code: 'server_error', message: 'The model sent no data for 3 seconds; the call was abandoned.' });
    expect(await upstreamRequests(m)).toHaveLength(4); // MAX_ATTEMPTS
    // Unlocked: a message can be added and a new run completes.
    await api.createMessage(thread.id, { role: 'user', content: `again ${m}` });
    await pushScripts(m, { text: 'Back again.' });
    expect((await api.createAndPoll(thread.id, { assistant_id: assistant.id })).status).toBe('completed');
  });

  it('an upstream that never sends headers: the idle timeout covers the wait for headers too; the retry answers', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread } = await setup('no-headers');
    await pushScripts(m, { hang: true, beforeHeaders: true }, { text: 'After a silent upstream.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    expect(await upstreamRequests(m)).toHaveLength(2);
    const [msg] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msg).toMatchObject({ status: 'completed', content: [{ type: 'text', text: { value: 'After a silent upstream.' } }] });
  });

  it('a stream that stops after its first chunk: not retried (text was shown), failed server_error, the message incomplete, the stream ends', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread } = await setup('stall');
    await pushScripts(m, { text: 'Partial answer that never ends.', chunkSize: 8, stallAfterChunks: 1 });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events: AssistantStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    const last = events.at(-1)!;
    expect(last.event).toBe('thread.run.failed');
    const run = last.data as { id: string; status: string; last_error: unknown };
    expect(run).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message: 'The model sent no data for 3 seconds; the call was abandoned.' } });
    expect(events.map((e) => e.event)).toContain('thread.message.incomplete');
    expect(await upstreamRequests(m)).toHaveLength(1);
    const [msg] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msg).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'run_failed' }, content: [{ type: 'text', text: { value: 'Partial ' } }] });
    const steps = await api.listSteps(thread.id, run.id);
    expect(steps.data.map((s) => s.status)).toEqual(['failed']);
    await expectNoStreamErrors();
  });

  it('keep-alives forever: the overall call limit ends the call, which is retried', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread } = await setup('drip');
    await pushScripts(m, { drip: true, everyMs: 200 }, { text: 'After the drip.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    expect(await upstreamRequests(m)).toHaveLength(2);
  });

  it('keep-alives on every attempt: failed with the call limit as last_error', { timeout: 90_000 }, async () => {
    const { api, assistant, m, thread } = await setup('drip-fail');
    await pushScripts(m, ...Array.from({ length: 4 }, () => ({ drip: true as const, everyMs: 200 })));
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message: 'The model call took longer than 6 seconds and was abandoned.' } });
  });

  it('one 10 MB upstream event: failed at once with a clear last_error, not retried; the server stays responsive', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread, v6 } = await setup('huge-event');
    await pushScripts(m, { text: 'x'.repeat(TEN_MB), chunkSize: TEN_MB });
    const polled = api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect((await v6.beta.assistants.retrieve(assistant.id)).id).toBe(assistant.id);
    const run = await polled;
    expect(run).toMatchObject({
      status: 'failed',
      last_error: { code: 'server_error', message: "The model's stream sent an event larger than 1048576 characters; the call was abandoned." },
    });
    expect(await upstreamRequests(m)).toHaveLength(1);
    // Nothing was left in progress.
    const messages = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(messages.filter((x) => x.status === 'in_progress')).toEqual([]);
  });

  it('a 10 MB answer in ordinary chunks: the message is cut at the limit and ends incomplete, and so does the run', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread } = await setup('huge-answer');
    await pushScripts(m, { text: 'y'.repeat(TEN_MB), chunkSize: 256 * 1024 });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_completion_tokens' }, last_error: null });
    const [msg] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msg).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_tokens' } });
    const text = msg!.content[0]!.type === 'text' ? msg!.content[0]!.text.value : '';
    expect(text).toBe('y'.repeat(MESSAGE_TEXT_LIMIT));
    // The thread is unlocked.
    await api.createMessage(thread.id, { role: 'user', content: `shorter please ${m}` });
  });

  it('10 MB of tool-call arguments: failed naming the limit, the tool step failed, the thread unlocked', { timeout: 60_000 }, async () => {
    const { api, assistant, m, thread } = await setup('huge-args', { tools: [WEATHER] });
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: `{"city":"${'z'.repeat(TEN_MB)}"}` }], chunkSize: 256 * 1024 });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    const message = `The model's tool call arguments exceeded the limit of ${ARGUMENTS_LIMIT} bytes; the run was stopped.`;
    expect(run).toMatchObject({ status: 'failed', required_action: null, last_error: { code: 'server_error', message } });
    const steps = await api.listSteps(thread.id, run.id);
    expect(steps.data).toHaveLength(1);
    expect(steps.data[0]).toMatchObject({ type: 'tool_calls', status: 'failed', last_error: { code: 'server_error', message } });
    await api.createMessage(thread.id, { role: 'user', content: `no tools ${m}` });
  });
});

describe('tool outputs that fit one by one but not together (SDK v6)', () => {
  it('20 outputs of 500 KB: 400 naming the limit, the run still waits for outputs, then accepts smaller ones', async () => {
    const { api, assistant, m, thread } = await setup('outputs-total', { tools: [WEATHER] });
    const calls = Array.from({ length: 20 }, (_, i) => ({ name: 'get_weather', arguments: `{"i":${i}}` }));
    await pushScripts(m, { toolCalls: calls }, { text: 'Twenty answers.' });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('requires_action');
    const ids = run.required_action!.submit_tool_outputs.tool_calls.map((c) => c.id);
    expect(ids).toHaveLength(20);
    const big = ids.map((id) => ({ tool_call_id: id, output: 'o'.repeat(500 * 1000) }));
    const err = await expectApiError(
      api.submit(thread.id, run.id, { tool_outputs: big }),
      400,
      "Invalid 'tool_outputs': the outputs take 10000000 bytes (as stored), above the limit of 1048576 bytes for one submission.",
    );
    expect(err).toMatchObject({ param: 'tool_outputs', code: 'string_above_max_length' });
    expect((await api.retrieve(thread.id, run.id)).status).toBe('requires_action');
    const small = ids.map((id) => ({ tool_call_id: id, output: 'sunny' }));
    expect((await api.submitAndPoll(thread.id, run.id, { tool_outputs: small })).status).toBe('completed');
  });
});
