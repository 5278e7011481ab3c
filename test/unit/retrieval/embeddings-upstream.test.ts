import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../../src/domain/vectors';
import {
  hashEmbedding,
  respond,
  startEmbeddingsUpstream,
  stem,
  type EmbeddingsUpstream,
} from '../../support/embeddings-upstream';

describe('hashEmbedding', () => {
  it('is deterministic, L2-normalised and of the requested size', () => {
    const v = hashEmbedding('The quick brown fox', 64);
    expect(v).toHaveLength(64);
    expect(hashEmbedding('The quick brown fox', 64)).toEqual(v);
    expect(Math.hypot(...v)).toBeCloseTo(1, 12);
    expect(Math.hypot(...hashEmbedding('the of and', 32))).toBeCloseTo(1, 12); // stopwords only
    expect(Math.hypot(...hashEmbedding('', 32))).toBeCloseTo(1, 12);
  });

  it('carries lexical signal: shared words and stems are close, unrelated text is not', () => {
    const sim = (a: string, b: string) => cosine(hashEmbedding(a), hashEmbedding(b));
    const query = 'cats chasing mice in the garden';
    const related = sim(query, 'A cat chased the mice around the garden.');
    const unrelated = sim(query, 'Quarterly revenue grew by eight percent in Europe.');
    expect(related).toBeGreaterThan(0.4);
    expect(Math.abs(unrelated)).toBeLessThan(0.15);
    expect(related).toBeGreaterThan(unrelated + 0.3);
    // Case and accents do not matter; typos still overlap through trigrams.
    expect(sim('Café RESUMÉ', 'cafe resume')).toBeCloseTo(1, 9);
    expect(sim('retrieval augmented generation', 'retreival augmented generation')).toBeGreaterThan(0.5);
  });

  it('ranks the right passage first for a question', () => {
    const passages = [
      'The refund policy allows returns within 30 days of purchase with a receipt.',
      'Our offices are closed on public holidays and weekends.',
      'Shipping to Canada takes five to seven business days.',
    ];
    const q = hashEmbedding('How many days do I have to return a purchase for a refund?');
    const scores = passages.map((p) => cosine(q, hashEmbedding(p)));
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
  });

  it('stems common inflections together', () => {
    expect(stem('cats')).toBe(stem('cat'));
    expect(stem('chasing')).toBe(stem('chased'));
    expect(stem('chase')).toBe(stem('chased'));
    expect(stem('running')).toBe('run');
    expect(stem('stories')).toBe('story');
    expect(stem('classes')).toBe(stem('class'));
  });
});

describe('embeddings upstream server', () => {
  let upstream: EmbeddingsUpstream;
  beforeAll(async () => {
    upstream = await startEmbeddingsUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });

  const post = (body: unknown, path = '/embeddings', headers: Record<string, string> = {}) =>
    fetch(`${upstream.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('answers in OpenAI\'s response shape', async () => {
    const res = await post({ model: 'text-embedding-3-small', input: ['hello world', 'goodbye'] });
    expect(res.status).toBe(200);
    const json = (await res.json()) as any;
    expect(json).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 5, total_tokens: 5 } });
    expect(json.data.map((d: any) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 256],
      ['embedding', 1, 256],
    ]);
    expect(json.data[0].embedding).toEqual(hashEmbedding('hello world'));
    expect(upstream.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/embeddings', body: { input: ['hello world', 'goodbye'] } });
  });

  it('accepts a single string, token arrays, `dimensions` and base64 encoding', async () => {
    const one = (await (await post({ model: 'm', input: 'solo', dimensions: 8 })).json()) as any;
    expect(one.data).toHaveLength(1);
    expect(one.data[0].embedding).toEqual(hashEmbedding('solo', 8));
    const tokens = (await (await post({ model: 'm', input: [[1, 2], [3]] })).json()) as any;
    expect(tokens.data).toHaveLength(2);
    const b64 = (await (await post({ model: 'm', input: 'solo', dimensions: 8, encoding_format: 'base64' })).json()) as any;
    const buf = Buffer.from(b64.data[0].embedding, 'base64');
    const decoded = Array.from({ length: 8 }, (_, i) => buf.readFloatLE(i * 4));
    decoded.forEach((x, i) => expect(x).toBeCloseTo(hashEmbedding('solo', 8)[i]!, 6));
  });

  it('refuses invalid requests with OpenAI\'s error envelope', async () => {
    for (const body of [{ model: 'm', input: '' }, { model: 'm', input: [] }, { model: 'm', input: ['ok', ''] }, { model: 'm', input: [{}] }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'input' } });
    }
    expect((await post({ input: 'x' })).status).toBe(400);
    expect((await post({ model: 'm', input: 'x', encoding_format: 'int8' })).status).toBe(400);
    expect((await post({ model: 'm', input: 'x', dimensions: 0 })).status).toBe(400);
    expect((await post({ model: 'm', input: 'x' }, '/nope')).status).toBe(404);
    expect(respond({ model: 'm', input: Array(2049).fill('x') }, 8).status).toBe(400);
  });

  it('plays scripted failures in order, then recovers', async () => {
    upstream.failNext({ status: 429, headers: { 'retry-after': '2' } }, { status: 503 });
    const first = await post({ model: 'm', input: 'x' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await post({ model: 'm', input: 'x' })).status).toBe(503);
    expect((await post({ model: 'm', input: 'x' })).status).toBe(200);
  });

  it('checks the API key when configured', async () => {
    const guarded = await startEmbeddingsUpstream({ apiKey: 'sk-test' });
    try {
      const url = `${guarded.url}/embeddings`;
      const init = (auth?: string) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ model: 'm', input: 'x' }),
      });
      expect((await fetch(url, init())).status).toBe(401);
      expect((await fetch(url, init('Bearer sk-test'))).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
