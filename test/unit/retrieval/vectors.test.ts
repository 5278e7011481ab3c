// Float32 blobs, hex, cosine and TopK (src/domain/vectors.ts).
import { describe, expect, it } from 'vitest';
import { cosine, decodeHexVector, decodeVector, encodeVector, norm, TopK } from '../../../src/domain/vectors';

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
