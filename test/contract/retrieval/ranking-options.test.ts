// Vector-store search ranking options (src/domain/retrieval/ranking-options.ts), each changing results as
// documented: the `search_mode` extension (keyword / vector / hybrid, echoed in x-retrieval-mode),
// `ranking_options.hybrid_search` weights (weighted RRF), `ranker: none` vs the default re-ranker (score
// scales), `rewrite_query` (the configured model's rewrite is searched and echoed in `search_query`), and
// 400s for unknown values. The worker here uses the hashed lexical embeddings stand-in
// (test/support/embeddings-upstream.ts): it matches misspellings through character trigrams, which FTS5 does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { vsFixture, type VsApi } from './vs-support.js';

const DOCS = [
  { name: 'festival.txt', content: 'The Quillon lantern festival is held every October in Bratsk harbour; 3,000 paper lanterns float on the water.' },
  { name: 'reactor.md', content: 'Reactor unit ZX-4471 is cooled by molten tin and must be inspected every 90 days by two engineers.' },
  { name: 'recipe.txt', content: 'Grandmother Odile bakes saffron rye bread with caraway and honey, proving the dough for nine hours.' },
];

afterAll(() => expectNoContractViolations());

describe('vector store search ranking options', () => {
  let api: VsApi;
  let storeId: string;
  let raw: (path: string, init?: RequestInit) => Promise<Response>;
  const search = (body: Record<string, unknown>) =>
    raw(`/vector_stores/${storeId}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const names = async (res: Response) => ((await res.json()) as { data: { filename: string }[] }).data.map((r) => r.filename);

  beforeAll(async () => {
    const fx = await vsFixture('ranking');
    api = fx.api('v6');
    raw = fx.rawFetch;
    storeId = (await api.create({ name: 'ranking' })).id;
    for (const d of DOCS) await api.files.uploadAndPoll(storeId, d);
  });

  it('search_mode keyword finds exact terms only; vector also finds a misspelling; the mode is reported', async () => {
    const typo = 'lanturn festivel quilon';
    const keyword = await search({ query: typo, search_mode: 'keyword' });
    expect(keyword.status).toBe(200);
    expect(keyword.headers.get('x-retrieval-mode')).toBe('keyword');
    expect(await names(keyword)).toEqual([]);
    const vector = await search({ query: typo, search_mode: 'vector' });
    expect(vector.headers.get('x-retrieval-mode')).toBe('vector');
    expect((await names(vector))[0]).toBe('festival.txt');
    const exact = await search({ query: 'ZX-4471', search_mode: 'keyword' });
    expect(await names(exact)).toEqual(['reactor.md']);
  });

  it('hybrid_search weights: a zero weight switches a retriever off', async () => {
    const typo = 'lanturn festivel quilon';
    const textOnly = await search({ query: typo, ranking_options: { hybrid_search: { embedding_weight: 0, text_weight: 1 } } });
    expect(await names(textOnly)).toEqual([]);
    const embeddingOnly = await search({ query: typo, ranking_options: { hybrid_search: { embedding_weight: 1, text_weight: 0 } } });
    expect((await names(embeddingOnly))[0]).toBe('festival.txt');
  });

  it('hybrid_search weights change the scores as the weighted mean says', async () => {
    const q = 'lantern festival';
    const score = async (w: { embedding_weight: number; text_weight: number }) =>
      ((await (await search({ query: q, ranking_options: { hybrid_search: w } })).json()) as { data: { filename: string; score: number }[] }).data[0]!;
    const text = await score({ embedding_weight: 0, text_weight: 1 });
    const emb = await score({ embedding_weight: 1, text_weight: 0 });
    const mixed = await score({ embedding_weight: 1, text_weight: 3 });
    expect(text).toMatchObject({ filename: 'festival.txt', score: 1 }); // both query words are in the passage
    expect(emb.filename).toBe('festival.txt');
    expect(emb.score).toBeLessThan(1);
    expect(mixed.score).toBeCloseTo((emb.score + 3 * text.score) / 4, 5);
  });

  it('ranker none: fused order with rank-based scores (1 = first in every list); the default ranker scores relevance', async () => {
    const q = 'lantern festival harbour';
    const none = (await (await search({ query: q, ranking_options: { ranker: 'none' } })).json()) as { data: { filename: string; score: number }[] };
    const auto = (await (await search({ query: q, ranking_options: { ranker: 'auto' } })).json()) as { data: { filename: string; score: number }[] };
    expect(none.data[0]).toMatchObject({ filename: 'festival.txt', score: 1 });
    expect(auto.data[0]!.filename).toBe('festival.txt');
    expect(auto.data[0]!.score).toBeLessThan(1); // cosine of the query and passage is below 1
    expect(auto.data[0]!.score).toBeGreaterThan(0.5); // every query word is in the passage
    for (const page of [none, auto]) for (const r of page.data) expect(r.score).toBeGreaterThanOrEqual(0), expect(r.score).toBeLessThanOrEqual(1);
    const thresholded = (await (await search({ query: q, ranking_options: { ranker: 'auto', score_threshold: 0.99 } })).json()) as { data: unknown[] };
    expect(thresholded.data).toEqual([]); // an absolute threshold can drop every result
  });

  it('rewrite_query: the configured model rewrites the query, which is searched and echoed in search_query', async () => {
    const m = `rw-${Date.now().toString(36)}`;
    await pushScripts(m, { text: 'Query: "saffron rye bread"\n' });
    const res = await search({ query: `hello there! ${m} what was granny baking all night long?`, rewrite_query: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { search_query: string[]; data: { filename: string }[] };
    expect(body.search_query).toEqual(['saffron rye bread']);
    expect(body.data[0]!.filename).toBe('recipe.txt');
    const [request] = await upstreamRequests(m);
    expect(request!.body.model).toBe('gpt-4o-mini');
    expect(request!.body.messages[0].role).toBe('system');
    const plain = (await (await search({ query: 'saffron', rewrite_query: false })).json()) as { search_query: string[] };
    expect(plain.search_query).toEqual(['saffron']);
  });

  it('rewrite_query: a failing model is a server error, never a silent search of the original text', async () => {
    const m = `rwfail-${Date.now().toString(36)}`;
    await pushScripts(m, { status: 400, body: { error: { message: 'bad model', type: 'invalid_request_error', param: null, code: null } } });
    const res = await search({ query: `find ${m}`, rewrite_query: true });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/rewrite_query failed/);
  });

  it.each([
    ['an unknown ranker', { ranking_options: { ranker: 'bm42' } }, 'ranking_options.ranker'],
    ["the tool's ranker spelling", { ranking_options: { ranker: 'default_2024_08_21' } }, 'ranking_options.ranker'],
    ['an unknown search_mode', { search_mode: 'semantic' }, 'search_mode'],
    ['a negative weight', { ranking_options: { hybrid_search: { embedding_weight: -1, text_weight: 1 } } }, 'ranking_options.hybrid_search.embedding_weight'],
    ['a missing weight', { ranking_options: { hybrid_search: { embedding_weight: 1 } } }, 'ranking_options.hybrid_search.text_weight'],
    ['an unknown weight key', { ranking_options: { hybrid_search: { embedding_weight: 1, text_weight: 1, rerank_weight: 1 } } }, 'ranking_options.hybrid_search'],
    ['all-zero weights', { ranking_options: { hybrid_search: { embedding_weight: 0, text_weight: 0 } } }, 'ranking_options.hybrid_search'],
    ['a threshold above 1', { ranking_options: { score_threshold: 1.5 } }, 'ranking_options.score_threshold'],
  ])('400 for %s', async (_, extra, param) => {
    const res = await search({ query: 'lantern', ...extra });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { type: string; param: string | null } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toContain(param);
  });
});
