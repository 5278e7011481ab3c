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
});
