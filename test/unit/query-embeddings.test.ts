// Search queries' embeddings cached per isolate (src/retrieval/query-embeddings.ts).
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/domain/ports';
import { embedQueries, QUERY_EMBEDDINGS_CACHED } from '../../src/retrieval/query-embeddings';

/** An embedder whose vector for a text is its length and first char code; it records each call. */
function countingEmbedder(model: string, dimensions = 2) {
  const calls: string[][] = [];
  const embedder: Embedder = {
    model,
    dimensions,
    async embed(texts) {
      calls.push(texts);
      return texts.map((t) => [t.length, t.charCodeAt(0) + (model === 'other' ? 1000 : 0)]);
    },
  };
  return { embedder, calls };
}
let n = 0;
const unique = (label: string) => `${label} ${process.pid}-${n++}-${Math.random()}`;

describe('query embeddings cache', () => {
  it('a repeated query is embedded once; only the queries not seen go to the embedder, in one call', async () => {
    const { embedder, calls } = countingEmbedder(unique('model'));
    const [a, b] = [unique('alpha'), unique('beta')];
    const first = await embedQueries(embedder, [a]);
    expect(await embedQueries(embedder, [a])).toEqual(first);
    expect(calls).toEqual([[a]]);
    const both = await embedQueries(embedder, [b, a, b]);
    expect(calls).toEqual([[a], [b]]);
    expect(both).toEqual([[b.length, b.charCodeAt(0)], first[0], [b.length, b.charCodeAt(0)]]);
  });

  it('another model (or dimension count) never reuses a vector', async () => {
    const q = unique('gamma');
    const one = countingEmbedder(unique('m'));
    const other = { ...countingEmbedder('other'), };
    await embedQueries(one.embedder, [q]);
    const v = await embedQueries(other.embedder, [q]);
    expect(other.calls).toEqual([[q]]);
    expect(v[0]![1]).toBe(q.charCodeAt(0) + 1000);
    const wider = countingEmbedder(one.embedder.model, 3);
    await embedQueries(wider.embedder, [q]);
    expect(wider.calls).toEqual([[q]]);
  });

  it('is bounded: past the bound the least recently used query is embedded again', async () => {
    const { embedder, calls } = countingEmbedder(unique('bounded'));
    const kept = unique('kept');
    const oldest = unique('oldest');
    await embedQueries(embedder, [oldest, kept]);
    for (let i = 0; i < QUERY_EMBEDDINGS_CACHED - 1; i++) {
      await embedQueries(embedder, [unique('filler')]);
      if (i % 100 === 0) await embedQueries(embedder, [kept]); // used: stays
    }
    calls.length = 0;
    await embedQueries(embedder, [kept, oldest]);
    expect(calls).toEqual([[oldest]]);
  });

  it('an embedder failure is the search\'s failure, and nothing is cached', async () => {
    const q = unique('delta');
    let fail = true;
    const embedder: Embedder = { model: unique('flaky'), dimensions: 1, embed: async (t) => (fail ? Promise.reject(new Error('HTTP 503')) : t.map(() => [1])) };
    await expect(embedQueries(embedder, [q])).rejects.toThrow('HTTP 503');
    fail = false;
    expect(await embedQueries(embedder, [q])).toEqual([[1]]);
  });

  it('a query already being embedded is joined, not sent again (the search route starts it beside the store lookup)', async () => {
    const { embedder, calls } = countingEmbedder(unique('joined'));
    const [a, b] = [unique('epsilon'), unique('zeta')];
    const early = embedQueries(embedder, [a]);
    const search = embedQueries(embedder, [b, a]);
    expect(await search).toEqual([[b.length, b.charCodeAt(0)], [a.length, a.charCodeAt(0)]]);
    expect(await early).toEqual([[a.length, a.charCodeAt(0)]]);
    expect(calls).toEqual([[a], [b]]);
  });

  it('a failed call in flight fails its joiners too, and the next search asks again', async () => {
    const q = unique('eta');
    let fail = true;
    let sent = 0;
    const embedder: Embedder = { model: unique('flaky-joined'), dimensions: 1, embed: async (t) => (sent++, fail ? Promise.reject(new Error('HTTP 502')) : t.map(() => [2])) };
    const first = embedQueries(embedder, [q]);
    const joined = embedQueries(embedder, [q]);
    await expect(first).rejects.toThrow('HTTP 502');
    await expect(joined).rejects.toThrow('HTTP 502');
    expect(sent).toBe(1);
    fail = false;
    expect(await embedQueries(embedder, [q])).toEqual([[2]]);
    expect(sent).toBe(2);
  });
});
