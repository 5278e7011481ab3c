// The `ranking_details` extension of vector-store search (docs/openai-behaviour.md): absent unless
// asked for (OpenAI's result items unchanged), and when asked, each result's keyword rank and BM25,
// vector rank and cosine, fused rank and score and final score, consistent with `score` and with
// the mode and ranker that ran. Sent through the official SDK (v6), whose body passes extra fields
// through, and validated against OpenAI's schema plus this one declared property (test/support/openapi-adjustments.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawFetch } from '../../support/clients.js';
import { expectNoContractViolations } from '../../support/clients.js';
import { vsFixture, type SearchPage, type VsApi } from './vs-support.js';

interface Details {
  mode: string;
  ranker: string;
  keyword_rank: number | null;
  keyword_score: number | null;
  vector_rank: number | null;
  vector_score: number | null;
  fused_rank: number;
  fused_score: number;
  score: number;
}
type Item = SearchPage['data'][number] & { ranking_details?: Details };

const DOCS = [
  { name: 'orchard.txt', content: 'The Velmora orchard grows 412 varieties of blue pear. Harvest begins in late August, when the pears turn silver.' },
  { name: 'reactor.md', content: 'Reactor unit ZX-4471 is cooled by molten tin and must be inspected every 90 days by two engineers.' },
  { name: 'festival.txt', content: 'The Quillon lantern festival is held every October in Bratsk harbour; 3,000 paper lanterns float on the water.' },
];
/** Defaults (src/domain/retrieval/ranking-options.ts): text weight 3, embedding weight 1, k = 60. */
const RRF = (keywordRank: number | null, vectorRank: number | null) => (keywordRank ? 3 / (60 + keywordRank) : 0) + (vectorRank ? 1 / (60 + vectorRank) : 0);

afterAll(() => expectNoContractViolations());

describe('vector store search: ranking_details extension', () => {
  let api: VsApi;
  let raw: RawFetch;
  let storeId: string;
  const search = async (body: Record<string, unknown>) => ((await api.search(storeId, body as never)).data as Item[]);

  beforeAll(async () => {
    const fx = await vsFixture('ranking-details');
    api = fx.api('v6');
    raw = fx.rawFetch;
    storeId = (await api.create({ name: 'ranking details' })).id;
    for (const d of DOCS) {
      const file = await api.uploadFile(d);
      expect((await api.files.createAndPoll(storeId, { file_id: file.id })).status).toBe('completed');
    }
  });

  it('absent by default and with ranking_details: false (OpenAI result items unchanged)', async () => {
    for (const extra of [{}, { ranking_details: false }]) {
      const data = await search({ query: 'blue pear orchard', ...extra });
      expect(data.length).toBeGreaterThan(0);
      for (const r of data) expect(Object.keys(r).sort()).toEqual(['attributes', 'content', 'file_id', 'filename', 'score']);
    }
  });

  it('hybrid with the default ranker: every stage reported, consistent with score and the fusion formula', async () => {
    const data = await search({ query: 'blue pear orchard', ranking_details: true });
    expect(data.length).toBeGreaterThan(0);
    expect(data[0]!.filename).toBe('orchard.txt');
    for (const r of data) {
      const d = r.ranking_details!;
      expect(d).toMatchObject({ mode: 'hybrid', ranker: 'relevance', score: r.score });
      expect(d.fused_rank).toBeGreaterThanOrEqual(1);
      expect(d.fused_score).toBeCloseTo(RRF(d.keyword_rank, d.vector_rank), 5);
      // A rank and its score come together: both null or both set.
      expect(d.keyword_score === null).toBe(d.keyword_rank === null);
      expect(d.vector_score === null).toBe(d.vector_rank === null);
      if (d.vector_score !== null) expect(Math.abs(d.vector_score)).toBeLessThanOrEqual(1.000001);
    }
    const top = data[0]!.ranking_details!;
    expect(top.keyword_rank).toBe(1);
    expect(top.keyword_score).toBeGreaterThan(0);
    expect(top.vector_rank).not.toBeNull();
    // Results are ordered by the final score.
    const scores = data.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('ranker none: score is the fused score over its largest possible value, and fused order is kept', async () => {
    const data = await search({ query: 'lantern festival', ranking_details: true, ranking_options: { ranker: 'none' } });
    expect(data.length).toBeGreaterThan(0);
    data.forEach((r, i) => {
      const d = r.ranking_details!;
      expect(d.ranker).toBe('none');
      expect(d.fused_rank).toBe(i + 1);
      expect(r.score).toBeCloseTo(Math.min(1, d.fused_score / (4 / 61)), 5);
    });
  });

  it('a keyword-only match has no vector rank or cosine; a vector-only search has no keyword rank', async () => {
    const keyword = await search({ query: 'ZX-4471', search_mode: 'keyword', ranking_details: true });
    expect(keyword.map((r) => r.filename)).toEqual(['reactor.md']);
    expect(keyword[0]!.ranking_details).toMatchObject({ mode: 'keyword', keyword_rank: 1, vector_rank: null, vector_score: null });
    expect(keyword[0]!.ranking_details!.keyword_score).toBeGreaterThan(0);
    expect(keyword[0]!.ranking_details!.fused_score).toBeCloseTo(1 / 61, 6);

    const vector = await search({ query: 'molten tin cooling', search_mode: 'vector', ranking_details: true });
    expect(vector.length).toBeGreaterThan(0);
    for (const r of vector) expect(r.ranking_details).toMatchObject({ mode: 'vector', keyword_rank: null, keyword_score: null, vector_rank: expect.any(Number) });
  });

  it('a non-boolean ranking_details is a 400 naming the parameter', async () => {
    const res = await raw(`/vector_stores/${storeId}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'pear', ranking_details: 'yes' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('ranking_details');
  });
});
