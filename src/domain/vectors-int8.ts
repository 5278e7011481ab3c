// int8 quantisation: the local vector index's isolate-level cache (src/adapters/vector-index/local.ts).
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
