import type { ChunkOptions } from '../contract/chunking';
import { CHARS_PER_TOKEN, estimateTextTokens } from './tokens';

/**
 * Splits extracted text into retrieval chunks per a vector-store file's `chunking_strategy`
 * (`auto` = 800-token chunks overlapping by 400; `static`: 100..4096 tokens, overlap ≤ half).
 *
 * Tokens are the project's estimate (src/domain/tokens.ts: ~4 characters per token), not a real
 * tokenizer: OpenAI counts with its own BPE, which Workers cannot run cheaply, and embedding models
 * each tokenize differently anyway. So a chunk of `maxTokens` holds at most `4 × maxTokens`
 * characters, and an overlap of `overlapTokens` repeats at most `4 × overlapTokens` characters.
 *
 * Cuts prefer, in order, a paragraph break, a line break, a sentence end, a space, and only then
 * fall anywhere (never inside a surrogate pair), searching back from the size limit over the last
 * quarter to half of the chunk (more when the overlap is small), so chunks stay well filled. Each chunk's `start`/`end` are character (UTF-16
 * code unit) offsets into the input with `text.slice(start, end) === chunk.text`; chunks are
 * trimmed of surrounding whitespace and never empty. Linear in the text length; deterministic.
 */
export type { ChunkOptions };
export { AUTO_CHUNKING } from '../contract/chunking';

export interface Chunk {
  text: string;
  tokens: number;
  start: number;
  end: number;
}

export function chunkText(text: string, options: ChunkOptions): Chunk[] {
  return [...iterateChunks(text, options)];
}

/** The same chunks, lazily: a caller embedding in batches need not hold them all at once. */
export function* iterateChunks(text: string, { maxTokens, overlapTokens }: ChunkOptions): Generator<Chunk> {
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError('maxTokens must be a positive integer');
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > maxTokens / 2) {
    throw new RangeError('overlapTokens must be an integer between 0 and maxTokens / 2');
  }
  const maxChars = maxTokens * CHARS_PER_TOKEN;
  const overlapChars = overlapTokens * CHARS_PER_TOKEN;
  // Cuts are searched no earlier than this far into a chunk: at least half full, and far enough past
  // the overlap that each chunk advances by ≥ (max − overlap) / 2 ≥ max / 4 characters, which keeps
  // the whole pass linear (each step scans at most one chunk's width).
  const minCut = Math.max(Math.ceil(maxChars / 2), overlapChars + Math.ceil((maxChars - overlapChars) / 2));
  const n = text.length;
  let start = skipWhitespace(text, 0, n);
  while (start < n) {
    const end = start + maxChars >= n ? n : findCut(text, start, start + maxChars, start + minCut);
    // Trim the chunk's trailing whitespace (its leading whitespace was skipped already).
    let last = end;
    while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
    if (last > start) {
      const body = text.slice(start, last);
      yield { text: body, tokens: estimateTextTokens(body), start, end: last };
    }
    if (end >= n) break;
    // The next chunk starts `overlapChars` before this cut, moved forward to a word start so it does
    // not open mid-word (the overlap may come out a little short of the target, never over it).
    let next = end;
    if (overlapChars > 0) {
      const target = Math.max(end - overlapChars, start + 1);
      next = wordStartAtOrAfter(text, target, end);
    }
    if (next <= start) next = end; // guarantees progress
    start = skipWhitespace(text, next, n);
  }
}

/** The best cut in (min, max]: text before the cut goes to this chunk. */
function findCut(text: string, start: number, max: number, min: number): number {
  let line = -1;
  let sentence = -1;
  let space = -1;
  // One backward scan; a paragraph break ends it at once (nothing ranks higher).
  for (let i = max; i > min; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 /* \n */) {
      if (isParagraphBreak(text, i - 1, start)) return i;
      if (line === -1) line = i;
    } else if (sentence === -1 && isSpace(c) && isSentenceEnd(text, i - 1, start)) {
      sentence = i;
    } else if (space === -1 && isSpace(c)) {
      space = i;
    }
  }
  if (line !== -1) return line;
  if (sentence !== -1) return sentence;
  if (space !== -1) return space;
  // No boundary: a hard cut, but not between the halves of a surrogate pair.
  const c = text.charCodeAt(max - 1);
  return c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
}

/** `\n` at `i` follows another line break, ignoring spaces and tabs between them. */
function isParagraphBreak(text: string, i: number, floor: number): boolean {
  for (let j = i - 1; j >= floor; j--) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/** The whitespace at `i` follows sentence-ending punctuation (closing quotes/brackets allowed). */
function isSentenceEnd(text: string, i: number, floor: number): boolean {
  let j = i - 1;
  while (j >= floor && /["'”’)\]]/.test(text[j]!)) j--;
  if (j < floor) return false;
  const c = text[j]!;
  return c === '.' || c === '!' || c === '?' || c === '。' || c === '！' || c === '？' || c === ';' || c === ':';
}

function wordStartAtOrAfter(text: string, from: number, limit: number): number {
  if (from <= 0 || isSpace(text.charCodeAt(from - 1))) return from;
  for (let i = from; i < limit; i++) {
    if (isSpace(text.charCodeAt(i))) return i + 1;
  }
  // One long token (no spaces in the overlap): keep the exact overlap, but not inside a surrogate pair.
  const c = text.charCodeAt(from);
  return c >= 0xdc00 && c <= 0xdfff ? from + 1 : from;
}

function skipWhitespace(text: string, from: number, n: number): number {
  let i = from;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}
