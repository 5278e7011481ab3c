import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicModel } from '../../../src/adapters/models/anthropic';
import { OpenAICompatibleModel } from '../../../src/adapters/models/openai-compatible';
import { createModelRouter } from '../../../src/adapters/models/router';
import { WorkersAIModel, buildWorkersAIInputs, mapWorkersAIError } from '../../../src/adapters/models/workers-ai';
import { readConfig } from '../../../src/config';
import type { Env } from '../../../src/env';
import type { ChatChunk, ChatRequest } from '../../../src/domain/ports';
import { startScriptedUpstream } from '../../support/scripted-upstream';
import type { ScriptedUpstream } from '../../support/scripted-upstream';

/**
 * Workers AI has no local emulation (docs/platform-limits.md §4, §5: neither Vectorize nor Workers AI run under
 * wrangler/miniflare offline), so the WorkersAIModel tests use a fake `Ai` binding whose run()
 * returns what the real binding returns: a ReadableStream of SSE bytes with `stream: true`, or the
 * parsed result object otherwise. Every other provider is tested over real HTTP.
 */
interface RunCall {
  model: string;
  inputs: Record<string, unknown>;
  options?: { signal?: AbortSignal };
}
function fakeAi(reply: (call: RunCall) => unknown | Promise<unknown>): { ai: Ai; calls: RunCall[] } {
  const calls: RunCall[] = [];
  const ai = {
    async run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }) {
      const call = { model, inputs, options };
      calls.push(call);
      return reply(call);
    },
  };
  return { ai: ai as unknown as Ai, calls };
}

function sseStream(lines: string[], opts: { hangAfter?: boolean } = {}): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const l of lines) controller.enqueue(enc.encode(`data: ${l}\n\n`));
      if (!opts.hangAfter) controller.close();
    },
  });
}

const env = (vars: Partial<Env>): Env => vars as Env;

async function collect(iter: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iter) out.push(c);
  return out;
}

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: '@cf/meta/llama-3.1-8b-instruct',
  messages: [{ role: 'user', content: 'Hi' }],
  ...over,
});

describe('createModelRouter', () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it('routes by name: @cf/ to Workers AI, claude- to Anthropic, the rest to the OpenAI-compatible upstream', () => {
    const { ai } = fakeAi(() => ({}));
    const config = readConfig(env({ OPENAI_BASE_URL: upstream.url, ANTHROPIC_API_KEY: 'sk-ant' }));
    const router = createModelRouter(config, { AI: ai });
    expect(router.providerFor('@cf/meta/llama-3.1-8b-instruct')).toBe('workers-ai');
    expect(router.providerFor('claude-sonnet-4-5')).toBe('anthropic');
    expect(router.providerFor('gpt-4o-mini')).toBe('openai');
    expect(router.providers['workers-ai']).toBeInstanceOf(WorkersAIModel);
    expect(router.providers.anthropic).toBeInstanceOf(AnthropicModel);
    expect(router.providers.openai).toBeInstanceOf(OpenAICompatibleModel);
    expect(router.resolve('gpt-4o')).toBeDefined();
    expect(router.resolve('')).toBeUndefined();
  });

  it('returns undefined when no provider is configured for the name', () => {
    const router = createModelRouter(readConfig(env({})), {});
    expect(router.resolve('gpt-4o')).toBeUndefined();
    expect(router.resolve('@cf/meta/llama-3.1-8b-instruct')).toBeUndefined();
    expect(router.resolve('claude-sonnet-4-5')).toBeUndefined();
    const onlyAi = createModelRouter(readConfig(env({})), { AI: fakeAi(() => ({})).ai });
    expect(onlyAi.resolve('gpt-4o')).toBeUndefined();
  });

  it('falls back to the OpenAI-compatible upstream for @cf/ and claude- names when their provider is missing', () => {
    const router = createModelRouter(readConfig(env({ OPENAI_API_KEY: 'sk-x' })), {});
    expect(router.providerFor('@cf/meta/llama-3.1-8b-instruct')).toBe('openai');
    expect(router.providerFor('claude-sonnet-4-5')).toBe('openai');
  });

  it('lets MODEL_ROUTES override the defaults, longest prefix first, and is strict about it', () => {
    const config = readConfig(
      env({
        OPENAI_API_KEY: 'sk-x',
        ANTHROPIC_API_KEY: 'sk-ant',
        MODEL_ROUTES: JSON.stringify({ 'claude-': 'openai', 'claude-opus-4': 'anthropic', 'llama-': 'workers-ai' }),
      }),
    );
    const router = createModelRouter(config, {});
    expect(router.providerFor('claude-sonnet-4-5')).toBe('openai');
    expect(router.providerFor('claude-opus-4-1')).toBe('anthropic');
    // Routed to Workers AI, which has no binding here: unavailable rather than sent elsewhere.
    expect(router.resolve('llama-3')).toBeUndefined();
  });

  it('rejects an invalid MODEL_ROUTES setting', () => {
    expect(() => readConfig(env({ MODEL_ROUTES: '{not json' }))).toThrow(/Invalid configuration: MODEL_ROUTES: MODEL_ROUTES must be a JSON object/);
    expect(() => readConfig(env({ MODEL_ROUTES: '{"gpt-":"azure"}' }))).toThrow(/MODEL_ROUTES/);
    expect(readConfig(env({ MODELS: ' a, ,b ,' })).models).toEqual(['a', 'b']);
  });

  it('lists upstream models plus MODELS, deduplicated, owned by the provider they route to', async () => {
    const { ai } = fakeAi(() => ({}));
    const config = readConfig(
      env({
        OPENAI_BASE_URL: upstream.url,
        ANTHROPIC_API_KEY: 'sk-ant',
        MODELS: '@cf/meta/llama-3.1-8b-instruct, claude-sonnet-4-5, gpt-4o',
      }),
    );
    expect(await createModelRouter(config, { AI: ai }).list()).toEqual([
      { id: 'gpt-4o-mini', created: 1_700_000_000, owned_by: 'openai' },
      { id: 'gpt-4o', created: 1_700_000_000, owned_by: 'openai' },
      { id: 'o3-mini', created: 1_700_000_000, owned_by: 'openai' },
      { id: 'contract-priced-model', created: 1_700_000_000, owned_by: 'openai' },
      { id: 'contract-unpriced-model', created: 1_700_000_000, owned_by: 'openai' },
      { id: '@cf/meta/llama-3.1-8b-instruct', created: 0, owned_by: 'workers-ai' },
      { id: 'claude-sonnet-4-5', created: 0, owned_by: 'anthropic' },
    ]);
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
  });

  it('lists only MODELS that some provider can serve, and reports an unreachable upstream instead of listing nothing', async () => {
    const config = readConfig(env({ UPSTREAM_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', MODELS: 'gpt-x' }));
    await expect(createModelRouter(config, {}).list()).rejects.toMatchObject({
      kind: 'server_error',
      message: expect.stringContaining('Could not reach the OpenAI-compatible upstream http://127.0.0.1:1/v1'),
    });
    const none = readConfig(env({ MODELS: 'gpt-x,claude-3' }));
    expect(await createModelRouter(none, {}).list()).toEqual([]);
  });

  it('streams through the resolved OpenAI-compatible and Anthropic providers over HTTP', async () => {
    const config = readConfig(env({ OPENAI_BASE_URL: upstream.url, ANTHROPIC_API_KEY: 'sk-ant', ANTHROPIC_BASE_URL: upstream.anthropicUrl }));
    const router = createModelRouter(config, {});
    upstream.push({ match: 'to openai' }, { text: 'from openai' });
    upstream.push({ match: 'to claude' }, { text: 'from claude' });
    const viaOpenAI = await collect(router.resolve('gpt-4o')!.stream(request({ model: 'gpt-4o', messages: [{ role: 'user', content: 'to openai' }] })));
    const viaClaude = await collect(router.resolve('claude-3-5-haiku')!.stream(request({ model: 'claude-3-5-haiku', messages: [{ role: 'user', content: 'to claude' }] })));
    expect(viaOpenAI[0]).toEqual({ type: 'text', delta: 'from o' });
    expect(viaClaude.filter((c) => c.type === 'text').map((c) => (c as { delta: string }).delta).join('')).toBe('from claude');
    expect(upstream.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
  });
});

describe('WorkersAIModel (fake binding: Workers AI cannot run locally)', () => {
  it('streams `response` deltas with usage, ending at [DONE]', async () => {
    const { ai, calls } = fakeAi(() =>
      sseStream([
        JSON.stringify({ response: 'Hel', p: 'abc' }),
        JSON.stringify({ response: 'lo!' }),
        JSON.stringify({ response: '', usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }),
        '[DONE]',
      ]),
    );
    const chunks = await collect(new WorkersAIModel(ai).stream(request({ temperature: 0.5, topP: 0.8, maxTokens: 64 })));
    expect(chunks).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo!' },
      { type: 'usage', promptTokens: 12, completionTokens: 3 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(calls[0]?.model).toBe('@cf/meta/llama-3.1-8b-instruct');
    expect(calls[0]?.inputs).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      max_tokens: 64,
      temperature: 0.5,
      top_p: 0.8,
    });
  });

  it('reports length when the completion used the whole token budget', async () => {
    const { ai } = fakeAi(() => sseStream([JSON.stringify({ response: 'x', usage: { prompt_tokens: 1, completion_tokens: 10 } }), '[DONE]']));
    expect((await collect(new WorkersAIModel(ai).stream(request({ maxTokens: 10 })))).at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('calls without streaming when tools are present and normalises tool calls', async () => {
    const { ai, calls } = fakeAi(() => ({
      response: null,
      tool_calls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_time', arguments: '{"tz":"UTC"}' },
      ],
      usage: { prompt_tokens: 40, completion_tokens: 9 },
    }));
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const chunks = await collect(new WorkersAIModel(ai).stream(request({ tools })));
    expect(calls[0]?.inputs.stream).toBeUndefined();
    expect(calls[0]?.inputs.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: '', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    const toolChunks = chunks.filter((c) => c.type === 'tool_call');
    expect(toolChunks).toEqual([
      { type: 'tool_call', index: 0, id: expect.stringMatching(/^call_[0-9A-Za-z]{24}$/), name: 'get_weather', argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool_call', index: 1, id: expect.stringMatching(/^call_[0-9A-Za-z]{24}$/), name: 'get_time', argumentsDelta: '{"tz":"UTC"}' },
    ]);
    expect((toolChunks[0] as { id: string }).id).not.toBe((toolChunks[1] as { id: string }).id);
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', promptTokens: 40, completionTokens: 9 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('translates messages, tool history and response_format', () => {
    const inputs = buildWorkersAIInputs(
      request({
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }, { type: 'text', text: 'b' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '42' },
        ],
        responseFormat: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } },
      }),
      100,
      true,
    );
    expect(inputs.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'a\nb' },
      {
        role: 'assistant',
        content: '{"name":"f","parameters":{"x":1}}',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', name: 'f', content: '42' },
    ]);
    expect(inputs.response_format).toEqual({ type: 'json_schema', json_schema: { type: 'object' } });
  });

  it('maps binding errors: rate limits retryable, others server_error retryable', async () => {
    const { ai } = fakeAi(() => {
      throw new Error('AiError: 429 Too Many Requests');
    });
    await expect(collect(new WorkersAIModel(ai).stream(request()))).rejects.toMatchObject({ kind: 'rate_limit_exceeded', retryable: true });
    expect(mapWorkersAIError(new Error('3040: Capacity temporarily exceeded'))).toMatchObject({ kind: 'rate_limit_exceeded' });
    expect(mapWorkersAIError(new Error('InferenceUpstreamError: upstream failed'))).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('fails a stream that ends without [DONE] as a non-retryable server_error', async () => {
    const { ai } = fakeAi(() => sseStream([JSON.stringify({ response: 'x' })]));
    await expect(collect(new WorkersAIModel(ai).stream(request()))).rejects.toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('passes the signal to run() and ends a hanging stream with the abort reason', async () => {
    const { ai, calls } = fakeAi(() => sseStream([JSON.stringify({ response: 'partial' })], { hangAfter: true }));
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const reason = new Error('cancelled');
    const run = (async () => {
      for await (const c of new WorkersAIModel(ai).stream(request(), controller.signal)) {
        seen.push(c);
        controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(seen).toEqual([{ type: 'text', delta: 'partial' }]);
    expect(calls[0]?.options?.signal).toBe(controller.signal);
  });
});
