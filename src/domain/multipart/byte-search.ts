/** Joins a part's pieces, without a copy when there is one. */
export function concat(pieces: Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const skipTables = new WeakMap<Uint8Array, Uint32Array>();

/**
 * Boyer-Moore-Horspool search: the delimiter is ~40-70 bytes, so the scan skips most of a file's bytes
 * instead of comparing at every offset (this runs over every byte of every upload).
 */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const n = needle.length;
  if (n === 0) return from;
  if (n <= 4) {
    // Short needles (CRLF, CRLFCRLF): a first-byte scan is faster than building a table.
    outer: for (let i = hay.indexOf(needle[0]!, from); i !== -1 && i <= hay.length - n; i = hay.indexOf(needle[0]!, i + 1)) {
      for (let j = 1; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }
  let skip = skipTables.get(needle);
  if (!skip) {
    skip = new Uint32Array(256).fill(n);
    for (let j = 0; j < n - 1; j++) skip[needle[j]!] = n - 1 - j;
    skipTables.set(needle, skip);
  }
  const last = needle[n - 1]!;
  for (let i = from; i <= hay.length - n; ) {
    const c = hay[i + n - 1]!;
    if (c === last) {
      let j = n - 2;
      while (j >= 0 && hay[i + j] === needle[j]) j--;
      if (j < 0) return i;
    }
    i += skip[c]!;
  }
  return -1;
}
