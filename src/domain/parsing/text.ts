/**
 * Byte → string decoding for text-like files. Uploads carry no reliable charset (the SDK sends
 * `application/octet-stream` or a type guessed from the name), so the bytes decide:
 * - a UTF-8 / UTF-16 byte-order mark wins;
 * - otherwise strict UTF-8;
 * - bytes that are not UTF-8 but read as clean Windows-1252 (legacy Latin-1 text files) are accepted;
 * - anything else, or text full of control characters, is binary, not text.
 * UTF-16 and Windows-1252 are decoded by hand: workerd's TextDecoder is only guaranteed for UTF-8.
 */

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: 'binary' | 'encoding' };

/** More control characters than this (per character) means binary data, not text. */
const MAX_CONTROL_RATIO = 0.01;

export function decodeText(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return finish(decodeUtf8(bytes.subarray(3)));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return finish(decodeUtf16(bytes.subarray(2), true));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return finish(decodeUtf16(bytes.subarray(2), false));
  if (bytes.includes(0)) return { ok: false, reason: 'binary' };
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return finish(utf8);
  return finish(decodeWindows1252(bytes), 'encoding');
}

/** `\r\n` and lone `\r` become `\n`, so offsets and chunk boundaries are platform-independent. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function finish(text: string | null, failure: 'binary' | 'encoding' = 'binary'): DecodeResult {
  if (text === null) return { ok: false, reason: 'encoding' };
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) are normal in text files.
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13 && c !== 27) || c === 0x7f || c === 0xfffd) {
      control++;
    }
  }
  if (control > Math.max(2, text.length * MAX_CONTROL_RATIO)) return { ok: false, reason: failure };
  return { ok: true, text: normalizeNewlines(text) };
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    // ignoreBOM: the caller already removed ours; a second BOM is content.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string | null {
  if (bytes.length % 2 !== 0) return null;
  const parts: string[] = [];
  const CHUNK = 8192;
  const units = new Uint16Array(Math.min(CHUNK, bytes.length / 2));
  for (let start = 0; start < bytes.length; start += CHUNK * 2) {
    const end = Math.min(bytes.length, start + CHUNK * 2);
    let n = 0;
    for (let i = start; i < end; i += 2) {
      units[n++] = littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
    }
    parts.push(String.fromCharCode(...units.subarray(0, n)));
  }
  // Surrogate pairs split across chunk boundaries rejoin in the concatenation.
  return parts.join('');
}

/** Windows-1252's 0x80-0x9F block (undefined positions map to U+FFFD and count as control). */
const CP1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  const codes = new Uint16Array(Math.min(CHUNK, bytes.length));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes[i - start] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}
