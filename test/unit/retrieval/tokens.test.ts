import { describe, expect, it } from 'vitest';
import { estimateTextTokens, tokenCostAt, tokenFeatures, TOKEN_CLASSES } from '../../../src/domain/tokens';

describe('estimateTextTokens', () => {
  it('counts scripts by their own ratio, not 4 characters a token', () => {
    // Real o200k_base counts (gpt-tokenizer) of these strings, for orientation: 10, 13, 19.
    const en = 'The quick brown fox jumps over the lazy dog.';
    const zh = '快速的棕色狐狸跳过了懒狗。';
    const ja = '素早い茶色の狐がのろまな犬を飛び越える。';
    expect(estimateTextTokens(en)).toBeGreaterThanOrEqual(8);
    expect(estimateTextTokens(en)).toBeLessThanOrEqual(12);
    expect(estimateTextTokens(zh)).toBeGreaterThanOrEqual(9); // the 4-chars rule says 4
    expect(estimateTextTokens(ja)).toBeGreaterThanOrEqual(12); // the 4-chars rule says 5
  });

  it('a single space before a word is free; whitespace runs cost once', () => {
    expect(tokenCostAt('a b', 1)).toBe(0);
    const indented = 'x\n        y';
    const costs = [...indented].map((_, i) => tokenCostAt(indented, i));
    expect(costs.filter((c) => c > 0)).toHaveLength(3); // x, the run, y
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('   ')).toBeGreaterThan(0);
  });

  it('a surrogate pair is one character', () => {
    expect(tokenCostAt('😀', 1)).toBe(0);
    expect(tokenCostAt('😀', 0)).toBeGreaterThan(0);
  });

  it('features count every class the costs are fitted on', () => {
    const f = tokenFeatures('Héllo 123 {"a": 1}\n\n한국어 日本 かな Привет שלום नमस्ते ไทย €');
    expect(Object.keys(f)).toEqual([...TOKEN_CLASSES]);
    expect(f).toMatchObject({ latinExt: 1, digit: 4, hangul: 3, cjk: 2, kana: 2, cyrGreek: 6, arabicHebrew: 4, thai: 3, other: 1 });
    expect(f.indic).toBe(6);
    expect(f.spaceRun).toBe(1);
  });
});
