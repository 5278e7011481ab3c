import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicModel, buildAnthropicBody } from '../../../src/adapters/models/anthropic';
import { ChatModelError } from '../../../src/domain/ports';
import type { ChatChunk, ChatRequest } from '../../../src/domain/ports';
import { startScriptedUpstream } from '../../support/scripted-upstream';
import type { ScriptedUpstream } from '../../support/scripted-upstream';

let upstream: ScriptedUpstream;
let model: AnthropicModel;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  model = new AnthropicModel({ apiKey: 'sk-ant-test', baseUrl: upstream.anthropicUrl });
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  messages: [{ role: 'user', content: 'Say hello' }],
  ...over,
});

async function collect(iter: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iter) out.push(c);
  return out;
}

async function failure(iter: AsyncIterable<ChatChunk>): Promise<unknown> {
  try {
    await collect(iter);
  } catch (err) {
    return err;
  }
  throw new Error('expected the stream to fail');
}

const text = (chunks: ChatChunk[]) => chunks.flatMap((c) => (c.type === 'text' ? [c.delta] : [])).join('');

describe('AnthropicModel over the Messages streaming protocol', () => {
  it('streams text, usage and finish, with Anthropic headers', async () => {
    upstream.push({ text: 'Hello there, human.', chunkSize: 3, usage: { prompt_tokens: 21, completion_tokens: 6 } });
    const chunks = await collect(model.stream(request()));
    expect(text(chunks)).toBe('Hello there, human.');
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 21, completionTokens: 6 },
      { type: 'finish', reason: 'stop' },
    ]);
    const [req] = upstream.requests;
    expect(req?.path).toBe('/v1/messages');
    expect(req?.headers['x-api-key']).toBe('sk-ant-test');
    expect(req?.headers['anthropic-version']).toBe('2023-06-01');
    expect(req?.body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true, max_tokens: 4096 });
  });

  it('streams parallel tool_use blocks as tool calls indexed from 0 with fragmented arguments', async () => {
    const a = JSON.stringify({ query: 'weather in Paris' });
    const b = JSON.stringify({ query: 'weather in Rome', limit: 3 });
    upstream.push({ text: 'Let me check.', toolCalls: [{ name: 'search', arguments: a, id: 'toolu_A' }, { name: 'search', arguments: b }], chunkSize: 4 });
    const chunks = await collect(model.stream(request()));
    expect(text(chunks)).toBe('Let me check.');
    const calls = chunks.filter((c): c is Extract<ChatChunk, { type: 'tool_call' }> => c.type === 'tool_call');
    expect(calls[0]).toEqual({ type: 'tool_call', index: 0, id: 'toolu_A', name: 'search' });
    expect(calls.find((c) => c.index === 1)).toMatchObject({ name: 'search', id: expect.stringMatching(/^toolu_/) });
    expect(calls.filter((c) => c.index === 0).map((c) => c.argumentsDelta ?? '').join('')).toBe(a);
    expect(calls.filter((c) => c.index === 1).map((c) => c.argumentsDelta ?? '').join('')).toBe(b);
    expect(calls.filter((c) => c.argumentsDelta !== undefined).length).toBeGreaterThan(4);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('gives a tool call with no input the arguments "{}"', async () => {
    upstream.push({ toolCalls: [{ name: 'now', arguments: '' }] });
    const chunks = await collect(model.stream(request()));
    const args = chunks.flatMap((c) => (c.type === 'tool_call' && c.argumentsDelta ? [c.argumentsDelta] : [])).join('');
    expect(args).toBe('{}');
  });

  it.each([
    ['stop', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
  ] as const)('maps stop_reason for %s to %s', async (scripted, reason) => {
    upstream.push({ text: 'x', finishReason: scripted });
    expect((await collect(model.stream(request()))).at(-1)).toEqual({ type: 'finish', reason });
  });

  it('maps 429 with retry-after to a retryable rate_limit_exceeded', async () => {
    upstream.push({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' } },
    });
    const err = await failure(model.stream(request()));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err).toMatchObject({ kind: 'rate_limit_exceeded', retryable: true, status: 429, retryAfterMs: 7000 });
    expect((err as Error).message).toContain('exceeded your rate limit');
  });

  it('maps 529 overloaded and 500 to retryable server_error, 400 to invalid_prompt', async () => {
    upstream.push(
      { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
      { status: 500 },
      { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: field required' } } },
    );
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 529 });
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 500 });
    const bad = await failure(model.stream(request()));
    expect(bad).toMatchObject({ kind: 'invalid_prompt', retryable: false, status: 400 });
    expect((bad as Error).message).toContain('messages: field required');
  });

  it('maps a malformed stream to a non-retryable server_error', async () => {
    upstream.push({ malformed: true });
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('aborts mid-stream: the generator throws the abort reason and the server sees the abort', async () => {
    upstream.push({ hang: true });
    const controller = new AbortController();
    const run = collect(model.stream(request(), controller.signal));
    await waitFor(() => upstream.requests.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    await waitFor(() => upstream.requests[0]?.aborted === true);
  });
});

describe('AnthropicModel stream events (custom bodies)', () => {
  const events = (...evs: Array<[string, unknown]>) =>
    new AnthropicModel({
      apiKey: 'k',
      baseUrl: 'http://anthropic.invalid',
      fetch: async () => new Response(evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('')),
    });

  it('maps an error event (overloaded_error retryable), and a stream without message_stop', async () => {
    const overloaded = events(
      ['message_start', { type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 1 } } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    );
    expect(await failure(overloaded.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true });
    const invalid = events(['error', { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }]);
    expect(await failure(invalid.stream(request()))).toMatchObject({ kind: 'server_error', retryable: false });
    const truncated = events(['message_start', { type: 'message_start', message: { usage: { input_tokens: 3 } } }]);
    expect(await failure(truncated.stream(request()))).toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('counts cached input tokens as prompt tokens, reports them as cached, and ignores thinking blocks', async () => {
    const chunks = await collect(
      events(
        ['message_start', { type: 'message_start', message: { usage: { input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 } } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }],
        ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 9 } }],
        ['message_stop', { type: 'message_stop' }],
      ).stream(request()),
    );
    expect(chunks).toEqual([
      { type: 'text', delta: 'Hi' },
      { type: 'usage', promptTokens: 105, completionTokens: 9, cachedTokens: 100 },
      { type: 'finish', reason: 'length' },
    ]);
  });
});

describe('buildAnthropicBody', () => {
  it('translates system, images, tool calls and merged tool results', () => {
    const body = buildAnthropicBody({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"what":"cat"}' } },
            { id: 'call_2', type: 'function', function: { name: 'look', arguments: 'not json' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'tool', tool_call_id: 'call_2', content: 'a dog' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        { type: 'function', function: { name: 'look', description: 'Look at a thing', parameters: { type: 'object', properties: { what: { type: 'string' } } } } },
        { type: 'function', function: { name: 'noop' } },
      ],
      toolChoice: 'required',
      parallelToolCalls: false,
      maxTokens: 500,
      temperature: 1.6,
      topP: 1,
    });
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      stream: true,
      system: 'You are terse.',
      temperature: 1,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_1', name: 'look', input: { what: 'cat' } },
            { type: 'tool_use', id: 'call_2', name: 'look', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'a cat' },
            { type: 'tool_result', tool_use_id: 'call_2', content: 'a dog' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      tools: [
        { name: 'look', description: 'Look at a thing', input_schema: { type: 'object', properties: { what: { type: 'string' } } } },
        { name: 'noop', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
  });

  it('maps tool_choice none/auto/named and leaves it out when unset', () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const choice = (toolChoice?: ChatRequest['toolChoice']) => buildAnthropicBody(request({ tools, toolChoice })).tool_choice;
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice({ type: 'function', function: { name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice(undefined)).toBeUndefined();
    expect(buildAnthropicBody(request({ toolChoice: 'auto' })).tool_choice).toBeUndefined();
  });

  it('asks for JSON in the system prompt for json_object and json_schema', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const withSchema = buildAnthropicBody(
      request({
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Q' }],
        responseFormat: { type: 'json_schema', json_schema: { name: 'answer', schema } },
      }),
    );
    expect(withSchema.system).toMatch(/^Be brief\.\n\nRespond with a single valid JSON value/);
    expect(withSchema.system).toContain(JSON.stringify(schema));
    expect(buildAnthropicBody(request({ responseFormat: { type: 'json_object' } })).system).toMatch(/JSON object/);
    expect(buildAnthropicBody(request({ responseFormat: { type: 'text' } })).system).toBeUndefined();
  });

  it('sends top_p only when it is the sampling setting actually changed', () => {
    expect(buildAnthropicBody(request({ temperature: 1, topP: 0.5 }))).toMatchObject({ top_p: 0.5 });
    expect(buildAnthropicBody(request({ temperature: 1, topP: 0.5 }))).not.toHaveProperty('temperature');
    expect(buildAnthropicBody(request({ temperature: 0.3, topP: 0.5 }))).toMatchObject({ temperature: 0.3 });
    expect(buildAnthropicBody(request({ temperature: 0.3, topP: 0.5 }))).not.toHaveProperty('top_p');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
