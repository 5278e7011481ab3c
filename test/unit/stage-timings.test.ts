import { describe, expect, it } from 'vitest';
import { StageTimings } from '../../src/observability/stage-timings';

describe('StageTimings (the search route’s Server-Timing header)', () => {
  it('adds up repeated stages, keeps first-seen order, and parses back what it writes', () => {
    const t = new StageTimings();
    t.add('keyword', 1.25);
    t.add('vector', 3);
    t.add('keyword', 2);
    expect(t.header()).toBe('keyword;dur=3.3, vector;dur=3.0');
    expect(StageTimings.parse(t.header())).toEqual({ keyword: 3.3, vector: 3 });
  });

  it('records a stage that throws, and rethrows', async () => {
    const t = new StageTimings();
    await expect(t.time('fails', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(() => t.timeSync('also', () => { throw new Error('sync'); })).toThrow('sync');
    expect(Object.keys(StageTimings.parse(t.header()))).toEqual(['fails', 'also']);
  });

  it('parses a missing or foreign header to no stages', () => {
    expect(StageTimings.parse(null)).toEqual({});
    expect(StageTimings.parse('cache;desc="hit"')).toEqual({});
  });
});
