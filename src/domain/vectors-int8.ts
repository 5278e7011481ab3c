// int8 quantisation: the local vector index's isolate-level cache (src/adapters/vector-index/local.ts).
//
// Each vector v is stored as int8 codes c = round(v / s) with its own scale s = max|v_i| / 127, so
// |v_i - s·c_i| ≤ s/2 for every component. For a query q the approximate cosine
//   a = (s / |v|) · (q·c) / |q|      differs from the exact cosine by at most
//   e = (s / |v|) · ‖q‖₁ / (2|q|)    (Hölder: |q·(v − s·c)| ≤ ‖q‖₁ · s/2),
// a proven bound on the score the local index returns (it scores as Vectorize does by default:
// approximately, docs/storage.md). Rounding errors spread over the dimensions, so the typical
// error is far below e.

/** int8 codes with one factor per row (`s / |v|`, 0 for a zero vector), rows laid out contiguously. */
export interface Int8Matrix {
  dims: number;
  count: number;
  codes: Int8Array;
  factors: Float32Array;
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
