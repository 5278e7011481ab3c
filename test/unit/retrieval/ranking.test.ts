import { describe, expect, it } from 'vitest';
import { matchesFilter, normalizeScores, reciprocalRankFusion, type Filter } from '../../../src/domain/ranking';
import { VectorStoreSearchFilter } from '../../../src/contract/filters';
import { parseWith } from '../../../src/http/validation';

const ids = (...xs: string[]) => xs.map((id) => ({ id }));

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over lists', () => {
    const fused = reciprocalRankFusion([ids('a', 'b', 'c'), ids('b', 'd')], 60);
    expect(fused.map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused[3]!.score).toBeCloseTo(1 / 63, 12);
  });

  it('rewards agreement over a single first place', () => {
    const fused = reciprocalRankFusion([ids('solo', 'x', 'both'), ids('y', 'z', 'both')]);
    expect(fused[0]!.id).toBe('both');
  });

  it('counts an id once per list, at its best rank, and breaks ties by first appearance', () => {
    const fused = reciprocalRankFusion([ids('a', 'a', 'b'), ids('c')]);
    expect(fused).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'c', score: 1 / 61 },
      { id: 'b', score: 1 / 63 },
    ]);
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('normalises fused scores so the best is 1', () => {
    const fused = reciprocalRankFusion([ids('a', 'b'), ids('a', 'c')]);
    const normalised = normalizeScores(fused);
    expect(normalised[0]).toEqual({ id: 'a', score: 1 });
    expect(normalised[1]!.score).toBeCloseTo(1 / 62 / (2 / 61), 5);
    for (const r of normalised) expect(r.score).toBeGreaterThanOrEqual(0), expect(r.score).toBeLessThanOrEqual(1);
    expect(normalizeScores([])).toEqual([]);
    expect(normalizeScores([{ id: 'z', score: 0 }])).toEqual([{ id: 'z', score: 0 }]);
  });
});

describe('matchesFilter', () => {
  const attrs = { author: 'ann', year: 2021, draft: false, date: '2024-05-01' };
  const cmp = (type: Filter['type'], key: string, value: unknown) => ({ type, key, value }) as Filter;

  it('compares with eq/ne strictly by type', () => {
    expect(matchesFilter(attrs, cmp('eq', 'author', 'ann'))).toBe(true);
    expect(matchesFilter(attrs, cmp('eq', 'year', '2021'))).toBe(false);
    expect(matchesFilter(attrs, cmp('eq', 'draft', false))).toBe(true);
    expect(matchesFilter(attrs, cmp('ne', 'author', 'bob'))).toBe(true);
    expect(matchesFilter(attrs, cmp('ne', 'author', 'ann'))).toBe(false);
  });

  it('orders numbers numerically and strings lexicographically; mixed types never match', () => {
    expect(matchesFilter(attrs, cmp('gt', 'year', 2020))).toBe(true);
    expect(matchesFilter(attrs, cmp('gte', 'year', 2021))).toBe(true);
    expect(matchesFilter(attrs, cmp('lt', 'year', 2021))).toBe(false);
    expect(matchesFilter(attrs, cmp('lte', 'year', 2021))).toBe(true);
    expect(matchesFilter(attrs, cmp('gte', 'date', '2024-01-01'))).toBe(true);
    expect(matchesFilter(attrs, cmp('lt', 'date', '2024-01-01'))).toBe(false);
    expect(matchesFilter(attrs, cmp('gt', 'year', '2000'))).toBe(false);
    expect(matchesFilter(attrs, cmp('gt', 'draft', 0))).toBe(false);
  });

  it('handles in/nin lists (and a scalar as a one-element list)', () => {
    expect(matchesFilter(attrs, cmp('in', 'author', ['bob', 'ann']))).toBe(true);
    expect(matchesFilter(attrs, cmp('in', 'year', ['2021']))).toBe(false);
    expect(matchesFilter(attrs, cmp('nin', 'author', ['bob']))).toBe(true);
    expect(matchesFilter(attrs, cmp('nin', 'year', [2021, 2022]))).toBe(false);
    expect(matchesFilter(attrs, cmp('in', 'author', 'ann'))).toBe(true);
  });

  it('matches a missing attribute only with ne and nin', () => {
    for (const a of [attrs, null, undefined]) {
      expect(matchesFilter(a, cmp('eq', 'missing', 'x'))).toBe(false);
      expect(matchesFilter(a, cmp('gt', 'missing', 1))).toBe(false);
      expect(matchesFilter(a, cmp('in', 'missing', ['x']))).toBe(false);
      expect(matchesFilter(a, cmp('ne', 'missing', 'x'))).toBe(true);
      expect(matchesFilter(a, cmp('nin', 'missing', ['x']))).toBe(true);
    }
    // Inherited properties are not attributes.
    expect(matchesFilter(attrs, cmp('ne', 'toString', 'x'))).toBe(true);
    expect(matchesFilter({}, cmp('eq', 'constructor', 'x'))).toBe(false);
  });

  it('combines nested and/or filters', () => {
    const filter: Filter = {
      type: 'and',
      filters: [
        { type: 'gte', key: 'year', value: 2020 },
        { type: 'or', filters: [{ type: 'eq', key: 'author', value: 'bob' }, { type: 'eq', key: 'draft', value: false }] },
      ],
    };
    expect(matchesFilter(attrs, filter)).toBe(true);
    expect(matchesFilter({ ...attrs, draft: true }, filter)).toBe(false);
    expect(matchesFilter(attrs, { type: 'and', filters: [] })).toBe(true);
    expect(matchesFilter(attrs, { type: 'or', filters: [] })).toBe(false);
  });
});

describe('VectorStoreSearchFilter schema', () => {
  const parse = (v: unknown) => parseWith(VectorStoreSearchFilter, v);
  const error = (v: unknown) => {
    try {
      parse(v);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('expected a validation error');
  };

  it('accepts comparison and nested compound filters', () => {
    const nested = {
      type: 'or',
      filters: [
        { type: 'in', key: 'tag', value: ['a', 1] },
        { type: 'and', filters: [{ type: 'eq', key: 'x', value: true }, { type: 'lt', key: 'n', value: 3.5 }] },
      ],
    };
    expect(parse(nested)).toEqual(nested);
    expect(parse({ type: 'eq', key: 'k', value: 'v' })).toEqual({ type: 'eq', key: 'k', value: 'v' });
  });

  it('refuses unknown operators, unknown keys and bad values with OpenAI wording', () => {
    expect(error({ type: 'like', key: 'k', value: 'v' })).toBe(
      "Invalid value: 'like'. Supported values are: 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'and', and 'or'.",
    );
    expect(error({ type: 'eq', key: 'k', value: 'v', extra: 1 })).toBe("Unknown parameter: 'extra'.");
    expect(error({ type: 'eq', key: 'k' })).toBe("Missing required parameter: 'value'.");
    expect(error({ type: 'and', filters: [{ type: 'eq', key: 'k', value: null }] })).toMatch(/^Invalid type for 'filters\[0\]\.value'/);
    expect(error({ type: 'and', filters: [{ type: 'eq', key: 'k', value: [true] }] })).toMatch(/filters\[0\]\.value/);
    expect(error({ type: 'or' })).toBe("Missing required parameter: 'filters'.");
  });
});
