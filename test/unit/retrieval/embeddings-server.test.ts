import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddingsServer, type EmbeddingsServer } from '../../../scripts/embeddings-server/server.mjs';

// The local embeddings service (scripts/embeddings-server) over HTTP, with the real model.
describe('local embeddings server', () => {
  let server: EmbeddingsServer;
  const post = (body: unknown) =>
    fetch(`${server.url}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startEmbeddingsServer({ port: 0 });
  }, 60_000);
  afterAll(() => server?.close());

  it('answers OpenAI-shaped embeddings: normalised 512-dimensional vectors where paraphrases are close', async () => {
    const input = ['How do I delete a file?', 'remove a document from the disk', 'The orchestra played a symphony'];
    const res = await post({ model: 'text-embedding-3-small', input });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; model: string; data: { object: string; index: number; embedding: number[] }[]; usage: { prompt_tokens: number } };
    expect(body).toMatchObject({ object: 'list', model: server.model });
    expect(body.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(body.usage.prompt_tokens).toBeGreaterThan(10);
    const [a, b, c] = body.data.map((d) => d.embedding);
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!) + 0.2);
  });

  it('base64 output decodes to the same vector', async () => {
    const floats = ((await (await post({ model: 'm', input: 'hello' })).json()) as { data: { embedding: number[] }[] }).data[0]!.embedding;
    const b64 = ((await (await post({ model: 'm', input: 'hello', encoding_format: 'base64' })).json()) as { data: { embedding: string }[] }).data[0]!.embedding;
    const decoded = new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
    expect(decoded[0]).toBeCloseTo(floats[0]!, 6);
    expect(decoded.length).toBe(512);
  });

  it.each([
    ['no model', { input: 'x' }, null],
    ['an empty input list', { model: 'm', input: [] }, 'input'],
    ['token-id input', { model: 'm', input: [[1, 2, 3]] }, 'input'],
    ['a bad encoding_format', { model: 'm', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
    ['other dimensions', { model: 'm', input: 'x', dimensions: 256 }, 'dimensions'],
  ])('400 for %s', async (_, body, param) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string; param: string | null } }).error).toMatchObject({ type: 'invalid_request_error', param });
  });
});
