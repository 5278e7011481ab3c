// int8 quantisation and its error bounds (src/domain/vectors-int8.ts).
import { describe, expect, it } from 'vitest';
import { cosine, decodeVector, encodeVector, norm, TopK } from '../../../src/domain/vectors';
import { approxCosines, quantizeInt8, rescoreCandidates, residualRatio, type Int8Matrix } from '../../../src/domain/vectors-int8';
import { randomVectors, quantizeAll, exactTop } from './vector-fixtures';

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
