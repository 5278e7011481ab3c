import { describe, expect, it } from 'vitest';
import { MAX_PART_CHARS, splitIntoParts } from '../../../src/durable/responses/storage';

// A Durable Object's SQLite holds at most 2 MB per value: the model request is stored in parts.
describe('splitIntoParts', () => {
  it('cuts a long text into parts of at most the limit that join back to it', () => {
    const text = 'x'.repeat(MAX_PART_CHARS * 2 + 17);
    const parts = splitIntoParts(text);
    expect(parts.map((p) => p.length)).toEqual([MAX_PART_CHARS, MAX_PART_CHARS, 17]);
    expect(parts.join('')).toBe(text);
  });

  it('keeps a short text (and an empty one) as one part', () => {
    expect(splitIntoParts('{}')).toEqual(['{}']);
    expect(splitIntoParts('')).toEqual(['']);
  });

  it('never cuts a surrogate pair, so each part is valid UTF-16 for SQLite', () => {
    const text = 'ab😀cd😀';
    const parts = splitIntoParts(text, 3);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p).toBe(Buffer.from(p, 'utf8').toString('utf8'));
  });
});
