// Context limits with both SDK majors (docs/openai-behaviour.md §2.5 and §8 item 18 "truncation_strategy and
// max_*_tokens stored but never applied"): truncation_strategy last_messages, max_prompt_tokens
// truncation (oldest first) and its `incomplete` end, max_completion_tokens and `finish_reason: length`.
import { describe, expect, it } from 'vitest';
import type { FunctionTool } from 'openai/resources/beta/assistants';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError, MAJORS, runsApi } from './majors.js';
import { marker, runFixture } from './run-support.js';

const WEATHER: FunctionTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
/** ~100 tokens of English-like text (about 4 characters per token). */
const paragraph = (i: number) =>
  `Message number ${i}. ` + 'The quick brown fox jumps over the lazy dog while the cat watches from the window sill. '.repeat(5);

describe.each(MAJORS)('context limits (SDK %s)', (major) => {
  async function setup(label: string, assistant: Record<string, unknown> = {}) {
    const fx = await runFixture(`limits-${label}-${major}`, assistant);
    return { ...fx, api: runsApi(fx, major), m: marker(`${label}-${major}`) };
  }

  it('truncation_strategy last_messages=2: upstream gets the system prompt and the last two messages only', async () => {
    const { api, assistant, m } = await setup('last2');
    await pushScripts(m, { text: 'Short context.' });
    const thread = await api.createThread({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
        { role: 'assistant', content: 'four' },
        { role: 'user', content: `five ${m}` },
      ],
    });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, truncation_strategy: { type: 'last_messages', last_messages: 2 } });
    expect(run).toMatchObject({ status: 'completed', truncation_strategy: { type: 'last_messages', last_messages: 2 } });
    const [req] = await upstreamRequests(m);
    expect(req!.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'assistant', content: 'four' },
      { role: 'user', content: `five ${m}` },
    ]);
    // Nothing was deleted from the thread.
    expect((await api.listMessages(thread.id)).data).toHaveLength(6);
  });

  it('max_prompt_tokens=256 with a long history: the oldest messages are dropped, the newest kept, in order', async () => {
    const { api, assistant, m } = await setup('mpt');
    await pushScripts(m, { text: 'Truncated.' });
    const history = Array.from({ length: 10 }, (_, i) => paragraph(i) + (i === 9 ? m : ''));
    const thread = await api.createThread({ messages: history.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })) });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, max_prompt_tokens: 256 });
    expect(run).toMatchObject({ status: 'completed', max_prompt_tokens: 256, incomplete_details: null });
    const [req] = await upstreamRequests(m);
    const sent = req!.body.messages as { role: string; content: string }[];
    expect(sent[0]).toEqual({ role: 'system', content: 'You are terse.' });
    const kept = sent.slice(1).map((x) => x.content);
    console.log(`[${major}] max_prompt_tokens=256 kept ${kept.length} of ${history.length} history messages`);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThanOrEqual(3); // ~100 tokens each: at most two or three fit in 256
    expect(kept).toEqual(history.slice(history.length - kept.length)); // a suffix: oldest dropped first
  });

  it('one message bigger than max_prompt_tokens: the run ends incomplete (max_prompt_tokens) without calling upstream', async () => {
    const { api, assistant, m } = await setup('huge');
    await pushScripts(m, { text: 'should never be sent' });
    const huge = `${m} ` + 'All work and no play makes Jack a dull boy. '.repeat(100); // ~1,100 tokens
    const thread = await api.createThread({ messages: [{ role: 'user', content: huge }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, max_prompt_tokens: 256 });
    expect(run).toMatchObject({
      status: 'incomplete', incomplete_details: { reason: 'max_prompt_tokens' }, max_prompt_tokens: 256,
      expires_at: null, required_action: null, last_error: null, failed_at: null, cancelled_at: null,
    });
    expect(await upstreamRequests(m)).toHaveLength(0);
    expect((await api.listMessages(thread.id, { run_id: run.id })).data).toHaveLength(0);
    // The run is over: the thread accepts new messages.
    await api.createMessage(thread.id, { role: 'user', content: 'shorter' });
  });

  it("max_completion_tokens=256 and finish_reason 'length': run incomplete (max_completion_tokens), message incomplete (max_tokens)", async () => {
    const { api, assistant, m } = await setup('mct');
    await pushScripts(m, { text: 'This answer was cut off at the tok', finishReason: 'length', usage: { prompt_tokens: 30, completion_tokens: 256 } });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `write a novel ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, max_completion_tokens: 256 });
    expect(run).toMatchObject({
      status: 'incomplete', incomplete_details: { reason: 'max_completion_tokens' }, max_completion_tokens: 256, expires_at: null,
      usage: { prompt_tokens: 30, completion_tokens: 256, total_tokens: 286 },
    });
    const [req] = await upstreamRequests(m);
    expect(req!.body.max_completion_tokens).toBe(256);
    const [msg] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(msg).toMatchObject({
      status: 'incomplete', incomplete_details: { reason: 'max_tokens' }, completed_at: null,
      content: [{ type: 'text', text: { value: 'This answer was cut off at the tok', annotations: [] } }],
    });
    expect(msg!.incomplete_at).toEqual(expect.any(Number));
  });

  it('streamed: the length-limited run ends with thread.message.incomplete … thread.run.incomplete, then done', async () => {
    const { api, assistant, m } = await setup('mct-stream');
    await pushScripts(m, { text: 'Cut short in a str', finishReason: 'length', chunkSize: 4 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `long please ${m}` }] });
    // Raw iteration: v4's AssistantStream cannot end on thread.run.incomplete (SDK bug, docs/openai-behaviour.md §6.5).
    const stream = await api.createRawStream(thread.id, { assistant_id: assistant.id, max_completion_tokens: 256 });
    const names: string[] = [];
    let last: any;
    for await (const e of stream) {
      names.push(e.event);
      last = e.data;
    }
    expect(names).toContain('thread.message.incomplete');
    expect(names).not.toContain('thread.message.completed');
    expect(names.indexOf('thread.message.incomplete')).toBeLessThan(names.length - 1);
    expect(names.at(-1)).toBe('thread.run.incomplete');
    expect(last).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_completion_tokens' } });
    await expectNoStreamErrors();
  });

  it('max_completion_tokens is a budget for the whole run: the call after a tool round gets only what is left', async () => {
    const { api, assistant, m } = await setup('mct-rounds', { tools: [WEATHER] });
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: '{}' }], usage: { prompt_tokens: 20, completion_tokens: 250 } },
      { text: 'ok', usage: { prompt_tokens: 30, completion_tokens: 2 } });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `weather ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id, max_completion_tokens: 256 });
    expect(run.status).toBe('requires_action');
    const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id;
    const done = await api.submitAndPoll(thread.id, run.id, { tool_outputs: [{ tool_call_id: callId, output: 'sunny' }] });
    expect(done.status).toBe('completed');
    expect(done.usage).toEqual({ prompt_tokens: 50, completion_tokens: 252, total_tokens: 302 });
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    expect(reqs[0]!.body.max_completion_tokens).toBe(256);
    expect(reqs[1]!.body.max_completion_tokens).toBeGreaterThan(0);
    expect(reqs[1]!.body.max_completion_tokens).toBeLessThanOrEqual(6);
  });

  it('limits below OpenAI\'s minimum are refused before anything is created (400, integer_below_min_value)', async () => {
    const { api, assistant, m } = await setup('min');
    const thread = await api.createThread({ messages: [{ role: 'user', content: `x ${m}` }] });
    for (const param of ['max_prompt_tokens', 'max_completion_tokens'] as const) {
      const body = await expectApiError(api.create(thread.id, { assistant_id: assistant.id, [param]: 255 }), 400,
        `Invalid '${param}': integer below minimum value. Expected a value >= 256, but got 255 instead.`);
      expect([body.param, body.code]).toEqual([param, 'integer_below_min_value']);
    }
    await expectApiError(api.create(thread.id, { assistant_id: assistant.id, truncation_strategy: { type: 'last_messages', last_messages: 0 } }), 400,
      /^Invalid 'truncation_strategy\.last_messages'/);
    expect((await api.list(thread.id)).data).toHaveLength(0);
    expect(await upstreamRequests(m)).toHaveLength(0);
  });
});
