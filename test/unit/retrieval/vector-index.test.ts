import { describe, expect, it } from 'vitest';
import { createVectorIndex, LocalVectorIndex, VectorizeVectorIndex, type VectorizeBinding } from '../../../src/adapters/vector-index';
import type { Env } from '../../../src/env';

/** Records calls the way the Vectorize binding would receive them. */
function fakeVectorize() {
  const calls: { upsert: VectorizeVector[][]; query: Array<{ vector: number[]; options?: VectorizeQueryOptions }>; deleteByIds: string[][] } = {
    upsert: [],
    query: [],
    deleteByIds: [],
  };
  const binding: VectorizeBinding = {
    upsert: async (vectors) => {
      calls.upsert.push(vectors);
      return { mutationId: 'm' };
    },
    query: async (vector, options) => {
      calls.query.push({ vector, options });
      return { matches: [{ id: '7', score: 0.9, values: [1] }, { id: '3', score: 0.4 }], count: 2 } as never;
    },
    deleteByIds: async (ids) => {
      calls.deleteByIds.push(ids);
      return { mutationId: 'm' };
    },
  };
  return { binding, calls };
}

describe('VectorizeVectorIndex', () => {
  it('upserts in batches of ≤ 1000 with the namespace and metadata', async () => {
    const { binding, calls } = fakeVectorize();
    const index = new VectorizeVectorIndex(binding);
    const vectors = Array.from({ length: 2500 }, (_, i) => ({ id: String(i), values: [i, 1], ...(i === 0 ? { metadata: { file_id: 'file-1' } } : {}) }));
    await index.upsert('vs_abc', vectors);
    expect(calls.upsert.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(calls.upsert[0]![0]).toEqual({ id: '0', values: [0, 1], namespace: 'vs_abc', metadata: { file_id: 'file-1' } });
    expect(calls.upsert[2]![499]).toEqual({ id: '2499', values: [2499, 1], namespace: 'vs_abc' });
  });

  it('queries the namespace without values, topK capped at 100', async () => {
    const { binding, calls } = fakeVectorize();
    const index = new VectorizeVectorIndex(binding);
    expect(await index.query('vs_abc', [0.1, 0.2], 500)).toEqual([{ id: '7', score: 0.9 }, { id: '3', score: 0.4 }]);
    expect(calls.query[0]!.options).toEqual({ topK: 100, namespace: 'vs_abc', returnValues: false, returnMetadata: 'none' });
    await index.query('vs_abc', [0.1, 0.2], 5);
    expect(calls.query[1]!.options?.topK).toBe(5);
  });

  it('deletes ids in batches', async () => {
    const { binding, calls } = fakeVectorize();
    await new VectorizeVectorIndex(binding).deleteByIds(Array.from({ length: 1500 }, (_, i) => String(i)));
    expect(calls.deleteByIds.map((b) => b.length)).toEqual([1000, 500]);
  });
});

describe('createVectorIndex', () => {
  it('uses Vectorize when bound, else the local D1 index', () => {
    const { binding } = fakeVectorize();
    const db = {} as D1Database;
    expect(createVectorIndex({ VECTORIZE: binding as unknown as VectorizeIndex, DB: db } as Env)).toBeInstanceOf(VectorizeVectorIndex);
    expect(createVectorIndex({ DB: db } as Env)).toBeInstanceOf(LocalVectorIndex);
  });
});
