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
