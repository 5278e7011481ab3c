/**
 * A cheap pre-pass for the local vector index's int8 scan (domain/vectors-int8.ts). At 100k rows the int8
 * scan (one multiply-add per dimension and row) dominated a vector search (~65 ms of ~95 ms). Each
 * row also keeps a 1-bit sign code, 8 dimensions a byte, and a dense query first scores every row
 * against those codes with per-byte lookup tables (dims / 8 table reads a row instead of dims
 * multiply-adds); only a generous pool of the best rows then goes through the int8 scan.
 *
 * The pre-pass is asymmetric (the query stays real-valued: Σ q_i · sign(v_i)) rather than a Hamming
 * distance between two sign codes: the same number of memory reads, and the query's magnitudes
 * make it a much better estimate of the cosine, so the pool misses far fewer of the true top k.
 * The pool is a heuristic (unlike the int8 bound), so it is only used when it is a small part of
 * a large namespace; the unit tests measure recall against brute force.
 */
import { TopK } from './vectors';
import { approxCosines, type Int8Matrix } from './vectors-int8';

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
  const scores = signScores(signs, count, bytes, lut);
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < count; r++) {
    const s = scores[r]!;
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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Every row's sign score: the table entries of its code bytes, summed in byte order into two
 * alternating accumulators (even bytes, odd bytes). Where rows are whole 32-bit words (dims a
 * multiple of 32, an aligned buffer: the usual embedding sizes) the codes are read four bytes at a
 * time, a quarter of the array reads (measured: the pre-pass ~1.5× faster at 100k × 512); the sums,
 * in the same order, are the same to the bit as the bytewise loop's.
 */
function signScores(signs: Uint8Array, count: number, bytes: number, lut: Float64Array): Float64Array {
  const scores = new Float64Array(count);
  if (LITTLE_ENDIAN && bytes % 4 === 0 && signs.byteOffset % 4 === 0) {
    const words = new Uint32Array(signs.buffer, signs.byteOffset, (count * bytes) >>> 2);
    const perRow = bytes >>> 2;
    for (let r = 0, o = 0; r < count; r++, o += perRow) {
      let s0 = 0, s1 = 0;
      for (let w = 0, base = 0; w < perRow; w++, base += 1024) {
        const x = words[o + w]!;
        s0 += lut[base | (x & 255)]!;
        s1 += lut[(base + 256) | ((x >>> 8) & 255)]!;
        s0 += lut[(base + 512) | ((x >>> 16) & 255)]!;
        s1 += lut[(base + 768) | (x >>> 24)]!;
      }
      scores[r] = s0 + s1;
    }
    return scores;
  }
  for (let r = 0, o = 0; r < count; r++, o += bytes) {
    let s0 = 0, s1 = 0;
    let j = 0;
    for (; j + 1 < bytes; j += 2) {
      s0 += lut[(j << 8) | signs[o + j]!]!;
      s1 += lut[((j + 1) << 8) | signs[o + j + 1]!]!;
    }
    if (j < bytes) s0 += lut[(j << 8) | signs[o + j]!]!;
    scores[r] = s0 + s1;
  }
  return scores;
}

/**
 * The k rows with the best approximate (int8) cosine to `query`, best first, as `{ id, score }`
 * with `idOf(row)` and that cosine (clamped to [-1, 1]); ties are broken by id, as every TopK is. A
 * large namespace is first narrowed to the pre-pass pool; a sparse query (most components zero:
 * hashed features) or a namespace not much larger than the pool is scanned in full, as the int8
 * scan is already cheap or the pre-pass would save little.
 */
export function approximateTop(m: SignedMatrix, query: ArrayLike<number>, k: number, idOf: (row: number) => string): { id: string; score: number }[] {
  const pool = poolSize(k);
  let nonZero = 0;
  for (let i = 0; i < query.length; i++) if (query[i] !== 0) nonZero++;
  let scored: Int8Matrix = m;
  let picked: Int32Array | null = null;
  if (m.count > 4 * pool && nonZero * 2 > m.dims && query.length === m.dims) {
    picked = signPrepass(m, query, pool);
    const { dims } = m;
    scored = { dims, count: picked.length, codes: new Int8Array(picked.length * dims), factors: new Float32Array(picked.length) };
    for (let t = 0; t < picked.length; t++) {
      const r = picked[t]!;
      scored.codes.set(m.codes.subarray(r * dims, (r + 1) * dims), t * dims);
      scored.factors[t] = m.factors[r]!;
    }
  }
  const approx = new Float32Array(scored.count);
  approxCosines(scored, query, approx);
  const top = new TopK<{ id: string; score: number }>(Math.max(0, k));
  for (let t = 0; t < scored.count; t++) top.offer({ id: idOf(picked ? picked[t]! : t), score: Math.max(-1, Math.min(1, approx[t]!)) });
  return top.sorted();
}
