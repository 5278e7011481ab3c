import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleModel, retryAfterMs } from '../../../src/adapters/models/openai-compatible';
import { ChatModelError } from '../../../src/domain/ports';
import type { ChatChunk, ChatRequest } from '../../../src/domain/ports';
import { DEFAULT_TEXT, startScriptedUpstream } from '../../support/scripted-upstream';
import type { ScriptedUpstream } from '../../support/scripted-upstream';

let upstream: ScriptedUpstream;
let model: OpenAICompatibleModel;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  model = new OpenAICompatibleModel({ baseUrl: upstream.url, apiKey: 'sk-test-upstream', headers: { 'x-extra': 'yes' } });
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
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

describe('OpenAICompatibleModel', () => {
  it('streams text deltas, then usage, then finish', async () => {
    upstream.push({ text: 'The quick brown fox jumps.', chunkSize: 4, usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const chunks = await collect(model.stream(request()));
    expect(text(chunks)).toBe('The quick brown fox jumps.');
    expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(3);
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 11, completionTokens: 7 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reports the cached and reasoning tokens of usage.*_tokens_details', async () => {
    upstream.push({ text: 'Hi', usage: { prompt_tokens: 2048, completion_tokens: 300, cached_tokens: 1024, reasoning_tokens: 256 } });
    const chunks = await collect(model.stream(request()));
    expect(chunks.find((c) => c.type === 'usage')).toEqual({ type: 'usage', promptTokens: 2048, completionTokens: 300, cachedTokens: 1024, reasoningTokens: 256 });
  });

  it('sends the Chat Completions request body and Bearer auth', async () => {
    await collect(
      model.stream(
        request({
          temperature: 0.2,
          topP: 0.9,
          maxTokens: 123,
          responseFormat: { type: 'json_object' },
          reasoningEffort: 'low',
          tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
          toolChoice: 'auto',
          parallelToolCalls: false,
        }),
      ),
    );
    const [req] = upstream.requests;
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test-upstream');
    expect(req?.headers['x-extra']).toBe('yes');
    expect(req?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      response_format: { type: 'json_object' },
      max_completion_tokens: 123,
      reasoning_effort: 'low',
    });
  });

  it('omits tool settings without tools and unset optional fields', async () => {
    await collect(model.stream(request({ parallelToolCalls: true, toolChoice: 'auto', temperature: null, reasoningEffort: null })));
    const body = upstream.requests[0]?.body;
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
  });

  it('streams parallel tool calls with fragmented arguments', async () => {
    const args1 = JSON.stringify({ city: 'Paris', unit: 'celsius' });
    const args2 = JSON.stringify({ city: 'Tokyo', unit: 'fahrenheit' });
    upstream.push({
      toolCalls: [
        { name: 'get_weather', arguments: args1, id: 'call_one' },
        { name: 'get_weather', arguments: args2 },
      ],
      chunkSize: 5,
    });
    const chunks = await collect(model.stream(request()));
    const calls = chunks.filter((c): c is Extract<ChatChunk, { type: 'tool_call' }> => c.type === 'tool_call');
    // id and name only on each call's first chunk; then several argument fragments.
    expect(calls[0]).toEqual({ type: 'tool_call', index: 0, id: 'call_one', name: 'get_weather' });
    const second = calls.find((c) => c.index === 1 && c.id);
    expect(second?.id).toMatch(/^call_[0-9A-Za-z]{24}$/);
    for (const index of [0, 1]) {
      const mine = calls.filter((c) => c.index === index);
      expect(mine.filter((c) => c.id !== undefined)).toHaveLength(1);
      expect(mine.filter((c) => c.argumentsDelta).length).toBeGreaterThan(3);
      expect(mine.map((c) => c.argumentsDelta ?? '').join('')).toBe(index === 0 ? args1 : args2);
    }
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
    const usage = chunks.find((c) => c.type === 'usage');
    expect(usage).toMatchObject({ type: 'usage' });
  });

  it('estimates usage when the script gives none, and uses the default reply when the queue is empty', async () => {
    const chunks = await collect(model.stream(request()));
    expect(text(chunks)).toBe(DEFAULT_TEXT);
    expect(chunks.find((c) => c.type === 'usage')).toEqual({
      type: 'usage',
      promptTokens: Math.ceil('Say hello'.length / 4),
      completionTokens: Math.ceil(DEFAULT_TEXT.length / 4),
    });
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['something_new', 'other'],
  ] as const)('maps finish_reason %s to %s', async (upstreamReason, reason) => {
    upstream.push({ text: 'x', finishReason: upstreamReason });
    const chunks = await collect(model.stream(request()));
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason });
  });

  it('maps 429 to a retryable rate_limit_exceeded with retry-after-ms', async () => {
    upstream.push({
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '2' },
      body: { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    const err = await failure(model.stream(request()));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err).toMatchObject({ kind: 'rate_limit_exceeded', retryable: true, status: 429, retryAfterMs: 1500 });
    expect((err as Error).message).toContain('Rate limit reached for gpt-4o-mini');
  });

  it('reads retry-after in seconds when retry-after-ms is absent', async () => {
    upstream.push({ status: 429, headers: { 'retry-after': '3' } });
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'rate_limit_exceeded', retryAfterMs: 3000 });
  });

  it('maps 500 and 408 to a retryable server_error', async () => {
    upstream.push({ status: 500 }, { status: 408 });
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 500 });
    expect(await failure(model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 408 });
  });

  it('maps 400 to a non-retryable invalid_prompt carrying the upstream message', async () => {
    upstream.push({
      status: 400,
      body: { error: { message: "Invalid value for 'tool_choice'.", type: 'invalid_request_error', param: 'tool_choice', code: null } },
    });
    const err = await failure(model.stream(request()));
    expect(err).toMatchObject({ kind: 'invalid_prompt', retryable: false, status: 400 });
    expect((err as Error).message).toContain("Invalid value for 'tool_choice'.");
  });

  it('maps a malformed stream to a non-retryable server_error', async () => {
    upstream.push({ malformed: true });
    const err = await failure(model.stream(request()));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err).toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('maps a network failure to a retryable server_error', async () => {
    const dead = new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:1/v1' });
    expect(await failure(dead.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('aborts mid-stream: the generator throws the abort reason and the server sees the abort', async () => {
    upstream.push({ hang: true });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const run = (async () => {
      for await (const c of model.stream(request(), controller.signal)) seen.push(c);
    })();
    await waitFor(() => upstream.requests.length === 1);
    await new Promise((r) => setTimeout(r, 50)); // let the headers and role chunk arrive
    const reason = new Error('run cancelled');
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    await waitFor(() => upstream.requests[0]?.aborted === true);
    expect(seen).toEqual([]);
  });

  it('aborts between text chunks: output so far was delivered, then the abort reason is thrown', async () => {
    upstream.push({ text: 'abcdefgh', chunkSize: 1, chunkDelayMs: 1000 });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const reason = new DOMException('stopped', 'AbortError');
    const run = (async () => {
      for await (const c of model.stream(request(), controller.signal)) {
        seen.push(c);
        controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(seen).toEqual([{ type: 'text', delta: 'a' }]);
    await waitFor(() => upstream.requests[0]?.aborted === true);
  });

  it('throws the abort reason without a request when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(collect(model.stream(request(), controller.signal))).rejects.toThrow('too late');
    expect(upstream.requests).toHaveLength(0);
  });

  it('routes keyed scripts to the request that matches, leaving others the unkeyed ones', async () => {
    upstream.push({ match: 'secret-key-A' }, { text: 'for A' });
    upstream.push({ text: 'for anyone' });
    const [other, a] = await Promise.all([
      collect(model.stream(request())),
      collect(model.stream(request({ messages: [{ role: 'user', content: 'secret-key-A please' }] }))),
    ]);
    expect(text(a)).toBe('for A');
    expect(text(other)).toBe('for anyone');
  });

  it('lists upstream models; an unreachable upstream is an error naming it, not an empty list', async () => {
    expect(await model.listModels()).toEqual([
      { id: 'gpt-4o-mini', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'gpt-4o', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'o3-mini', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'contract-priced-model', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'contract-unpriced-model', created: 1_700_000_000, owned_by: 'scripted' },
    ]);
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-test-upstream');
    await expect(new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:1/v1' }).listModels()).rejects.toThrow(
      /Could not reach the OpenAI-compatible upstream http:\/\/127.0.0.1:1\/v1/,
    );
  });
});

describe('OpenAICompatibleModel stream edge cases (custom upstream bodies)', () => {
  const sse = (...events: string[]) => {
    const body = events.map((e) => `data: ${e}\n\n`).join('');
    return new OpenAICompatibleModel({
      baseUrl: 'http://upstream.invalid/v1',
      fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    });
  };
  const delta = (d: unknown, finish: string | null = null) => JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

  it('fails a stream that ends without finish_reason or [DONE]', async () => {
    const err = await failure(sse(delta({ content: 'partial' })).stream(request()));
    expect(err).toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('fails on an error object inside the stream', async () => {
    const err = await failure(sse(delta({ content: 'a' }), JSON.stringify({ error: { message: 'provider exploded', code: 502 } })).stream(request()));
    expect(err).toMatchObject({ kind: 'server_error', retryable: false });
    expect((err as Error).message).toContain('provider exploded');
  });

  it('accepts [DONE] without a finish_reason, and tool calls reported with finish_reason stop', async () => {
    expect((await collect(sse(delta({ content: 'a' }), '[DONE]').stream(request()))).at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const chunks = await collect(
      sse(delta({ tool_calls: [{ index: 0, id: 'call_x', function: { name: 'f', arguments: '{}' } }] }, 'stop')).stream(request()),
    );
    expect(chunks).toEqual([
      { type: 'tool_call', index: 0, id: 'call_x', name: 'f', argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('passes id and name on only once when a server repeats them, and infers a missing index', async () => {
    const chunks = await collect(
      sse(
        delta({ tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '{"x":' } }] }),
        delta({ tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '1}' } }] }),
        delta({ tool_calls: [{ id: 'call_b', function: { name: 'g', arguments: '{}' } }] }, 'tool_calls'),
      ).stream(request()),
    );
    expect(chunks).toEqual([
      { type: 'tool_call', index: 0, id: 'call_a', name: 'f', argumentsDelta: '{"x":' },
      { type: 'tool_call', index: 0, argumentsDelta: '1}' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'g', argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

describe('retryAfterMs', () => {
  it('parses retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250.5' }))).toBe(251);
    expect(retryAfterMs(new Headers({ 'retry-after': '20' }))).toBe(20_000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': date }))).toBeGreaterThan(8_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
