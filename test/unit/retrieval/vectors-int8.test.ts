// int8 quantisation and its error bound (src/domain/vectors-int8.ts).
import { describe, expect, it } from 'vitest';
import { cosine, norm } from '../../../src/domain/vectors';
import { approxCosines, quantizeInt8, type Int8Matrix } from '../../../src/domain/vectors-int8';
import { randomVectors, quantizeAll } from './vector-fixtures';

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
});
