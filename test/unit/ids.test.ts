import { describe, expect, it } from 'vitest';
import { newId, unixSeconds } from '../../src/domain/ids';

describe('newId', () => {
  it('has the OpenAI shape: prefix + 24 base62 characters', () => {
    for (const prefix of ['asst_', 'thread_', 'msg_', 'file-'] as const) {
      expect(newId(prefix)).toMatch(new RegExp(`^${prefix}[0-9A-Za-z]{24}$`));
    }
  });

  it('sorts in creation order, even within one millisecond', () => {
    const now = Date.now();
    const ids = Array.from({ length: 1000 }, () => newId('msg_', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('never goes backwards when the clock does', () => {
    const a = newId('msg_', Date.now() + 5000);
    const b = newId('msg_', Date.now());
    expect(b > a).toBe(true);
  });

  it('unixSeconds truncates milliseconds', () => {
    expect(unixSeconds(1_700_000_000_999)).toBe(1_700_000_000);
  });
});
