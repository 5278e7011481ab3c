// The sign-code pre-pass (src/domain/vectors-binary.ts).
import { describe, expect, it } from 'vitest';
import { approxCosines } from '../../../src/domain/vectors-int8';
import { approximateTop, packSigns, poolSize, signBytes, signPrepass, type SignedMatrix } from '../../../src/domain/vectors-binary';
import { rng, randomVectors, quantizeAll, exactTop } from './vector-fixtures';

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

  it('ranks by int8 cosine, best first, ids breaking ties; small namespaces and sparse queries in full', () => {
    const rows = randomVectors(300, 32, 5);
    const m = signed(rows);
    for (const q of [randomVectors(1, 32, 6)[0]!, randomVectors(1, 32, 7, 0.2)[0]!]) {
      const approx = new Float32Array(m.count);
      approxCosines(m, q, approx);
      const expected = Array.from({ length: m.count }, (_, r) => r).sort((a, b) => approx[b]! - approx[a]! || (String(a) < String(b) ? -1 : 1)).slice(0, 10);
      const got = approximateTop(m, q, 10, String);
      expect(got.map((g) => Number(g.id))).toEqual(expected);
      expect(got.map((g) => g.score)).toEqual(expected.map((r) => approx[r]!));
    }
    // Ties: equal rows come back in id order.
    const same = signed([[1, 0], [0, 1], [1, 0], [1, 0]]);
    const ids = (k: number) => approximateTop(same, [1, 0], k, String).map((g) => g.id);
    expect(ids(2)).toEqual(['0', '2']);
    expect(ids(0)).toEqual([]);
    expect(ids(9)).toEqual(['0', '2', '3', '1']);
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
