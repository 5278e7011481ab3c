// Streaming runs with both SDK majors' AssistantStream and the raw `stream: true` iteration (docs/openai-behaviour.md
// §5): OpenAI's exact event order, message/step snapshots, createAndRunStream's thread.created, tool
// calls ending in requires_action and the submit stream, and a client leaving mid-stream (the run goes on).
import { describe, expect, it } from 'vitest';
import type { AssistantStream } from 'openai/lib/AssistantStream';
import type { AssistantStreamEvent } from 'openai/resources/beta/assistants';
import type { FunctionTool } from 'openai/resources/beta/assistants';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collapse, MAJORS, runsApi, TEXT_EVENTS, type RunsApi } from './majors.js';
import { marker, runFixture } from './run-support.js';

const WEATHER: FunctionTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const RUN_START = ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress'];
type Ev = { event: string; data: any };

/** Every event the AssistantStream saw, in order, copied as it arrived (the SDK mutates payloads as it accumulates). */
function record(stream: AssistantStream): Ev[] {
  const events: Ev[] = [];
  stream.on('event', (e: AssistantStreamEvent) => events.push(structuredClone(e) as Ev));
  return events;
}

describe.each(MAJORS)('streaming runs (SDK %s)', (major) => {
  async function setup(label: string, assistant: Record<string, unknown> = {}) {
    const fx = await runFixture(`stream-${label}-${major}`, assistant);
    const api: RunsApi = runsApi(fx, major);
    const m = marker(`${label}-${major}`);
    return { ...fx, api, m };
  }

  it("runs.stream, text only: OpenAI's event order, well-formed deltas, snapshots equal to the stored message", async () => {
    const { api, assistant, m } = await setup('text');
    const text = 'Streaming works, one small chunk at a time.';
    await pushScripts(m, { text, chunkSize: 5 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `hi ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    const final = await stream.finalRun();
    expect(collapse(events.map((e) => e.event))).toEqual([...RUN_START, ...TEXT_EVENTS, 'thread.run.completed']);
    expect(final).toMatchObject({ status: 'completed', expires_at: null, thread_id: thread.id });
    expect(final.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: final.usage!.prompt_tokens + final.usage!.completion_tokens });
    const runId = final.id;
    expect(events.filter((e) => e.event.startsWith('thread.run.') && !e.event.includes('step')).every((e) => e.data.id === runId)).toBe(true);
    expect(events[0]!.data).toMatchObject({ status: 'queued', started_at: null, usage: null, expires_at: events[0]!.data.created_at + 600 });
    expect(events[2]!.data).toMatchObject({ status: 'in_progress', started_at: expect.any(Number) });

    const created = events.find((e) => e.event === 'thread.message.created')!.data;
    expect(created).toMatchObject({ status: 'in_progress', content: [], role: 'assistant', run_id: runId });
    const deltas = events.filter((e) => e.event === 'thread.message.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas[0]!.data.delta.content[0]).toEqual({ index: 0, type: 'text', text: { value: 'Strea', annotations: [] } });
    expect(deltas.every((d) => d.data.id === created.id && d.data.object === 'thread.message.delta' && d.data.delta.content[0].index === 0)).toBe(true);
    expect(deltas.map((d) => d.data.delta.content[0].text.value).join('')).toBe(text);

    const stored = await api.retrieveMessage(thread.id, created.id);
    expect(stored).toMatchObject({ status: 'completed', content: [{ type: 'text', text: { value: text, annotations: [] } }] });
    expect(events.find((e) => e.event === 'thread.message.completed')!.data).toEqual(stored);
    const finals = await stream.finalMessages();
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({ id: stored.id, role: 'assistant', run_id: runId, assistant_id: assistant.id, content: stored.content });
    const step = events.find((e) => e.event === 'thread.run.step.completed')!.data;
    expect(step).toMatchObject({ type: 'message_creation', status: 'completed', step_details: { message_creation: { message_id: stored.id } } });
    expect((await stream.finalRunSteps()).map((s) => s.id)).toEqual([step.id]);
    expect(await api.retrieve(thread.id, runId)).toEqual(final);
    await expectNoStreamErrors();
    expectNoContractViolations();
  });

  it('threads.createAndRunStream starts with thread.created for the new thread', async () => {
    const { api, assistant, m } = await setup('car');
    await pushScripts(m, { text: 'New thread, streamed.' });
    const stream = api.createAndRunStream({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: `go ${m}` }] } });
    const events = record(stream);
    const final = await stream.finalRun();
    expect(collapse(events.map((e) => e.event))).toEqual(['thread.created', ...RUN_START, ...TEXT_EVENTS, 'thread.run.completed']);
    expect(events[0]!.data).toMatchObject({ object: 'thread', id: final.thread_id });
    expect(final.status).toBe('completed');
    expect((await api.listMessages(final.thread_id)).data.map((x) => x.role)).toEqual(['assistant', 'user']);
    await expectNoStreamErrors();
  });

  it('tool calls: the stream ends at requires_action (tool step in progress, dense step.delta indexes); the submit stream continues', async () => {
    const { api, assistant, m } = await setup('tools', { tools: [WEATHER] });
    const argsA = '{"city":"Paris"}';
    const argsB = '{"city":"Reykjavík"}';
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: argsA }, { name: 'get_weather', arguments: argsB }], chunkSize: 4 },
      { text: 'Mild in Paris, cold in Reykjavík.', chunkSize: 6 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `weather? ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    const done: { id: string; args: string }[] = [];
    stream.on('toolCallDone', (tc) => done.push({ id: tc.id, args: tc.type === 'function' ? tc.function.arguments : '' }));
    const run = await stream.finalRun();
    expect(collapse(events.map((e) => e.event))).toEqual([
      ...RUN_START, 'thread.run.step.created', 'thread.run.step.in_progress', 'thread.run.step.delta+', 'thread.run.requires_action',
    ]);
    expect(run.status).toBe('requires_action');
    const toolCalls = run.required_action!.submit_tool_outputs.tool_calls;
    expect(toolCalls.map((c) => c.function.arguments)).toEqual([argsA, argsB]);
    const stepCreated = events.find((e) => e.event === 'thread.run.step.created')!.data;
    expect(stepCreated).toMatchObject({ type: 'tool_calls', status: 'in_progress', step_details: { type: 'tool_calls', tool_calls: [] } });

    // Step deltas: first per call {index, id, type, function{name, arguments:'', output:null}}, then argument chunks.
    const items = events.filter((e) => e.event === 'thread.run.step.delta').flatMap((e) => {
      expect(e.data).toMatchObject({ id: stepCreated.id, object: 'thread.run.step.delta', delta: { step_details: { type: 'tool_calls' } } });
      return e.data.delta.step_details.tool_calls as { index: number; id?: string; type: string; function: Record<string, unknown> }[];
    });
    const firsts = items.filter((i) => i.id !== undefined);
    expect(firsts).toEqual(toolCalls.map((c, index) => ({ index, id: c.id, type: 'function', function: { name: 'get_weather', arguments: '', output: null } })));
    const seen = items.map((i) => i.index);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // in order
    expect([...new Set(seen)]).toEqual([0, 1]); // dense from 0
    for (const [index, c] of toolCalls.entries()) {
      expect(items.filter((i) => i.index === index).map((i) => i.function.arguments ?? '').join('')).toBe(c.function.arguments);
    }
    expect(done.map((d) => d.args)).toEqual([argsA, argsB]);
    expect(done.map((d) => d.id)).toEqual(toolCalls.map((c) => c.id));
    expect(events.some((e) => e.event === 'thread.run.step.completed')).toBe(false);
    expect((await api.listSteps(thread.id, run.id)).data[0]!.status).toBe('in_progress');

    const outputs = toolCalls.map((c, i) => ({ tool_call_id: c.id, output: `weather-${i}` }));
    const submit = api.submitStream(thread.id, run.id, { tool_outputs: outputs });
    const events2 = record(submit);
    const final = await submit.finalRun();
    expect(collapse(events2.map((e) => e.event))).toEqual([
      'thread.run.step.completed', 'thread.run.queued', 'thread.run.in_progress', ...TEXT_EVENTS, 'thread.run.completed',
    ]);
    expect(events2[0]!.data).toMatchObject({
      id: stepCreated.id, type: 'tool_calls', status: 'completed', completed_at: expect.any(Number),
      step_details: { tool_calls: toolCalls.map((c, i) => ({ id: c.id, type: 'function', function: { name: 'get_weather', arguments: c.function.arguments, output: `weather-${i}` } })) },
    });
    expect(final).toMatchObject({ id: run.id, status: 'completed', required_action: null });
    // The SDK's accumulated snapshot keeps the delta's `index`: match, not equal.
    expect((await submit.finalMessages())[0]!.content).toMatchObject([{ type: 'text', text: { value: 'Mild in Paris, cold in Reykjavík.', annotations: [] } }]);
    expect(await upstreamRequests(m)).toHaveLength(2);
    await expectNoStreamErrors();
  });

  it('text before tool calls: the message is completed (one at a time) before the tool step starts', async () => {
    const { api, assistant, m } = await setup('text-tools', { tools: [WEATHER] });
    await pushScripts(m, { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Rome"}' }], chunkSize: 5 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `rome? ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    const run = await stream.finalRun();
    expect(collapse(events.map((e) => e.event))).toEqual([
      ...RUN_START, ...TEXT_EVENTS,
      'thread.run.step.created', 'thread.run.step.in_progress', 'thread.run.step.delta+', 'thread.run.requires_action',
    ]);
    expect(run.status).toBe('requires_action');
    const steps = await api.listSteps(thread.id, run.id, { order: 'asc' });
    expect(steps.data.map((x) => [x.type, x.status])).toEqual([['message_creation', 'completed'], ['tool_calls', 'in_progress']]);
    const [msg] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msg).toMatchObject({ status: 'completed', content: [{ type: 'text', text: { value: 'Let me check.' } }] });
    await expectNoStreamErrors();
  });

  it('errors before the first byte are JSON errors: streaming on a busy thread, or outputs to a finished run', async () => {
    const { api, assistant, m } = await setup('stream-errors');
    await pushScripts(m, { hang: true });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `busy ${m}` }] });
    const busy = await api.create(thread.id, { assistant_id: assistant.id });
    const s1 = api.stream(thread.id, { assistant_id: assistant.id });
    await expect(s1.finalRun()).rejects.toMatchObject({ status: 400, error: { message: `Thread ${thread.id} already has an active run ${busy.id}.` } });
    await api.cancel(thread.id, busy.id);
    expect((await api.poll(thread.id, busy.id)).status).toBe('cancelled');
    const s2 = api.submitStream(thread.id, busy.id, { tool_outputs: [{ tool_call_id: 'call_x', output: 'x' }] });
    await expect(s2.finalRun()).rejects.toMatchObject({ status: 400, error: { message: 'Runs in status "cancelled" do not accept tool outputs.' } });
    await expectNoStreamErrors();
  });

  it('raw runs.create({stream: true}) iteration yields the same events, ending with thread.run.completed', async () => {
    const { api, assistant, m } = await setup('raw');
    await pushScripts(m, { text: 'Raw events.', chunkSize: 3 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `raw ${m}` }] });
    const stream = await api.createRawStream(thread.id, { assistant_id: assistant.id });
    const events: Ev[] = [];
    for await (const e of stream) events.push(e as Ev);
    expect(collapse(events.map((e) => e.event))).toEqual([...RUN_START, ...TEXT_EVENTS, 'thread.run.completed']);
    const run = events.at(-1)!.data;
    expect(run).toMatchObject({ object: 'thread.run', status: 'completed', thread_id: thread.id });
    expect(events.filter((e) => e.event === 'thread.message.delta').map((e) => e.data.delta.content[0].text.value).join('')).toBe('Raw events.');
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);
    await expectNoStreamErrors();
  });

  it('a client that aborts the AssistantStream mid-way does not stop the run: it completes', async () => {
    const { api, assistant, m } = await setup('abort-helper');
    const text = 'This reply keeps streaming after the client went away.';
    await pushScripts(m, { text, chunkSize: 5, chunkDelayMs: 60 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `abort ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    stream.on('textDelta', () => stream.abort());
    await stream.done().catch(() => undefined);
    expect(stream.aborted).toBe(true);
    expect(events.some((e) => e.event === 'thread.run.completed')).toBe(false);
    const runId = events[0]!.data.id as string;
    const t0 = Date.now();
    const run = await api.poll(thread.id, runId);
    console.log(`[${major}] run finished ${Date.now() - t0} ms after the client aborted: ${run.status}`);
    expect(run.status).toBe('completed');
    const reply = (await api.listMessages(thread.id, { run_id: runId })).data;
    expect(reply.map((x) => [x.status, x.content])).toEqual([['completed', [{ type: 'text', text: { value: text, annotations: [] } }]]]);
    await expectNoStreamErrors();
  });

  it('a raw stream consumer that breaks out (aborting the request) does not stop the run', async () => {
    const { api, assistant, m } = await setup('abort-raw');
    const text = 'Raw consumer left early, the run went on.';
    await pushScripts(m, { text, chunkSize: 4, chunkDelayMs: 60 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `abort raw ${m}` }] });
    const controller = new AbortController();
    const stream = await api.createRawStream(thread.id, { assistant_id: assistant.id }, controller.signal);
    let runId = '';
    for await (const e of stream) {
      if (e.event === 'thread.run.created') runId = e.data.id;
      if (e.event === 'thread.message.delta') {
        controller.abort();
        break;
      }
    }
    expect(runId).toMatch(/^run_/);
    const run = await api.poll(thread.id, runId);
    expect(run.status).toBe('completed');
    const reply = (await api.listMessages(thread.id, { run_id: runId })).data[0]!;
    expect(reply.content).toEqual([{ type: 'text', text: { value: text, annotations: [] } }]);
    await expectNoStreamErrors();
  });
});
