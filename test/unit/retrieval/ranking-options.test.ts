import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../../src/domain/ranking';
import { toolRanking } from '../../../src/domain/retrieval/file-search-tool';
import { readRewrite, rewriteMessages } from '../../../src/domain/retrieval/query-rewrite';
import {
  maxFusedScore,
  planRanking,
  preparePassage,
  queryTerms,
  RankingOptionError,
  relevance,
  termCoverage,
} from '../../../src/domain/retrieval/ranking-options';

const ids = (...xs: string[]) => xs.map((id) => ({ id }));

describe('weighted reciprocal rank fusion', () => {
  it('scales each list by its weight, so the heavier list decides a disagreement', () => {
    const keyword = ids('k1', 'shared');
    const vector = ids('v1', 'shared');
    const order = (w: number[]) => reciprocalRankFusion([keyword, vector], 60, w).map((s) => s.id);
    expect(order([1, 3])).toEqual(['shared', 'v1', 'k1']);
    expect(order([3, 1])).toEqual(['shared', 'k1', 'v1']);
    expect(order([1, 0])).toEqual(['k1', 'shared']);
    const weighted = reciprocalRankFusion([keyword, vector], 60, [2, 1]);
    expect(weighted.find((s) => s.id === 'k1')!.score).toBeCloseTo(2 / 61, 12);
    expect(weighted.find((s) => s.id === 'shared')!.score).toBeCloseTo(2 / 62 + 1 / 62, 12);
  });

  it('leaves out a list of weight 0 and rejects bad weights', () => {
    expect(reciprocalRankFusion([ids('a'), ids('b')], 60, [0, 1]).map((s) => s.id)).toEqual(['b']);
    expect(() => reciprocalRankFusion([ids('a')], 60, [-1])).toThrow(RangeError);
    expect(() => reciprocalRankFusion([ids('a'), ids('b')], 60, [1])).toThrow(RangeError);
  });
});

describe('planRanking', () => {
  it('defaults to hybrid, text weighted 3:1 (the benchmark\'s choice), and the re-ranker', () => {
    expect(planRanking({}, true)).toEqual({ mode: 'hybrid', rerank: true, textWeight: 3, embeddingWeight: 1 });
  });

  it('ranker none keeps the fused order; auto and the dated rankers re-rank', () => {
    expect(planRanking({ ranker: 'none' }, true).rerank).toBe(false);
    for (const ranker of ['auto', 'default-2024-11-15', 'default_2024_08_21']) expect(planRanking({ ranker }, true).rerank).toBe(true);
  });

  it('search_mode picks the retrievers; hybrid_search sets the weights', () => {
    expect(planRanking({ search_mode: 'vector' }, true)).toMatchObject({ mode: 'vector', textWeight: 0, embeddingWeight: 1 });
    expect(planRanking({ search_mode: 'keyword' }, true)).toMatchObject({ mode: 'keyword', textWeight: 1, embeddingWeight: 0 });
    expect(planRanking({ hybrid_search: { embedding_weight: 0.7, text_weight: 0.3 } }, true)).toMatchObject({ textWeight: 0.3, embeddingWeight: 0.7 });
  });

  it('without embeddings: keyword by default, an explicit vector or hybrid mode is an error', () => {
    expect(planRanking({}, false).mode).toBe('keyword');
    expect(planRanking({ search_mode: 'keyword' }, false).mode).toBe('keyword');
    expect(() => planRanking({ search_mode: 'vector' }, false)).toThrow(RankingOptionError);
    expect(() => planRanking({ search_mode: 'hybrid' }, false)).toThrow(/needs an embeddings provider/);
  });

  it('refuses all-zero weights', () => {
    expect(() => planRanking({ hybrid_search: { embedding_weight: 0, text_weight: 0 } }, true)).toThrow(RankingOptionError);
  });
});

describe('relevance scores', () => {
  it('term coverage is the share of meaningful query words in the passage (stopwords and plurals ignored)', () => {
    const passage = preparePassage('The rsync tool copies a file between hosts.');
    const coverage = (q: string) => termCoverage(queryTerms(q), passage);
    expect(coverage('how do I copy files with rsync')).toBeCloseTo(2 / 3, 6); // file(s) and rsync found; copy ≠ copies
    expect(coverage('rsync files')).toBe(1);
    expect(coverage('RSYNC host')).toBe(1); // case-insensitive; "host" matches "hosts"
    expect(coverage('the')).toBe(1); // only stopwords: then they count ("The" is in the passage)
    expect(coverage('kubernetes')).toBe(0);
    expect(coverage('')).toBe(0);
    expect(coverage('sync')).toBe(0); // whole words only, not "rsync"
    expect(termCoverage(queryTerms('café crème'), preparePassage('Un CAFE, une creme.'))).toBe(1); // accents folded
  });

  it('mixes clamped cosine and coverage by the weights, in [0, 1]', () => {
    const hybrid = planRanking({ hybrid_search: { embedding_weight: 1, text_weight: 1 } }, true);
    expect(relevance(0.8, 0.5, hybrid)).toBeCloseTo(0.65, 6);
    expect(relevance(-0.3, 0, hybrid)).toBe(0);
    expect(relevance(undefined, 1, hybrid)).toBe(0.5);
    expect(relevance(0.8, 0.5, planRanking({}, true))).toBeCloseTo((0.8 + 3 * 0.5) / 4, 6);
    expect(relevance(1.2, 1, hybrid)).toBe(1);
    expect(relevance(0.9, 0, planRanking({ search_mode: 'vector' }, true))).toBe(0.9);
    expect(relevance(0.9, 0.25, planRanking({ search_mode: 'keyword' }, true))).toBe(0.25);
    expect(relevance(0.6, 0, planRanking({ hybrid_search: { embedding_weight: 3, text_weight: 1 } }, true))).toBeCloseTo(0.45, 6);
  });

  it('the ranker-none scale: first place in every list is 1', () => {
    const plan = planRanking({ ranker: 'none', hybrid_search: { embedding_weight: 1, text_weight: 1 } }, true);
    const fused = reciprocalRankFusion([ids('a', 'b'), ids('a', 'c')]);
    expect(fused[0]!.score / maxFusedScore(plan, 1)).toBeCloseTo(1, 12);
    expect(fused.find((s) => s.id === 'b')!.score / maxFusedScore(plan, 1)).toBeCloseTo(61 / 62 / 2, 12);
  });
});

describe('rewrite_query', () => {
  it('asks for one concise query and reads the first line without labels or quotes', () => {
    const messages = rewriteMessages('hi! could you tell me how to undo my last commit?');
    expect(messages[0]).toMatchObject({ role: 'system' });
    expect(messages[1]).toEqual({ role: 'user', content: 'hi! could you tell me how to undo my last commit?' });
    expect(readRewrite('\n  Query: "undo last git commit"\nbecause...')).toBe('undo last git commit');
    expect(readRewrite('revert commit')).toBe('revert commit');
    expect(readRewrite('  \n ')).toBeNull();
    expect(readRewrite('""')).toBeNull();
  });
});

describe('file_search tool ranking', () => {
  it('passes ranker, hybrid_search and search_mode through', () => {
    expect(toolRanking({ ranking_options: { ranker: 'auto', score_threshold: 0.2, hybrid_search: { embedding_weight: 2, text_weight: 1 } }, search_mode: 'vector' })).toEqual({
      ranker: 'auto',
      hybrid_search: { embedding_weight: 2, text_weight: 1 },
      search_mode: 'vector',
    });
    expect(toolRanking(undefined)).toEqual({ ranker: undefined, hybrid_search: undefined, search_mode: undefined });
  });
});
