import type { ChunkOptions } from '../contract/chunking';
import { tokenCostAt } from './tokens';

/**
 * Splits extracted text into retrieval chunks per a vector-store file's `chunking_strategy`
 * (`auto` = 800-token chunks overlapping by 400; `static`: 100..4096 tokens, overlap ≤ half).
 *
 * Tokens are the project's script-aware estimate (src/domain/tokens.ts, within ~8 % of OpenAI's
 * o200k_base on average across 18 languages, code and JSON: `npm run bench:tokens`), not a real
 * tokenizer: OpenAI counts with its own BPE, which Workers cannot run cheaply, and embedding models
 * each tokenize differently anyway. A chunk of `maxTokens` therefore holds ~4 × maxTokens characters
 * of English but only ~1.3 × maxTokens of Chinese, as a real tokenizer would count them.
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
  // Cuts are searched no earlier than this many tokens into a chunk: at least half full, and far
  // enough past the overlap that each chunk advances by ≥ (max − overlap) / 2 ≥ max / 4 tokens,
  // which keeps the whole pass linear (each step scans at most one chunk's width).
  const minCutTokens = Math.max(Math.ceil(maxTokens / 2), overlapTokens + Math.ceil((maxTokens - overlapTokens) / 2));
  const cost = (i: number) => tokenCostAt(text, i);
  const n = text.length;
  let start = skipWhitespace(text, 0, n);
  // The overlap's cost is known from the backward walk: the next forward walk resumes after it
  // instead of re-reading it (each character is costed ~1.5 times, not 4).
  let known = { end: start, tokens: 0 };
  while (start < n) {
    // Walk forward to the token budget: `minCut` where minCutTokens is reached, `limit` where maxTokens is.
    let used = known.tokens;
    let minCut = used >= minCutTokens ? known.end : -1;
    let limit = known.end;
    while (limit < n) {
      const c = cost(limit);
      if (used + c > maxTokens) break;
      used += c;
      limit += 1;
      if (minCut === -1 && used >= minCutTokens) minCut = limit;
    }
    if (limit === start) limit = start + 1; // one character over budget on its own: take it anyway
    const end = limit >= n ? n : findCut(text, start, limit, minCut === -1 ? start + Math.ceil((limit - start) / 2) : minCut);
    // Trim the chunk's trailing whitespace (its leading whitespace was skipped already).
    let last = end;
    while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
    if (last > start) {
      // The estimate of exactly this text (estimateTextTokens): the walk's total less what lies past `last`.
      let tokens = used;
      for (let i = last; i < limit; i++) tokens -= cost(i);
      yield { text: text.slice(start, last), tokens: Math.max(0, Math.ceil(tokens - 1e-9)), start, end: last };
    }
    if (end >= n) break;
    // The next chunk starts `overlapTokens` before this cut, moved forward to a word start so it does
    // not open mid-word (the overlap may come out a little short of the target, never over it).
    let next = end;
    let back = 0;
    if (overlapTokens > 0) {
      let target = end;
      while (target > start + 1) {
        const c = cost(target - 1);
        if (back + c > overlapTokens) break;
        back += c;
        target -= 1;
      }
      next = wordStartAtOrAfter(text, target, end);
      for (let i = target; i < next; i++) back -= cost(i);
    }
    if (next <= start) {
      next = end; // guarantees progress
      back = 0;
    }
    start = skipWhitespace(text, next, n);
    known = start === next && next < end ? { end, tokens: back } : { end: start, tokens: 0 };
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
