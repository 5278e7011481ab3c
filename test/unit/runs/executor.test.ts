import { describe, expect, it } from 'vitest';
import { ChatModelError, type ChatChunk } from '../../../src/domain/ports';
import { MAX_MESSAGE_TEXT_BYTES, MAX_TOOL_ARGUMENTS_BYTES } from '../../../src/domain/runs/limits';
import { backoffMs } from '../../../src/domain/runs/retry';
import type { HostedTool } from '../../../src/tools/hosted-tool';
import { harness } from './harness';

/**
 * The executor and the Assistants projection of a model turn in Node, on in-memory ports with a
 * scripted model (./harness.ts): the events each kind of turn publishes, in order, and what is stored.
 */

const text = (...deltas: string[]): ChatChunk[] => deltas.map((delta) => ({ type: 'text', delta }));
const usage = (promptTokens: number, completionTokens: number): ChatChunk => ({ type: 'usage', promptTokens, completionTokens });
const finish = (reason: Extract<ChatChunk, { type: 'finish' }>['reason']): ChatChunk => ({ type: 'finish', reason });
/** A step opening, and a message opening with its step (OpenAI's order, docs/openai-behaviour.md §5.3). */
const STEP_OPENS = ['thread.run.step.created', 'thread.run.step.in_progress'];
const MESSAGE_OPENS = [...STEP_OPENS, 'thread.message.created', 'thread.message.in_progress'];
const WEATHER = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

/** A hosted tool answered in memory: its calls' output is the upper-cased `q` argument. */
const echoTool: HostedTool = {
  type: 'file_search',
  functionName: 'echo',
  async offer(run, _projectId, ports) {
    return {
      definitions: [{ type: 'function', function: { name: 'echo', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      async answer(step, calls) {
        for (const c of calls) {
          const output = String((JSON.parse(c.arguments) as { q: string }).q).toUpperCase();
          ports.hostedCalls.insertHostedCall({ callId: c.id, runId: run.id, name: c.name, arguments: c.arguments, output, passages: [] });
        }
        const details = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
        return { ...step, step_details: { type: 'tool_calls', tool_calls: details.map((t) => ({ ...t, file_search: { results: [] } })) } };
      },
    };
  },
  step: { start: (id) => ({ id, type: 'file_search', file_search: {} }), pending: (id) => ({ id, type: 'file_search', file_search: {} }) },
};

describe('RunExecutor on a scripted model', () => {
  it('answers with text: step, message and run events in OpenAI order, and the completed message stored', async () => {
    const h = harness();
    h.script([...text('Hel', 'lo!'), usage(10, 2), finish('stop')]);
    await h.executor.execute(h.runId);
    expect(h.names()).toEqual([
      'thread.run.in_progress',
      ...MESSAGE_OPENS,
      'thread.message.delta',
      'thread.message.delta',
      'thread.message.completed',
      'thread.run.step.completed',
      'thread.run.completed',
    ]);
    expect(h.events[5]!.data.delta.content[0]).toEqual({ index: 0, type: 'text', text: { value: 'Hel', annotations: [] } });
    expect(h.events[6]!.data.delta.content[0]).toEqual({ index: 0, type: 'text', text: { value: 'lo!' } });
    const [message] = h.assistantMessages();
    expect(message).toMatchObject({ status: 'completed', runId: h.runId, content: [{ type: 'text', text: { value: 'Hello!', annotations: [] } }] });
    expect(h.events[8]!.data).toMatchObject({ status: 'completed', usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
    expect(h.stored().run).toMatchObject({ status: 'completed', usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
    expect(h.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'Hello?' });
  });

  it('stops in requires_action on a function call, with the call streamed and its step left in progress', async () => {
    const h = harness({ run: { tools: [WEATHER] } });
    h.script([
      { type: 'tool_call', index: 0, id: 'up_1', name: 'get_weather', argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Oslo"}' },
      usage(20, 5),
      finish('tool_calls'),
    ]);
    await h.executor.execute(h.runId);
    expect(h.names()).toEqual([
      'thread.run.in_progress',
      ...STEP_OPENS,
      'thread.run.step.delta',
      'thread.run.step.delta',
      'thread.run.step.delta',
      'thread.run.requires_action',
    ]);
    const [start, first, second] = h.events.slice(3, 6).map((e) => e.data.delta.step_details.tool_calls[0]);
    const id = start.id as string;
    expect(id).toMatch(/^call_/);
    expect(start).toEqual({ index: 0, id, type: 'function', function: { name: 'get_weather', arguments: '', output: null } });
    expect(first).toEqual({ index: 0, type: 'function', function: { arguments: '{"city":' } });
    expect(second).toEqual({ index: 0, type: 'function', function: { arguments: '"Oslo"}' } });
    const { run } = h.stored();
    expect(run.status).toBe('requires_action');
    expect(run.required_action).toEqual({
      type: 'submit_tool_outputs',
      submit_tool_outputs: { tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
    });
    const [step] = h.records.stepsOf(h.runId);
    expect(step).toMatchObject({ status: 'in_progress', usage: { total_tokens: 25 }, step_details: { tool_calls: [{ id, function: { output: null } }] } });
  });

  it('answers a hosted call itself, completes its step and calls the model again with the output', async () => {
    const h = harness({ tools: [echoTool], run: { tools: [{ type: 'file_search' }] } });
    h.script(
      [{ type: 'tool_call', index: 0, id: 'up_1', name: 'echo', argumentsDelta: '{"q":"abc"}' }, usage(5, 1), finish('tool_calls')],
      [...text('It is ABC.'), usage(8, 3), finish('stop')],
    );
    await h.executor.execute(h.runId);
    expect(h.names()).toEqual([
      'thread.run.in_progress',
      ...STEP_OPENS,
      'thread.run.step.delta',
      'thread.run.step.completed',
      ...MESSAGE_OPENS,
      'thread.message.delta',
      'thread.message.completed',
      'thread.run.step.completed',
      'thread.run.completed',
    ]);
    const start = h.events[3]!.data.delta.step_details.tool_calls[0];
    expect(start).toEqual({ index: 0, id: expect.stringMatching(/^call_/), type: 'file_search', file_search: {} });
    expect(h.events[4]!.data.step_details.tool_calls).toEqual([{ id: start.id, type: 'file_search', file_search: { results: [] } }]);
    expect(h.requests).toHaveLength(2);
    expect(h.requests[0]!.tools?.map((t) => t.function.name)).toEqual(['echo']);
    expect(h.requests[1]!.messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: start.id, type: 'function', function: { name: 'echo', arguments: '{"q":"abc"}' } }] },
      { role: 'tool', tool_call_id: start.id, content: 'ABC' },
    ]);
    expect(h.stored().run).toMatchObject({ status: 'completed', usage: { prompt_tokens: 13, completion_tokens: 4, total_tokens: 17 } });
  });

  it('builds the first model call from the history handed over, reading the thread only for later calls', async () => {
    const h = harness({ tools: [echoTool], run: { tools: [{ type: 'file_search' }] } });
    h.script(
      [{ type: 'tool_call', index: 0, id: 'up_1', name: 'echo', argumentsDelta: '{"q":"abc"}' }, usage(5, 1), finish('tool_calls')],
      [...text('It is ABC.'), usage(8, 3), finish('stop')],
    );
    // Not in the thread's stored messages: only the hand-off can put it in the first prompt.
    await h.executor.execute(h.runId, [h.userMessage('msg_000handed', 'Handed over.')]);
    const userTexts = (i: number) => h.requests[i]!.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(userTexts(0)).toEqual(['Handed over.']);
    // The second call (after the hosted tool) reads the thread again: exactly one read in all.
    expect(userTexts(1)).toEqual(['Hello?']);
    expect(h.data.historyReads).toBe(1);
    expect(h.stored().run.status).toBe('completed');
  });

  it('writes the final message and its usage row together; a call ending in tool calls records usage alone', async () => {
    const h = harness({ tools: [echoTool], run: { tools: [{ type: 'file_search' }] } });
    h.script(
      [{ type: 'tool_call', index: 0, id: 'up_1', name: 'echo', argumentsDelta: '{"q":"abc"}' }, usage(5, 1), finish('tool_calls')],
      [...text('It is ABC.'), usage(8, 3), finish('stop')],
    );
    let atCompletion: { saved: number; usage: number } | null = null;
    void h.published('thread.run.completed').then(() => (atCompletion = { saved: h.data.savedWithUsage, usage: h.data.usage.length }));
    await h.executor.execute(h.runId);
    expect(h.data.savedWithUsage).toBe(1);
    expect(h.data.usage).toHaveLength(2);
    expect(h.data.usage).toMatchObject([
      { usage: { prompt_tokens: 5, completion_tokens: 1 }, calls: [], hostedCalls: [{ name: 'echo' }] },
      { usage: { prompt_tokens: 8, completion_tokens: 3 }, calls: [], hostedCalls: [] },
    ]);
    // Both durable before the run completes (docs/run-lifecycle.md: checkpoint order).
    expect(atCompletion).toEqual({ saved: 1, usage: 2 });
    expect(h.assistantMessages()[0]).toMatchObject({ status: 'completed' });
  });

  it('reads the thread for the first model call when no history is handed over (a resume, tool outputs)', async () => {
    const h = harness();
    h.script([...text('Hi.'), usage(3, 1), finish('stop')]);
    await h.executor.execute(h.runId);
    expect(h.data.historyReads).toBe(1);
    expect(h.requests[0]!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Hello?']);
  });

  it('ends the message and the run incomplete when the text outgrows MAX_MESSAGE_TEXT_BYTES', async () => {
    const h = harness();
    const big = 'x'.repeat(MAX_MESSAGE_TEXT_BYTES / 2);
    h.script([...text(big, big, 'past the limit'), usage(3, 9), finish('stop')]);
    await h.executor.execute(h.runId);
    expect(h.names().slice(-3)).toEqual(['thread.message.incomplete', 'thread.run.step.completed', 'thread.run.incomplete']);
    expect(h.names().filter((e) => e === 'thread.message.delta')).toHaveLength(2);
    const [message] = h.assistantMessages();
    expect(message).toMatchObject({ status: 'incomplete', incompleteDetails: { reason: 'max_tokens' } });
    expect((message!.content[0] as { text: { value: string } }).text.value).toBe(big + big);
    expect(h.stored().run).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_completion_tokens' } });
  });

  it('fails the run when the tool-call arguments outgrow MAX_TOOL_ARGUMENTS_BYTES, ending the tool step failed', async () => {
    const h = harness({ run: { tools: [WEATHER] } });
    h.script([
      { type: 'tool_call', index: 0, id: 'up_1', name: 'get_weather', argumentsDelta: 'a'.repeat(MAX_TOOL_ARGUMENTS_BYTES) },
      { type: 'tool_call', index: 0, argumentsDelta: 'b' },
      finish('tool_calls'),
    ]);
    await h.executor.execute(h.runId);
    const message = `The model's tool call arguments exceeded the limit of ${MAX_TOOL_ARGUMENTS_BYTES} bytes; the run was stopped.`;
    expect(h.names().slice(-2)).toEqual(['thread.run.step.failed', 'thread.run.failed']);
    expect(h.events.at(-2)!.data).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message } });
    expect(h.stored().run).toMatchObject({ status: 'failed', last_error: { code: 'server_error', message } });
  });

  it('requeues the run with backoff when the model fails retryably before any output', async () => {
    const h = harness();
    h.script({ error: new ChatModelError('rate_limit_exceeded', 'Slow down', true, 429, 2_000) });
    await h.executor.execute(h.runId);
    expect(h.names()).toEqual(['thread.run.in_progress']);
    expect(h.requeues).toEqual([{ attempt: 1, delayMs: 2_000 }]);
    expect(h.stored().run.status).toBe('in_progress');
    expect(h.stored().internal).toMatchObject({ attempt: 1, retryAt: expect.any(Number) });
    expect(backoffMs(1)).toBe(2_000); // without retry-after: 1 s doubled per attempt
  });

  it('ends the open message, its step and the run as cancelled when cancelled mid-stream', async () => {
    const h = harness();
    h.script({ chunks: text('Partial'), thenWaitForAbort: true });
    const done = h.published('thread.run.cancelled');
    const execution = h.executor.execute(h.runId);
    await h.modelWaiting();
    expect(h.executor.apply(h.stored(), { type: 'cancel_requested' })).not.toBeNull();
    expect(h.executor.abort(h.runId)).toBe(true);
    await execution;
    await done;
    expect(h.names().slice(-5)).toEqual([
      'thread.message.delta',
      'thread.run.cancelling',
      'thread.message.incomplete',
      'thread.run.step.cancelled',
      'thread.run.cancelled',
    ]);
    const [message] = h.assistantMessages();
    expect(message).toMatchObject({ status: 'incomplete', incompleteDetails: { reason: 'run_cancelled' }, content: [{ text: { value: 'Partial' } }] });
    expect(h.records.stepsOf(h.runId).map((s) => s.status)).toEqual(['cancelled']);
    expect(h.stored().run.status).toBe('cancelled');
  });
});
