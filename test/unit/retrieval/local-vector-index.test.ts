// LocalVectorIndex over a D1 stand-in (node:sqlite speaking the D1 binding's API): src/adapters/vector-index/local.ts.
import { describe, expect, it } from 'vitest';
import { LocalVectorIndex, VectorCache } from '../../../src/adapters/vector-index/local';
import { database } from '../../../src/db/client';
import { cosine, decodeVector, encodeVector } from '../../../src/domain/vectors';
import { quantizeInt8 } from '../../../src/domain/vectors-int8';
import { randomVectors, exactTop, sqliteD1 } from './vector-fixtures';

describe('LocalVectorIndex (int8 cache over D1)', () => {
  const vectors = (rows: number[][], from = 0) => rows.map((values, i) => ({ id: String(from + i), values }));

  it('answers the top k by int8 cosine, each score within its error bound, only near-ties swapped', async () => {
    const rows = randomVectors(500, 32, 5, 0.4);
    const index = new LocalVectorIndex(database(sqliteD1()), { cache: new VectorCache(), pageBytes: 4096 });
    await index.upsert('ns', vectors(rows));
    // Each row's factor s/|v| (as the cache quantises it); Hölder's bound is factor · ‖q‖₁/(2|q|).
    const factors = rows.map((r) => quantizeInt8(r, new Int8Array(r.length), 0));
    const scale = (q: number[]) => q.reduce((a, x) => a + Math.abs(x), 0) / (2 * Math.hypot(...q));
    const exact = (q: number[], id: string) => cosine(q, decodeVector(encodeVector(rows[Number(id)]!)));
    let swapped = 0;
    for (const seed of [21, 22, 23]) {
      const q = randomVectors(1, 32, seed, 0.3)[0]!;
      const got = await index.query('ns', q, 20);
      expect(got).toHaveLength(20);
      got.forEach((m, i) => {
        expect(Math.abs(m.score - exact(q, m.id))).toBeLessThanOrEqual(factors[Number(m.id)]! * scale(q) + 1e-6);
        if (i > 0) expect(m.score).toBeLessThanOrEqual(got[i - 1]!.score);
      });
      // A row outside the exact top k can only have come in on a near-tie: within two bounds of the k-th.
      const truth = exactTop(rows, q, 20);
      const kth = exact(q, truth[19]!);
      const widest = Math.max(...factors) * scale(q);
      for (const m of got.filter((m) => !truth.includes(m.id))) {
        swapped++;
        expect(exact(q, m.id)).toBeGreaterThanOrEqual(kth - 2 * widest);
      }
      expect(got.filter((m) => truth.includes(m.id)).length).toBeGreaterThanOrEqual(18);
    }
    expect(swapped).toBeLessThanOrEqual(3);
    expect(await index.query('other', rows[0]!, 5)).toEqual([]);
    expect(await index.query('ns', rows[0]!, 0)).toEqual([]);
  });

  it('stays correct across isolates: another cache\'s writes and deletes invalidate this one', async () => {
    const d1 = sqliteD1();
    const a = new LocalVectorIndex(database(d1), { cache: new VectorCache() });
    const b = new LocalVectorIndex(database(d1), { cache: new VectorCache() });
    await a.upsert('ns', [{ id: '1', values: [1, 0, 0] }, { id: '2', values: [0, 1, 0] }]);
    expect((await a.query('ns', [0, 0, 1], 5)).map((m) => m.id)).toEqual(['1', '2']);
    await b.upsert('ns', [{ id: '3', values: [0, 0, 1] }]);
    expect((await a.query('ns', [0, 0, 1], 1)).map((m) => m.id)).toEqual(['3']);
    // An update in place (same id, same row count, same rowid) is seen too.
    await b.upsert('ns', [{ id: '3', values: [0, 0, -1] }]);
    expect((await a.query('ns', [0, 0, 1], 3))[2]).toEqual({ id: '3', score: -1 });
    await b.deleteByIds(['1', '3']);
    expect((await a.query('ns', [1, 0, 0], 5)).map((m) => m.id)).toEqual(['2']);
    // An id moved to another namespace leaves the first.
    await b.upsert('ns2', [{ id: '2', values: [0, 1, 0] }]);
    expect(await a.query('ns', [0, 1, 0], 5)).toEqual([]);
    expect((await a.query('ns2', [0, 1, 0], 5)).map((m) => m.id)).toEqual(['2']);
  });

  it('creates its versions table lazily, including for vectors written before it existed', async () => {
    const d1 = sqliteD1();
    const raw = (d1 as any).prepare('INSERT INTO local_vectors (id, namespace, "values") VALUES (?, ?, ?)');
    await raw.bind('9', 'old', encodeVector([0.6, 0.8]).buffer).run();
    const index = new LocalVectorIndex(database(d1), { cache: new VectorCache() });
    const [match] = await index.query('old', [0.6, 0.8], 1);
    expect(match!.id).toBe('9');
    expect(match!.score).toBeCloseTo(1, 2);
    await index.deleteByIds(['9']);
    expect(await index.query('old', [0.6, 0.8], 1)).toEqual([]);
    // A namespace without vectors costs no write.
    expect(await index.query('never-written', [0.6, 0.8], 1)).toEqual([]);
    const versions = await (d1 as any).prepare('SELECT namespace FROM local_vector_versions ORDER BY namespace').all();
    expect(versions.results.map((r: { namespace: string }) => r.namespace)).toEqual(['old']);
  });

  it('skips vectors of another dimension and scans D1 directly when over the cache budget', async () => {
    const rows = randomVectors(200, 16, 9);
    for (const budget of [48 * 1024 * 1024, 1000]) {
      const cache = new VectorCache(budget);
      const index = new LocalVectorIndex(database(sqliteD1()), { cache, pageBytes: 256 });
      await index.upsert('ns', [...vectors(rows), { id: 'x', values: [1, 2, 3] }]);
      const q = rows[3]!;
      expect((await index.query('ns', q, 5)).map((m) => m.id)).toEqual(exactTop(rows, q, 5));
      expect(cache.bytes > 0).toBe(budget > 1000);
      expect(await index.query('ns', [1, 2, 3], 5)).toEqual([{ id: 'x', score: 1 }]);
    }
  });

  it('evicts the least recently used namespace past its budget', async () => {
    // Per row: 8 int8 codes, 1 byte of sign bits, a factor and the id.
    const cache = new VectorCache(3 * 100 * (8 + 1 + 4 + 48));
    const index = new LocalVectorIndex(database(sqliteD1()), { cache });
    const q = [1, 0, 0, 0, 0, 0, 0, 0];
    for (const ns of ['a', 'b', 'c', 'd']) await index.upsert(ns, vectors(randomVectors(100, 8, ns.charCodeAt(0)), ns.charCodeAt(0) * 1000));
    for (const ns of ['a', 'b', 'c', 'a']) await index.query(ns, q, 1);
    expect(cache.namespaces()).toEqual(['b', 'c', 'a']);
    expect(cache.bytes).toBe(cache.budgetBytes);
    await index.query('d', q, 1);
    expect(cache.namespaces()).toEqual(['c', 'a', 'd']);
    expect(cache.bytes).toBe(cache.budgetBytes);
  });
});
