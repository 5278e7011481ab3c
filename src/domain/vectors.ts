/**
 * Vector math for the local vector index (D1 table `local_vectors`, dev and tests; Vectorize in
 * production): Float32 little-endian blobs, cosine similarity, a bounded top-k selection so a
 * brute-force scan keeps O(k) memory however many rows it reads, and int8 quantisation with a
 * proven error bound for the index's in-memory cache (below).
 */

/** Float32 little-endian, 4 bytes per dimension: half of float64, and what Vectorize stores too. */
export function encodeVector(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/**
 * Reads a blob back. D1 and drizzle hand blobs over as ArrayBuffer, a typed array / Buffer (any
 * offset), or, on older paths, an array of byte numbers: all are accepted.
 */
export function decodeVector(blob: ArrayBuffer | ArrayBufferView | ArrayLike<number>): Float32Array {
  let bytes: Uint8Array;
  if (blob instanceof ArrayBuffer) bytes = new Uint8Array(blob);
  else if (ArrayBuffer.isView(blob)) bytes = new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
  else bytes = Uint8Array.from(blob as ArrayLike<number>);
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`vector blob length ${bytes.byteLength} is not a multiple of 4`);
  const n = bytes.byteLength / 4;
  // Fast path: an aligned view on a little-endian machine (every platform Workers run on).
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const HEX_DIGITS = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    t['0123456789abcdef'.charCodeAt(i)] = i;
    t['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return t;
})();

/**
 * Reads a blob sent as SQLite `hex(blob)` text. D1 hands BLOB columns over as arrays of byte
 * numbers, which costs ~7× more than the hex text for a page of vectors (measured locally).
 */
export function decodeHexVector(hex: string): Float32Array {
  if (hex.length % 8 !== 0) throw new RangeError(`vector hex length ${hex.length} is not a multiple of 8`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) {
    const hi = HEX_DIGITS[hex.charCodeAt(j)] ?? -1;
    const lo = HEX_DIGITS[hex.charCodeAt(j + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new RangeError(`not a hex digit at ${hi < 0 ? j : j + 1}`);
    bytes[i] = (hi << 4) | lo;
  }
  return decodeVector(bytes);
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * Cosine similarity in -1..1 (Vectorize's `cosine` metric). A zero vector is similar to nothing
 * (0), and vectors of different lengths are an error, since they come from different models.
 * `aNorm` lets a query's norm be computed once for a whole scan.
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>, aNorm = norm(a)): number {
  if (a.length !== b.length) throw new RangeError(`vector dimensions differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    bb += b[i]! * b[i]!;
  }
  if (aNorm === 0 || bb === 0) return 0;
  // Rounding can push identical vectors a hair past 1.
  return Math.max(-1, Math.min(1, dot / (aNorm * Math.sqrt(bb))));
}

/**
 * Keeps the k best-scoring items seen so far in a min-heap (the root is the worst kept item), so
 * each offer is O(log k) and memory is O(k). Ties are broken by id (smaller first) so results do
 * not depend on scan order.
 */
export class TopK<T extends { id: string; score: number }> {
  private readonly heap: T[] = [];

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
  }

  get size(): number {
    return this.heap.length;
  }

  offer(item: T): void {
    if (this.k === 0) return;
    if (this.heap.length < this.k) {
      this.heap.push(item);
      this.up(this.heap.length - 1);
    } else if (worse(this.heap[0]!, item)) {
      this.heap[0] = item;
      this.down(0);
    }
  }

  /** Best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && worse(h[l]!, h[m]!)) m = l;
      if (r < h.length && worse(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** `a` ranks below `b`: lower score, or equal score and larger id. */
function worse(a: { id: string; score: number }, b: { id: string; score: number }): boolean {
  return a.score < b.score || (a.score === b.score && a.id > b.id);
}

// -------------------------------------------------------------------------------------------------
// int8 quantisation (the local index's isolate-level cache)
//
// Each vector v is stored as int8 codes c = round(v / s) with its own scale s = max|v_i| / 127, so
// |v_i - s·c_i| ≤ s/2 for every component. For a query q the approximate cosine
//   a = (s / |v|) · (q·c) / |q|      differs from the exact cosine by at most
//   e = (s / |v|) · ‖q‖₁ / (2|q|)    (Hölder: |q·(v − s·c)| ≤ ‖q‖₁ · s/2),
// which lets a scan prove which rows can still be in the exact top k (`rescoreCandidates`) and
// rescore only those from the exact Float32 values.
//
// A second bound holds too (Cauchy–Schwarz: |q·(v − s·c)| ≤ |q|·|v − s·c|):
//   e' = ‖v − s·c‖ / |v|      one figure per row, independent of the query,
// and each row uses the smaller of the two. For dense embeddings e' is the tighter one (rounding
// errors are spread, ~s/√12 a component, not s/2 everywhere): measured on the benchmark's 512-dim
// vectors, ~1.5× tighter, so fewer rows have to be fetched and rescored for the same exact result.

/** int8 codes with one factor per row (`s / |v|`, 0 for a zero vector), rows laid out contiguously. */
export interface Int8Matrix {
  dims: number;
  count: number;
  codes: Int8Array;
  factors: Float32Array;
  /** Optional: each row's ‖v − s·c‖ / |v| (`residualRatio`), the query-independent bound above. */
  residuals?: Float32Array;
}

/** The largest absolute component and the sum of squares of a row (quantisation's scale and norm). */
function magnitudes(values: ArrayLike<number>): { max: number; ss: number } {
  let max = 0;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const a = Math.abs(x);
    if (a > max) max = a;
    ss += x * x;
  }
  return { max, ss };
}

/**
 * Quantises `values` into `codes[offset .. offset + values.length)` and returns the row's factor
 * `s / |v|` (0 for a zero vector, whose cosine with anything is 0).
 */
export function quantizeInt8(values: ArrayLike<number>, codes: Int8Array, offset: number): number {
  const { max, ss } = magnitudes(values);
  if (max === 0 || !Number.isFinite(max)) {
    codes.fill(0, offset, offset + values.length);
    return 0;
  }
  const scale = max / 127;
  for (let i = 0; i < values.length; i++) codes[offset + i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
  return scale / Math.sqrt(ss);
}

/**
 * The row's quantisation error ‖v − s·c‖ / |v| for the codes `quantizeInt8` wrote at `offset` (0 for
 * a zero vector), rounded up to a float32 so that storing it never shrinks the bound.
 */
export function residualRatio(values: ArrayLike<number>, codes: Int8Array, offset: number): number {
  const { max, ss } = magnitudes(values);
  if (max === 0 || !Number.isFinite(max)) return 0;
  const scale = max / 127;
  let rr = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - scale * codes[offset + i]!;
    rr += d * d;
  }
  // A relative nudge of 2^-20 outweighs float32 rounding (at most 2^-24 relative): never below.
  return Math.fround(Math.sqrt(rr / ss) * (1 + 2 ** -20));
}

/** Float32 rounding of a stored factor and float64 summation, with room to spare. */
const BOUND_SLACK = 1e-6;

/**
 * Approximate cosines of `query` with every row into `out` (length ≥ count). Returns the error
 * scale E: row r's exact cosine lies within `out[r] ± factors[r]·E`. A query with mostly zero
 * components (sparse embeddings, e.g. hashed features) is dotted over its non-zero ones only.
 */
export function approxCosines(m: Int8Matrix, query: ArrayLike<number>, out: Float32Array): number {
  const { dims, count, codes, factors } = m;
  if (query.length !== dims) throw new RangeError(`vector dimensions differ: ${query.length} vs ${dims}`);
  let l1 = 0;
  let l2 = 0;
  const nz: number[] = [];
  for (let i = 0; i < dims; i++) {
    const x = query[i]!;
    if (x !== 0) nz.push(i);
    l1 += Math.abs(x);
    l2 += x * x;
  }
  const qNorm = Math.sqrt(l2);
  if (qNorm === 0) {
    out.fill(0, 0, count);
    return 0;
  }
  if (nz.length * 2 <= dims) {
    const idx = Int32Array.from(nz);
    const q = Float64Array.from(nz, (i) => query[i]! / qNorm);
    const n = idx.length;
    for (let r = 0, o = 0; r < count; r++, o += dims) {
      let s = 0;
      for (let t = 0; t < n; t++) s += q[t]! * codes[o + idx[t]!]!;
      out[r] = s * factors[r]!;
    }
  } else {
    const q = Float64Array.from({ length: dims }, (_, i) => query[i]! / qNorm);
    const tail = dims - (dims % 4);
    for (let r = 0, o = 0; r < count; r++, o += dims) {
      // Four accumulators: independent add chains run in parallel on the CPU.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < tail; j += 4) {
        s0 += q[j]! * codes[o + j]!;
        s1 += q[j + 1]! * codes[o + j + 1]!;
        s2 += q[j + 2]! * codes[o + j + 2]!;
        s3 += q[j + 3]! * codes[o + j + 3]!;
      }
      for (let j = tail; j < dims; j++) s0 += q[j]! * codes[o + j]!;
      out[r] = (s0 + s1 + s2 + s3) * factors[r]!;
    }
  }
  return l1 / (2 * qNorm);
}

/**
 * Rows that can still be among the exact top k, best approximate score first: every row whose
 * upper bound reaches the k-th best lower bound (any other row is beaten by k rows for sure). A
 * row's error bound is `factors[r]·errorScale`, or its `residuals[r]` when given and smaller. At
 * most `cap` are returned; when more qualify, the exact top k is no longer guaranteed (only
 * overwhelmingly likely). Returns `exact: false` in that case.
 */
export function rescoreCandidates(
  approx: Float32Array,
  factors: Float32Array,
  count: number,
  errorScale: number,
  k: number,
  cap: number,
  residuals?: Float32Array,
): { rows: number[]; exact: boolean } {
  if (k <= 0 || count === 0) return { rows: [], exact: true };
  const bound = residuals
    ? (r: number) => Math.min(factors[r]! * errorScale, residuals[r]!) + BOUND_SLACK
    : (r: number) => factors[r]! * errorScale + BOUND_SLACK;
  // k-th largest lower bound, through a min-heap of the k largest seen.
  const heap = new Float64Array(Math.min(k, count));
  let size = 0;
  for (let r = 0; r < count; r++) {
    const lower = approx[r]! - bound(r);
    if (size < heap.length) {
      let i = size++;
      heap[i] = lower;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= heap[i]!) break;
        [heap[p], heap[i]] = [heap[i]!, heap[p]!];
        i = p;
      }
    } else if (lower > heap[0]!) {
      heap[0] = lower;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let m = i;
        if (l < size && heap[l]! < heap[m]!) m = l;
        if (rr < size && heap[rr]! < heap[m]!) m = rr;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
  }
  const threshold = size < k ? -Infinity : heap[0]!;
  const rows: number[] = [];
  for (let r = 0; r < count; r++) if (approx[r]! + bound(r) >= threshold) rows.push(r);
  rows.sort((a, b) => approx[b]! - approx[a]! || a - b);
  const exact = rows.length <= cap;
  return { rows: exact ? rows : rows.slice(0, cap), exact };
}
