/**
 * A cheap pre-pass for the local vector index's int8 scan (domain/vectors.ts). At 100k rows the int8
 * scan (one multiply-add per dimension and row) dominated a vector search (~65 ms of ~95 ms). Each
 * row also keeps a 1-bit sign code, 8 dimensions a byte, and a dense query first scores every row
 * against those codes with per-byte lookup tables (dims / 8 table reads a row instead of dims
 * multiply-adds); only a generous pool of the best rows then goes through the int8 scan and its
 * provable rescoring, and the exact Float32 rescoring after it.
 *
 * The pre-pass is asymmetric (the query stays real-valued: Σ q_i · sign(v_i)) rather than a Hamming
 * distance between two sign codes: the same number of memory reads, and the query's magnitudes
 * make it a much better estimate of the cosine, so the pool misses far fewer of the true top k.
 * The pool is a heuristic (unlike the int8 bound), so it is only used when it is a small part of
 * a large namespace; the unit tests measure recall against brute force.
 */
import { approxCosines, rescoreCandidates, type Int8Matrix } from './vectors';

/** An int8 matrix with each row's sign bits too (bit i of byte ⌊i/8⌋ set when v_i > 0). */
export interface SignedMatrix extends Int8Matrix {
  signs: Uint8Array;
}

export function signBytes(dims: number): number {
  return (dims + 7) >>> 3;
}

/** Writes `values`' sign bits into `signs[offset .. offset + signBytes(values.length))`. */
export function packSigns(values: ArrayLike<number>, signs: Uint8Array, offset: number): void {
  signs.fill(0, offset, offset + signBytes(values.length));
  for (let i = 0; i < values.length; i++) {
    const at = offset + (i >>> 3);
    if (values[i]! > 0) signs[at] = signs[at]! | (1 << (i & 7));
  }
}

/** Rows sent to the int8 scan: 20 × k (at least 2000) of the best by sign score. */
export function poolSize(k: number): number {
  return Math.max(20 * k, 2000);
}

/**
 * The `n` rows (ascending row order; a few more when scores tie at the cut) whose sign codes score
 * best against `query`: Σ q_i over the set bits, which ranks rows as Σ q_i · (±1) does.
 */
export function signPrepass(m: SignedMatrix, query: ArrayLike<number>, n: number): Int32Array {
  const { dims, count, signs } = m;
  const bytes = signBytes(dims);
  // One 256-entry table per byte: the sum of the query's components whose bits are set.
  const lut = new Float64Array(bytes * 256);
  for (let j = 0; j < bytes; j++) {
    const base = j * 256;
    for (let b = 1; b < 256; b++) {
      const bit = 31 - Math.clz32(b & -b);
      const i = j * 8 + bit;
      lut[base + b] = lut[base + (b & (b - 1))]! + (i < dims ? query[i]! : 0);
    }
  }
  const scores = new Float64Array(count);
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0, o = 0; r < count; r++, o += bytes) {
    let s0 = 0, s1 = 0;
    let j = 0;
    for (; j + 1 < bytes; j += 2) {
      s0 += lut[(j << 8) | signs[o + j]!]!;
      s1 += lut[((j + 1) << 8) | signs[o + j + 1]!]!;
    }
    if (j < bytes) s0 += lut[(j << 8) | signs[o + j]!]!;
    const s = s0 + s1;
    scores[r] = s;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (n >= count) return Int32Array.from({ length: count }, (_, r) => r);
  // The cut through a histogram: O(count), no sort; the bin at the cut is kept whole.
  const BINS = 4096;
  const width = (hi - lo) / BINS || 1;
  const bin = (s: number) => Math.min(BINS - 1, Math.floor((s - lo) / width));
  const hist = new Int32Array(BINS);
  for (let r = 0; r < count; r++) {
    const b = bin(scores[r]!);
    hist[b] = hist[b]! + 1;
  }
  let cut = BINS - 1;
  for (let kept = hist[cut]!; kept < n && cut > 0; ) kept += hist[--cut]!;
  const rows: number[] = [];
  for (let r = 0; r < count; r++) if (bin(scores[r]!) >= cut) rows.push(r);
  return Int32Array.from(rows);
}

/**
 * Rows to rescore exactly for `query`'s top k, best approximate score first (at most `cap`). A
 * sparse query (most components zero: hashed features) or a namespace not much larger than the
 * pool is scanned in full, as the int8 scan is already cheap or the pre-pass would save little.
 */
export function candidateRows(m: SignedMatrix, query: ArrayLike<number>, k: number, cap: number): number[] {
  const pool = poolSize(k);
  let nonZero = 0;
  for (let i = 0; i < query.length; i++) if (query[i] !== 0) nonZero++;
  if (m.count <= 4 * pool || nonZero * 2 <= m.dims || query.length !== m.dims) {
    const approx = new Float32Array(m.count);
    const e = approxCosines(m, query, approx);
    return rescoreCandidates(approx, m.factors, m.count, e, k, cap).rows;
  }
  const picked = signPrepass(m, query, pool);
  const { dims } = m;
  const sub: Int8Matrix = { dims, count: picked.length, codes: new Int8Array(picked.length * dims), factors: new Float32Array(picked.length) };
  for (let t = 0; t < picked.length; t++) {
    const r = picked[t]!;
    sub.codes.set(m.codes.subarray(r * dims, (r + 1) * dims), t * dims);
    sub.factors[t] = m.factors[r]!;
  }
  const approx = new Float32Array(sub.count);
  const e = approxCosines(sub, query, approx);
  return rescoreCandidates(approx, sub.factors, sub.count, e, k, cap).rows.map((t) => picked[t]!);
}
