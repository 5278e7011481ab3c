import { describe, expect, it } from 'vitest';
import { AUTO_CHUNKING, chunkText, iterateChunks, type Chunk } from '../../../src/domain/chunking';
import { CHARS_PER_TOKEN, estimateTextTokens } from '../../../src/domain/tokens';

/** Deterministic prose: sentences of varied length, paragraphs every few sentences. */
function prose(sentences: number, seed = 7): string {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'retrieval', 'vector', 'store', 'chunk', 'token', 'overlap', 'index', 'query'];
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const len = 5 + rand(20);
    const sentence = Array.from({ length: len }, () => words[rand(words.length)]).join(' ');
    out.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`);
    out.push(rand(6) === 0 ? '\n\n' : ' ');
  }
  return out.join('').trim();
}

function checkInvariants(text: string, chunks: Chunk[], maxTokens: number, overlapTokens: number) {
  expect(chunks.length).toBeGreaterThan(0);
  let prevStart = -1;
  let prevEnd = 0;
  for (const c of chunks) {
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.text.trim()).toBe(c.text);
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.tokens).toBe(estimateTextTokens(c.text));
    expect(c.tokens).toBeLessThanOrEqual(maxTokens);
    expect(c.start).toBeGreaterThan(prevStart);
    // Overlap with the previous chunk never exceeds the requested overlap (in estimated tokens).
    if (prevStart >= 0 && prevEnd > c.start) expect(estimateTextTokens(text.slice(c.start, prevEnd))).toBeLessThanOrEqual(overlapTokens);
    prevStart = c.start;
    prevEnd = c.end;
  }
  // Every non-whitespace character is covered by some chunk.
  let covered = 0;
  for (const c of chunks) {
    if (c.start > covered) expect(text.slice(covered, c.start).trim()).toBe('');
    covered = Math.max(covered, c.end);
  }
  expect(text.slice(covered).trim()).toBe('');
}

describe('chunkText', () => {
  it('returns one chunk for short text and none for blank text', () => {
    expect(chunkText('  Hello world.  ', AUTO_CHUNKING)).toEqual([{ text: 'Hello world.', tokens: 3, start: 2, end: 14 }]);
    expect(chunkText('', AUTO_CHUNKING)).toEqual([]);
    expect(chunkText(' \n\t\n ', AUTO_CHUNKING)).toEqual([]);
  });

  it('keeps the invariants for auto and static strategies', () => {
    const text = prose(3000);
    for (const opts of [AUTO_CHUNKING, { maxTokens: 100, overlapTokens: 0 }, { maxTokens: 100, overlapTokens: 50 }, { maxTokens: 4096, overlapTokens: 2048 }, { maxTokens: 250, overlapTokens: 17 }]) {
      checkInvariants(text, chunkText(text, opts), opts.maxTokens, opts.overlapTokens);
    }
  });

  it('cuts at sentence ends and starts overlaps at word boundaries', () => {
    const text = prose(800);
    const chunks = chunkText(text, { maxTokens: 100, overlapTokens: 20 });
    // Every cut falls on a word boundary, and mostly at a sentence end (a sentence longer than the
    // search window forces a cut at a space).
    for (const c of chunks.slice(0, -1)) expect(/\s/.test(text[c.end]!)).toBe(true);
    const atSentenceEnd = chunks.slice(0, -1).filter((c) => c.text.endsWith('.')).length;
    expect(atSentenceEnd / (chunks.length - 1)).toBeGreaterThan(0.7);
    for (const c of chunks.slice(1)) expect(/\s/.test(text[c.start - 1]!)).toBe(true);
    // Chunks stay well filled: more than half the budget, except the last.
    for (const c of chunks.slice(0, -1)) expect(c.tokens).toBeGreaterThan(50);
  });

  it('prefers a paragraph break to a sentence end', () => {
    const para1 = 'First sentence here. '.repeat(14).trim(); // ~300 chars
    const para2 = 'Second paragraph text. '.repeat(10).trim();
    const text = `${para1}\n\n${para2}`;
    const chunks = chunkText(text, { maxTokens: 100, overlapTokens: 0 });
    expect(chunks[0]!.text).toBe(para1);
    expect(chunks[1]!.text.startsWith('Second paragraph')).toBe(true);
  });

  it('overlaps consecutive chunks by about the requested number of tokens', () => {
    const text = prose(2000);
    const chunks = chunkText(text, AUTO_CHUNKING);
    const overlaps = chunks.slice(1).map((c, i) => estimateTextTokens(text.slice(c.start, chunks[i]!.end)));
    const mean = overlaps.reduce((a, b) => a + b, 0) / overlaps.length;
    expect(mean).toBeGreaterThan(400 * 0.9);
    expect(Math.max(...overlaps)).toBeLessThanOrEqual(400);
  });

  it('hard-cuts text without spaces, never splitting a surrogate pair', () => {
    const emoji = '😀'.repeat(1000); // 2000 UTF-16 units, no whitespace
    const chunks = chunkText(emoji, { maxTokens: 101, overlapTokens: 0 });
    checkInvariants(emoji, chunks, 101, 0);
    for (const c of chunks) expect(c.text).toMatch(/^(?:😀)+$/u);
    const mixed = `x${'y'.repeat(5000)}`;
    checkInvariants(mixed, chunkText(mixed, { maxTokens: 100, overlapTokens: 50 }), 100, 50);
  });

  it('is deterministic', () => {
    const text = prose(500, 99);
    expect(chunkText(text, { maxTokens: 120, overlapTokens: 30 })).toEqual(chunkText(text, { maxTokens: 120, overlapTokens: 30 }));
  });

  it('handles a large text in linear time, lazily', () => {
    const text = prose(200_000); // ~20 MB of words would be slow if anything were quadratic
    let count = 0;
    let last: Chunk | undefined;
    for (const c of iterateChunks(text, AUTO_CHUNKING)) {
      count++;
      last = c;
    }
    // No timing assertion (figures belong in benchmarks): a quadratic pass would not finish here.
    expect(count).toBeGreaterThan(text.length / (800 * CHARS_PER_TOKEN));
    expect(last!.end).toBe(text.length);
    // Worst case for the cut search: one giant line without sentence ends or spaces.
    const flat = 'a'.repeat(2_000_000);
    expect(chunkText(flat, { maxTokens: 100, overlapTokens: 50 }).length).toBeGreaterThan(2_000_000 / 400);
  });

  it('rejects invalid options', () => {
    expect(() => chunkText('x', { maxTokens: 0, overlapTokens: 0 })).toThrow(RangeError);
    expect(() => chunkText('x', { maxTokens: 100, overlapTokens: 51 })).toThrow(RangeError);
    expect(() => chunkText('x', { maxTokens: 100, overlapTokens: -1 })).toThrow(RangeError);
  });
});

describe('chunking by estimated tokens, not characters', () => {
  it('puts fewer characters of CJK than of English in a chunk of the same token budget', () => {
    const english = prose(400);
    const chinese = '检索增强生成把文档切成小块，每块单独嵌入向量。查询时先找最相近的块，再交给模型作答。'.repeat(200);
    const en = chunkText(english, { maxTokens: 200, overlapTokens: 0 });
    const zh = chunkText(chinese, { maxTokens: 200, overlapTokens: 0 });
    for (const c of [...en, ...zh]) expect(c.tokens).toBeLessThanOrEqual(200);
    const charsPerChunk = (cs: Chunk[]) => cs[0]!.text.length;
    // ~4 characters a token in English, ~1.3 in Chinese (o200k_base; npm run bench:tokens).
    expect(charsPerChunk(en)).toBeGreaterThan(600);
    expect(charsPerChunk(zh)).toBeLessThan(300);
    expect(zh[0]!.tokens).toBeGreaterThan(150);
  });
});
