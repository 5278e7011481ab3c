// OpenAICompatibleModel against the scripted upstream when all goes well: the Chat Completions
// request it sends, the chunks it makes of the stream, the model list; then streams no scripted
// upstream sends (custom response bodies).
import { describe, expect, it } from 'vitest';
import { OpenAICompatibleModel } from '../../../src/adapters/models/openai-compatible';
import type { ChatChunk } from '../../../src/domain/ports';
import { DEFAULT_TEXT } from '../../support/scripted-upstream';
import { collect, failure, request, text, useScriptedModel } from './openai-compatible-helpers';

const fx = useScriptedModel();

describe('OpenAICompatibleModel', () => {
  it('streams text deltas, then usage, then finish', async () => {
    fx.upstream.push({ text: 'The quick brown fox jumps.', chunkSize: 4, usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const chunks = await collect(fx.model.stream(request()));
    expect(text(chunks)).toBe('The quick brown fox jumps.');
    expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(3);
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 11, completionTokens: 7 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reports the cached and reasoning tokens of usage.*_tokens_details', async () => {
    fx.upstream.push({ text: 'Hi', usage: { prompt_tokens: 2048, completion_tokens: 300, cached_tokens: 1024, reasoning_tokens: 256 } });
    const chunks = await collect(fx.model.stream(request()));
    expect(chunks.find((c) => c.type === 'usage')).toEqual({ type: 'usage', promptTokens: 2048, completionTokens: 300, cachedTokens: 1024, reasoningTokens: 256 });
  });

  it('sends the Chat Completions request body and Bearer auth', async () => {
    await collect(
      fx.model.stream(
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
    const [req] = fx.upstream.requests;
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
    await collect(fx.model.stream(request({ parallelToolCalls: true, toolChoice: 'auto', temperature: null, reasoningEffort: null })));
    const body = fx.upstream.requests[0]?.body;
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
  });

  it('streams parallel tool calls with fragmented arguments', async () => {
    const args1 = JSON.stringify({ city: 'Paris', unit: 'celsius' });
    const args2 = JSON.stringify({ city: 'Tokyo', unit: 'fahrenheit' });
    fx.upstream.push({
      toolCalls: [
        { name: 'get_weather', arguments: args1, id: 'call_one' },
        { name: 'get_weather', arguments: args2 },
      ],
      chunkSize: 5,
    });
    const chunks = await collect(fx.model.stream(request()));
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
    const chunks = await collect(fx.model.stream(request()));
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
    fx.upstream.push({ text: 'x', finishReason: upstreamReason });
    const chunks = await collect(fx.model.stream(request()));
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason });
  });

  it('routes keyed scripts to the request that matches, leaving others the unkeyed ones', async () => {
    fx.upstream.push({ match: 'secret-key-A' }, { text: 'for A' });
    fx.upstream.push({ text: 'for anyone' });
    const [other, a] = await Promise.all([
      collect(fx.model.stream(request())),
      collect(fx.model.stream(request({ messages: [{ role: 'user', content: 'secret-key-A please' }] }))),
    ]);
    expect(text(a)).toBe('for A');
    expect(text(other)).toBe('for anyone');
  });

  it('lists upstream models; an unreachable upstream is an error naming it, not an empty list', async () => {
    expect(await fx.model.listModels()).toEqual([
      { id: 'gpt-4o-mini', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'gpt-4o', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'o3-mini', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'contract-priced-model', created: 1_700_000_000, owned_by: 'scripted' },
      { id: 'contract-unpriced-model', created: 1_700_000_000, owned_by: 'scripted' },
    ]);
    expect(fx.upstream.requests[0]?.headers.authorization).toBe('Bearer sk-test-upstream');
    await expect(new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:1/v1' }).listModels()).rejects.toThrow(
      /Could not reach the OpenAI-compatible upstream http:\/\/127.0.0.1:1\/v1/,
    );
  });
});

describe('OpenAICompatibleModel stream edge cases (custom upstream bodies)', () => {
  const sse = (...events: string[]) => {
    const body = events.map((e) => `data: ${e}\n\n`).join('');
    return new OpenAICompatibleModel({
      baseUrl: 'http://fx.upstream.invalid/v1',
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
