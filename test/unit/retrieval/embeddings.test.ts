import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbedder,
  EmbeddingError,
  OpenAICompatibleEmbedder,
  WorkersAIEmbedder,
} from '../../../src/adapters/embeddings';
import { mapWorkersAIEmbeddingError } from '../../../src/adapters/embeddings/workers-ai';
import { readConfig } from '../../../src/config';
import type { Env } from '../../../src/env';
import { hashEmbedding, startEmbeddingsUpstream, type EmbeddingsUpstream } from '../../support/embeddings-upstream';

async function rejection(p: Promise<unknown>): Promise<EmbeddingError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(EmbeddingError);
    return err as EmbeddingError;
  }
  throw new Error('expected a rejection');
}

describe('OpenAICompatibleEmbedder (against the local embeddings upstream)', () => {
  let upstream: EmbeddingsUpstream;
  beforeAll(async () => {
    upstream = await startEmbeddingsUpstream({ apiKey: 'sk-emb' });
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('embeds in order, in batches, with auth, learning the dimension', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: `${upstream.url}/`, apiKey: 'sk-emb', model: 'local-hash', batchSize: 2 });
    expect(embedder.dimensions).toBe(0);
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const before = upstream.requests.length;
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((t) => hashEmbedding(t)));
    const sent = upstream.requests.slice(before);
    expect(sent.map((r) => r.body.input)).toEqual([['one', 'two'], ['three', 'four'], ['five']]);
    expect(sent[0]!.body).toEqual({ model: 'local-hash', input: ['one', 'two'] });
    expect(sent[0]!.headers.authorization).toBe('Bearer sk-emb');
    expect(embedder.dimensions).toBe(256);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('sends configured dimensions, knows OpenAI defaults, replaces blank inputs and truncates long ones', async () => {
    expect(new OpenAICompatibleEmbedder({ baseUrl: upstream.url }).dimensions).toBe(1536);
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: upstream.url, apiKey: 'sk-emb', dimensions: 32, maxInputTokens: 10 });
    const before = upstream.requests.length;
    const long = 'x'.repeat(100);
    const [blank, windowed] = await embedder.embed(['  ', long]);
    expect(blank).toHaveLength(32);
    expect(windowed).toHaveLength(32);
    // The long text is embedded in windows of ≤ floor(10 × 0.85) = 8 estimated tokens that together are the whole text.
    const body = upstream.requests[before]!.body as { dimensions: number; input: string[] };
    expect(body.dimensions).toBe(32);
    expect(body.input[0]).toBe(' ');
    expect(body.input.slice(1).join('')).toBe(long);
    expect(body.input.length).toBeGreaterThan(2);
    // Its vector is the normalised mean of the windows' vectors.
    expect(Math.hypot(...windowed!)).toBeCloseTo(1, 6);
  });

  it('maps HTTP failures to typed errors with a retry flag', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: upstream.url, apiKey: 'sk-emb' });
    upstream.failNext({ status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Slow down' } } });
    const limited = await rejection(embedder.embed(['a']));
    expect(limited).toMatchObject({ kind: 'rate_limit_exceeded', retryable: true, status: 429, retryAfterMs: 3000 });
    expect(limited.message).toContain('Slow down');

    upstream.failNext({ status: 502 });
    expect(await rejection(embedder.embed(['a']))).toMatchObject({ kind: 'server_error', retryable: true, status: 502 });

    const badKey = new OpenAICompatibleEmbedder({ baseUrl: upstream.url, apiKey: 'wrong' });
    const unauthorized = await rejection(badKey.embed(['a']));
    expect(unauthorized).toMatchObject({ kind: 'invalid_request', retryable: false, status: 401 });
    expect(unauthorized.message).toContain('Incorrect API key');

    const nowhere = new OpenAICompatibleEmbedder({ baseUrl: 'http://127.0.0.1:1/v1' });
    expect(await rejection(nowhere.embed(['a']))).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('halves the input limit when the upstream says an input is too long', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: upstream.url, apiKey: 'sk-emb' });
    upstream.failNext({ status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens, however you requested 9000 tokens." } } });
    const before = upstream.requests.length;
    const [v] = await embedder.embed(['y'.repeat(3000)]);
    expect(v).toHaveLength(256);
    const sent = upstream.requests.slice(before).map((r) => r.body.input as string[]);
    expect(sent[0]).toEqual(['y'.repeat(3000)]);
    // Retried in windows of half the text's estimated tokens: more, shorter inputs, the whole text still covered.
    expect(sent[1]!.length).toBeGreaterThan(1);
    expect(sent[1]!.join('')).toBe('y'.repeat(3000));
    expect(Math.max(...sent[1]!.map((t) => t.length))).toBeLessThanOrEqual(1500);
  });

  it('orders data by index and rejects malformed responses', async () => {
    const shuffled = async () =>
      Response.json({ data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }] });
    const ordered = new OpenAICompatibleEmbedder({ baseUrl: 'http://x', fetch: shuffled });
    expect(await ordered.embed(['a', 'b'])).toEqual([[1, 0], [0, 1]]);

    const short = new OpenAICompatibleEmbedder({ baseUrl: 'http://x', fetch: async () => Response.json({ data: [{ index: 0, embedding: [1] }] }) });
    expect(await rejection(short.embed(['a', 'b']))).toMatchObject({ kind: 'server_error', retryable: false });
    const wrongDims = new OpenAICompatibleEmbedder({ baseUrl: 'http://x', dimensions: 3, fetch: async () => Response.json({ data: [{ index: 0, embedding: [1, 2] }] }) });
    expect((await rejection(wrongDims.embed(['a']))).message).toMatch(/2-dimensional.*expected 3/);
    const html = new OpenAICompatibleEmbedder({ baseUrl: 'http://x', fetch: async () => new Response('<html>oops</html>', { status: 200 }) });
    expect(await rejection(html.embed(['a']))).toMatchObject({ kind: 'server_error' });
  });

  it('passes an abort through as the signal\'s reason', async () => {
    const controller = new AbortController();
    const hang = new OpenAICompatibleEmbedder({
      baseUrl: 'http://x',
      fetch: (_url, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    const pending = hang.embed(['a'], controller.signal);
    controller.abort(new Error('cancelled by test'));
    await expect(pending).rejects.toThrow('cancelled by test');
  });
});

describe('WorkersAIEmbedder', () => {
  function fakeAi(handler?: (model: string, inputs: { text: string[]; pooling?: string }) => unknown) {
    const calls: Array<{ model: string; inputs: { text: string[]; pooling?: string } }> = [];
    const ai = {
      run: async (model: string, inputs: { text: string[]; pooling?: string }) => {
        calls.push({ model, inputs });
        if (handler) return handler(model, inputs);
        return { shape: [inputs.text.length, 768], data: inputs.text.map((t) => Array.from({ length: 768 }, (_, i) => (i === 0 ? t.length : 0))) };
      },
    };
    return { ai: ai as unknown as Ai, calls };
  }

  it('batches ≤ 100 inputs, uses cls pooling for BGE and embeds a text longer than 512 tokens in windows', async () => {
    const { ai, calls } = fakeAi();
    const embedder = new WorkersAIEmbedder(ai);
    expect(embedder.model).toBe('@cf/baai/bge-base-en-v1.5');
    expect(embedder.dimensions).toBe(768);
    const texts = Array.from({ length: 250 }, (_, i) => (i === 0 ? 'z'.repeat(5000) : `text ${i}`));
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(250);
    const sent = calls.flatMap((c) => c.inputs.text);
    const windows = sent.length - 249;
    expect(windows).toBeGreaterThan(2); // 5,000 letters ≈ 1,200 tokens: three windows of ≤ 435
    expect(sent.slice(0, windows).join('')).toBe('z'.repeat(5000));
    expect(calls.map((c) => c.inputs.text.length)).toEqual([100, 100, 49 + windows]);
    expect(calls[0]!.inputs.pooling).toBe('cls');
    expect(vectors[0]![0]).toBeCloseTo(1, 6); // the windows' mean, normalised (the fake's vectors are [length, 0, …])
    expect(vectors[1]![0]).toBe('text 1'.length);
  });

  it('maps binding errors and validates output', async () => {
    const capacity = new WorkersAIEmbedder(fakeAi(() => Promise.reject(new Error('3040: Capacity temporarily exceeded'))).ai);
    expect(await rejection(capacity.embed(['a']))).toMatchObject({ kind: 'rate_limit_exceeded', retryable: true });
    const broken = new WorkersAIEmbedder(fakeAi(() => ({ shape: [1, 2], data: [[1, 2]] })).ai);
    expect((await rejection(broken.embed(['a']))).message).toMatch(/2-dimensional.*expected 768/);
    expect(mapWorkersAIEmbeddingError(new Error('5007: No such model'))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(mapWorkersAIEmbeddingError(new Error('network lost'))).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('learns the dimension of models it does not know', async () => {
    const { ai } = fakeAi((_m, inputs) => ({ shape: [inputs.text.length, 3], data: inputs.text.map(() => [1, 2, 3]) }));
    const embedder = new WorkersAIEmbedder(ai, { model: '@cf/some/new-embedder' });
    expect(embedder.dimensions).toBe(0);
    await embedder.embed(['a']);
    expect(embedder.dimensions).toBe(3);
  });
});

describe('createEmbedder', () => {
  const env = (vars: Partial<Env>) => ({ ...vars }) as Env;
  const ai = { run: async () => ({}) } as unknown as Ai;

  it('prefers an OpenAI-compatible endpoint, then Workers AI, else none', () => {
    const openai = createEmbedder(
      readConfig(env({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_DIMENSIONS: '512', EMBEDDINGS_BATCH_SIZE: '10' })),
      { AI: ai },
    );
    expect(openai).toBeInstanceOf(OpenAICompatibleEmbedder);
    expect(openai).toMatchObject({ model: 'text-embedding-3-small', dimensions: 512 });

    const workers = createEmbedder(readConfig(env({})), { AI: ai });
    expect(workers).toBeInstanceOf(WorkersAIEmbedder);
    expect(workers).toMatchObject({ model: '@cf/baai/bge-base-en-v1.5', dimensions: 768 });

    const m3 = createEmbedder(readConfig(env({ EMBEDDINGS_MODEL: '@cf/baai/bge-m3' })), { AI: ai });
    expect(m3).toMatchObject({ model: '@cf/baai/bge-m3', dimensions: 1024 });

    expect(createEmbedder(readConfig(env({})), {})).toBeNull();
  });

  it('reports bad settings by name', () => {
    expect(() => readConfig(env({ EMBEDDINGS_DIMENSIONS: 'many' }))).toThrow(/Invalid configuration: EMBEDDINGS_DIMENSIONS: EMBEDDINGS_DIMENSIONS must be a whole number/);
    expect(() => readConfig(env({ EMBEDDINGS_BASE_URL: 'not a url' }))).toThrow(/Invalid configuration: EMBEDDINGS_BASE_URL: /);
  });
});
