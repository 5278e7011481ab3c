import { describe, expect, it } from 'vitest';
import { LocalVectorIndex, VectorCache } from '../../../src/adapters/vector-index/local';
import { database } from '../../../src/db/client';
import { cosine, decodeHexVector, decodeVector, encodeVector, norm, TopK } from '../../../src/domain/vectors';
import { approxCosines, quantizeInt8, rescoreCandidates, residualRatio, type Int8Matrix } from '../../../src/domain/vectors-int8';
import { scoredCandidates, packSigns, poolSize, signBytes, signPrepass, type SignedMatrix } from '../../../src/domain/vectors-binary';

describe('Float32 blob encoding', () => {
  it('round-trips through little-endian float32 bytes', () => {
    const values = [0, 1, -1, 0.5, 3.4028234663852886e38, -1e-7, Math.PI];
    const blob = encodeVector(values);
    expect(blob.byteLength).toBe(values.length * 4);
    // 1.0f is 0x3F800000, stored little-endian.
    expect([...blob.subarray(4, 8)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect([...decodeVector(blob)]).toEqual(values.map((v) => Math.fround(v)));
  });

  it('decodes every form D1/drizzle may hand back, aligned or not', () => {
    const blob = encodeVector([1.5, -2.25, 8]);
    const expected = [1.5, -2.25, 8];
    expect([...decodeVector(blob.buffer as ArrayBuffer)]).toEqual(expected);
    expect([...decodeVector(Array.from(blob))]).toEqual(expected);
    const unaligned = new Uint8Array(blob.byteLength + 1);
    unaligned.set(blob, 1);
    expect([...decodeVector(unaligned.subarray(1))]).toEqual(expected);
    expect([...decodeVector(Buffer.from(blob))]).toEqual(expected);
    expect(() => decodeVector(new Uint8Array(5))).toThrow(RangeError);
  });
});

describe('hex-encoded blobs (SQLite hex())', () => {
  it('decode like the blob itself, in either case', () => {
    const values = [1.5, -2.25, 8, Math.PI, -0];
    const hex = Buffer.from(encodeVector(values)).toString('hex');
    expect([...decodeHexVector(hex)]).toEqual([...decodeVector(encodeVector(values))]);
    expect([...decodeHexVector(hex.toUpperCase())]).toEqual([...decodeHexVector(hex)]);
    expect([...decodeHexVector('')]).toEqual([]);
  });

  it('refuses lengths that are not whole float32s and non-hex characters', () => {
    expect(() => decodeHexVector('0000803')).toThrow(RangeError);
    expect(() => decodeHexVector('0000803G')).toThrow(RangeError);
    expect(() => decodeHexVector('0000803\u0100')).toThrow(RangeError);
  });
});

describe('cosine', () => {
  it('is 1 for parallel, 0 for orthogonal, -1 for opposite vectors', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 5])).toBe(0);
    expect(cosine([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosine([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
  });

  it('treats zero vectors as similar to nothing and refuses mixed dimensions', () => {
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([1, 1], [0, 0])).toBe(0);
    expect(() => cosine([1], [1, 2])).toThrow(RangeError);
  });

  it('accepts a precomputed query norm and float32 rows', () => {
    const q = [0.3, -0.2, 0.9];
    const row = decodeVector(encodeVector([0.1, 0.4, 0.2]));
    expect(cosine(q, row, norm(q))).toBeCloseTo(cosine(q, Array.from(row)), 12);
  });
});

describe('TopK', () => {
  it('keeps the k best, best first, with ids breaking ties', () => {
    const top = new TopK<{ id: string; score: number }>(3);
    for (const [id, score] of [['a', 0.1], ['b', 0.9], ['c', 0.5], ['d', 0.9], ['e', -1], ['f', 0.7]] as const) top.offer({ id, score });
    expect(top.sorted()).toEqual([
      { id: 'b', score: 0.9 },
      { id: 'd', score: 0.9 },
      { id: 'f', score: 0.7 },
    ]);
  });

  it('matches a full sort on random data, independent of arrival order', () => {
    let x = 42;
    const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `id${i}`, score: Math.round(rand() * 100) / 100 }));
    const expected = [...items].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, 25);
    const forward = new TopK<(typeof items)[number]>(25);
    items.forEach((i) => forward.offer(i));
    const backward = new TopK<(typeof items)[number]>(25);
    [...items].reverse().forEach((i) => backward.offer(i));
    expect(forward.sorted()).toEqual(expected);
    expect(backward.sorted()).toEqual(expected);
    expect(forward.size).toBe(25);
  });

  it('handles k = 0 and fewer items than k', () => {
    const none = new TopK(0);
    none.offer({ id: 'a', score: 1 });
    expect(none.sorted()).toEqual([]);
    const few = new TopK(10);
    few.offer({ id: 'a', score: 0.2 });
    few.offer({ id: 'b', score: 0.4 });
    expect(few.sorted().map((r) => r.id)).toEqual(['b', 'a']);
  });
});

// -------------------------------------------------------------------------------------------------

function rng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Dense rows, and sparse ones (few non-zero components, like hashed-feature embeddings). */
function randomVectors(n: number, dims: number, seed: number, density = 1): number[][] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => (rand() < density ? rand() * 2 - 1 : 0)));
}

function quantizeAll(rows: number[][]): Int8Matrix {
  const dims = rows[0]!.length;
  const codes = new Int8Array(rows.length * dims);
  const factors = new Float32Array(rows.length);
  rows.forEach((r, i) => (factors[i] = quantizeInt8(r, codes, i * dims)));
  return { dims, count: rows.length, codes, factors };
}

function exactTop(rows: number[][], q: number[], k: number): string[] {
  const top = new TopK<{ id: string; score: number }>(k);
  rows.forEach((r, i) => top.offer({ id: String(i), score: cosine(q, decodeVector(encodeVector(r))) }));
  return top.sorted().map((m) => m.id);
}

describe('int8 quantisation', () => {
  it('stores codes within ±127 with a per-vector scale: each component within half a step', () => {
    const values = [0.5, -0.26, 0.001, -0.5, 0.3];
    const codes = new Int8Array(8);
    const factor = quantizeInt8(values, codes, 2);
    const scale = 0.5 / 127;
    expect([...codes.subarray(2, 7)]).toEqual([127, -66, 0, -127, 76]);
    expect(codes[0]).toBe(0);
    expect(factor).toBeCloseTo(scale / norm(values), 12);
    values.forEach((v, i) => expect(Math.abs(v - codes[2 + i]! * scale)).toBeLessThanOrEqual(scale / 2 + 1e-15));
  });

  it('gives a zero vector factor 0 (similar to nothing)', () => {
    const codes = new Int8Array(3).fill(5);
    expect(quantizeInt8([0, 0, 0], codes, 0)).toBe(0);
    expect([...codes]).toEqual([0, 0, 0]);
    const m: Int8Matrix = { dims: 3, count: 1, codes, factors: new Float32Array([0]) };
    const out = new Float32Array(1);
    approxCosines(m, [1, 2, 3], out);
    expect(out[0]).toBe(0);
  });

  it('approximates cosine within the error bound, for dense and sparse queries', () => {
    const rows = randomVectors(300, 64, 7);
    const m = quantizeAll(rows);
    for (const [seed, density] of [[11, 1], [12, 0.1]] as const) {
      const q = randomVectors(1, 64, seed, density)[0]!;
      const out = new Float32Array(m.count);
      const e = approxCosines(m, q, out);
      let worst = 0;
      rows.forEach((r, i) => {
        const err = Math.abs(out[i]! - cosine(q, r));
        expect(err).toBeLessThanOrEqual(m.factors[i]! * e + 1e-6);
        worst = Math.max(worst, err);
      });
      // And the approximation is actually good (int8: ~1% of the range at worst here).
      expect(worst).toBeLessThan(0.02);
    }
    expect(() => approxCosines(m, [1, 2], new Float32Array(m.count))).toThrow(RangeError);
  });

  it('keeps every row that could be in the exact top k, and few others', () => {
    for (const [seed, density] of [[1, 1], [2, 0.15], [3, 0.05]] as const) {
      const rows = randomVectors(2000, 48, seed, density);
      const m = quantizeAll(rows);
      const q = randomVectors(1, 48, seed + 100, density)[0]!;
      const approx = new Float32Array(m.count);
      const e = approxCosines(m, q, approx);
      const { rows: candidates, exact } = rescoreCandidates(approx, m.factors, m.count, e, 10, 10_000);
      expect(exact).toBe(true);
      const expected = exactTop(rows, q, 10);
      expect(expected.every((id) => candidates.includes(Number(id)))).toBe(true);
      expect(candidates.length).toBeLessThan(400);
      // Rescoring the candidates exactly gives the exact top k.
      const top = new TopK<{ id: string; score: number }>(10);
      for (const r of candidates) top.offer({ id: String(r), score: cosine(q, decodeVector(encodeVector(rows[r]!))) });
      expect(top.sorted().map((x) => x.id)).toEqual(expected);
    }
  });

  it('bounds each row by its residual too (Cauchy–Schwarz), tighter than Hölder on dense rows', () => {
    const rows = randomVectors(2000, 64, 21);
    const m = quantizeAll(rows);
    const residuals = Float32Array.from(rows, (r, i) => residualRatio(r, m.codes, i * m.dims));
    expect(residualRatio([0, 0, 0], new Int8Array(3), 0)).toBe(0);
    for (const seed of [22, 23, 24]) {
      const q = randomVectors(1, 64, seed)[0]!;
      const approx = new Float32Array(m.count);
      const e = approxCosines(m, q, approx);
      let tighter = 0;
      rows.forEach((r, i) => {
        // The bound holds for every row (the exact cosine of the stored float32 values).
        expect(Math.abs(approx[i]! - cosine(q, decodeVector(encodeVector(r))))).toBeLessThanOrEqual(residuals[i]! + 1e-6);
        if (residuals[i]! < m.factors[i]! * e) tighter++;
      });
      expect(tighter).toBeGreaterThan(m.count / 2);
      const holder = rescoreCandidates(approx, m.factors, m.count, e, 10, 10_000);
      const both = rescoreCandidates(approx, m.factors, m.count, e, 10, 10_000, residuals);
      expect(both.exact).toBe(true);
      expect(both.rows.length).toBeLessThanOrEqual(holder.rows.length);
      expect(both.rows.every((r) => holder.rows.includes(r))).toBe(true);
      const top = new TopK<{ id: string; score: number }>(10);
      for (const r of both.rows) top.offer({ id: String(r), score: cosine(q, decodeVector(encodeVector(rows[r]!))) });
      expect(top.sorted().map((x) => x.id)).toEqual(exactTop(rows, q, 10));
    }
  });

  it('caps the candidates (best approximation first) and says the top k is no longer proven', () => {
    const approx = new Float32Array([0.5, 0.9, 0.7, 0.1]);
    const factors = new Float32Array([1, 1, 1, 1]);
    expect(rescoreCandidates(approx, factors, 4, 0, 2, 10)).toEqual({ rows: [1, 2], exact: true });
    expect(rescoreCandidates(approx, factors, 4, 1, 2, 3)).toEqual({ rows: [1, 2, 0], exact: false });
    expect(rescoreCandidates(approx, factors, 4, 0, 9, 10).rows).toEqual([1, 2, 0, 3]);
    expect(rescoreCandidates(approx, factors, 4, 0, 0, 10).rows).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------
// LocalVectorIndex over a D1 stand-in (node:sqlite speaking the D1 binding's API)

// node:sqlite (Node ≥ 22.5) is newer than the @types/node in use: typed by hand.
type Sqlite = { exec(sql: string): void; prepare(sql: string): { all(...p: unknown[]): object[]; run(...p: unknown[]): unknown } };
const SQLITE = 'node:sqlite';
const { DatabaseSync } = (await import(SQLITE)) as { DatabaseSync: new (path: string) => Sqlite };

/** The D1 binding's API (prepare/bind/all/raw/run, atomic batch) over an in-memory SQLite. */
function sqliteD1(): D1Database {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE local_vectors (id text PRIMARY KEY NOT NULL, namespace text NOT NULL, "values" blob NOT NULL, metadata text)');
  db.exec('CREATE INDEX local_vectors_namespace ON local_vectors (namespace)');
  const param = (p: unknown) => (p instanceof ArrayBuffer ? new Uint8Array(p) : typeof p === 'boolean' ? Number(p) : (p ?? null));
  const statement = (query: string, params: unknown[] = []): any => ({
    bind: (...ps: unknown[]) => statement(query, ps.map(param)),
    all: async () => ({ results: db.prepare(query).all(...params), success: true, meta: {} }),
    raw: async () => db.prepare(query).all(...params).map((r) => Object.values(r)),
    run: async () => (db.prepare(query).run(...params), { results: [], success: true, meta: {} }),
  });
  const batch = async (statements: any[]) => {
    db.exec('BEGIN');
    try {
      const out = [];
      for (const s of statements) out.push(await s.all());
      db.exec('COMMIT');
      return out;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  };
  return { prepare: (query: string) => statement(query), batch } as unknown as D1Database;
}

describe('LocalVectorIndex (int8 cache over D1)', () => {
  const vectors = (rows: number[][], from = 0) => rows.map((values, i) => ({ id: String(from + i), values }));

  it('answers the top k by int8 cosine, each score within its error bound, only near-ties swapped', async () => {
    const rows = randomVectors(500, 32, 5, 0.4);
    const index = new LocalVectorIndex(database(sqliteD1()), { cache: new VectorCache(), pageBytes: 4096 });
    await index.upsert('ns', vectors(rows));
    // Each row's error bound (Cauchy–Schwarz: ‖v − s·c‖/|v|), as the cache computes it.
    const bounds = rows.map((r) => {
      const codes = new Int8Array(r.length);
      quantizeInt8(r, codes, 0);
      return residualRatio(r, codes, 0);
    });
    const exact = (q: number[], id: string) => cosine(q, decodeVector(encodeVector(rows[Number(id)]!)));
    let swapped = 0;
    for (const seed of [21, 22, 23]) {
      const q = randomVectors(1, 32, seed, 0.3)[0]!;
      const got = await index.query('ns', q, 20);
      expect(got).toHaveLength(20);
      got.forEach((m, i) => {
        expect(Math.abs(m.score - exact(q, m.id))).toBeLessThanOrEqual(bounds[Number(m.id)]! + 1e-6);
        if (i > 0) expect(m.score).toBeLessThanOrEqual(got[i - 1]!.score);
      });
      // A row outside the exact top k can only have come in on a near-tie: within two bounds of the k-th.
      const truth = exactTop(rows, q, 20);
      const kth = exact(q, truth[19]!);
      const widest = Math.max(...bounds);
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
    // Per row: 8 int8 codes, 1 byte of sign bits, a factor, a residual bound and the id.
    const cache = new VectorCache(3 * 100 * (8 + 1 + 4 + 4 + 48));
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

describe('sign-code pre-pass (vectors-binary)', () => {
  function signed(rows: number[][]): SignedMatrix {
    const m = quantizeAll(rows);
    const signs = new Uint8Array(rows.length * signBytes(m.dims));
    rows.forEach((r, i) => packSigns(r, signs, i * signBytes(m.dims)));
    return { ...m, signs };
  }

  /** Gaussian-ish (sum of uniforms) components, so signs and magnitudes both vary. */
  function gauss(rand: () => number): number {
    return rand() + rand() + rand() - 1.5;
  }

  /** Share of queries whose pre-pass pool (the rows the int8 scan then ranks) holds brute force's top 10. */
  function agreement(rows: number[][], queries: number[][]): number {
    const m = signed(rows);
    let same = 0;
    for (const q of queries) {
      const pool = new Set([...signPrepass(m, q, poolSize(10))].map(String));
      if (exactTop(rows, q, 10).every((id) => pool.has(id))) same++;
    }
    return same / queries.length;
  }

  it('packs one bit a dimension, set for positive components only', () => {
    const signs = new Uint8Array(4).fill(0xff);
    packSigns([1, -1, 0, 2, 0.5, -3, 7, 0, 9, -1], signs, 1);
    expect([...signs]).toEqual([0xff, 0b01011001, 0b00000001, 0xff]);
  });

  it('keeps the rows scoring best on Σ q_i · sign(v_i), ties at the cut included', () => {
    const rows = [[1, 1], [-1, -1], [1, -1], [-1, 1], [2, 3]];
    const m = signed(rows);
    // q = (1, 0.5): rows with both signs positive score best (0 and 4), then (1, -1).
    expect([...signPrepass(m, [1, 0.5], 2)]).toEqual([0, 4]);
    expect([...signPrepass(m, [1, 0.5], 3)]).toEqual([0, 2, 4]);
    expect([...signPrepass(m, [1, 0.5], 9)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads whole 32-bit words where it can, keeping the bytewise order and sums', () => {
    const rand = rng(33);
    // 64 dims (8 bytes a row, word reads) and 40 dims (5 bytes: the bytewise loop).
    for (const dims of [64, 40]) {
      const rows = Array.from({ length: 500 }, () => Array.from({ length: dims }, () => gauss(rand)));
      const m = signed(rows);
      // The same codes at an odd offset: not aligned for word reads, so read byte by byte.
      const shifted = new Uint8Array(m.signs.length + 1);
      shifted.set(m.signs, 1);
      const unaligned = { ...m, signs: shifted.subarray(1) };
      for (let t = 0; t < 5; t++) {
        const q = Array.from({ length: dims }, () => gauss(rand));
        for (const n of [1, 37, 250]) expect([...signPrepass(m, q, n)]).toEqual([...signPrepass(unaligned, q, n)]);
      }
    }
  });

  it('scans small namespaces and sparse queries in full, as before', () => {
    const rows = randomVectors(300, 32, 5);
    const m = signed(rows);
    const q = randomVectors(1, 32, 6)[0]!;
    const approx = new Float32Array(m.count);
    const e = approxCosines(m, q, approx);
    expect(scoredCandidates(m, q, 10, 200).rows).toEqual(rescoreCandidates(approx, m.factors, m.count, e, 10, 200).rows);
    expect(poolSize(10)).toBe(2000);
    expect(poolSize(500)).toBe(10000);
  });

  it('keeps the exact top 10 in its pool in ≥ 99 % of queries on random vectors', () => {
    const rand = rng(31);
    const rows = Array.from({ length: 12000 }, () => Array.from({ length: 64 }, () => gauss(rand)));
    const queries = Array.from({ length: 100 }, () => Array.from({ length: 64 }, () => gauss(rand)));
    expect(agreement(rows, queries)).toBeGreaterThanOrEqual(0.99);
  });

  it('keeps the exact top 10 in its pool in ≥ 99 % of queries on clustered vectors', () => {
    const rand = rng(32);
    const centers = Array.from({ length: 40 }, () => Array.from({ length: 64 }, () => gauss(rand)));
    const near = (c: number[], spread: number) => c.map((x) => x + spread * gauss(rand));
    const rows = Array.from({ length: 12000 }, (_, i) => near(centers[i % centers.length]!, 0.5));
    const queries = Array.from({ length: 100 }, (_, i) => near(centers[(i * 7) % centers.length]!, 0.5));
    expect(agreement(rows, queries)).toBeGreaterThanOrEqual(0.99);
  });
});
