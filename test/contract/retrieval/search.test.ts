// client.vectorStores.search with both SDK majors (docs/openai-behaviour.md §2.7): the search page (search_query is always
// an array), string and array queries, max_num_results, attribute filters (eq, ne, in, nin, gt/gte/lt, and/or,
// nested), ranking_options.score_threshold, results ordered by score in 0..1, the document that alone holds
// the answer ranking first, a made-up identifier found by keyword, hybrid mode reported in x-retrieval-mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectSearchPage, MAJORS, vsFixture, type SearchPage, type VsApi } from './vs-support.js';

const DOCS = [
  {
    name: 'orchard.txt',
    content: 'The Velmora orchard grows 412 varieties of blue pear. Harvest begins in late August, when the pears turn silver.',
    attributes: { category: 'farm', year: 2021, public: true, region: 'north' },
  },
  {
    name: 'reactor.md',
    content: '# Reactor notes\n\nReactor unit ZX-4471 is cooled by molten tin and must be inspected every 90 days by two engineers.',
    attributes: { category: 'engineering', year: 2023, public: false, region: 'south' },
  },
  {
    name: 'festival.txt',
    content: 'The Quillon lantern festival is held every October in Bratsk harbour; 3,000 paper lanterns float on the water.',
    attributes: { category: 'culture', year: 2019, public: true, region: 'north' },
  },
  {
    name: 'recipe.txt',
    content: 'Grandmother Odile bakes saffron rye bread with caraway and honey, proving the dough for nine hours.',
    attributes: { category: 'food', year: 2023, public: true, region: 'west' },
  },
];

afterAll(() => expectNoContractViolations());

describe.each(MAJORS)('vector store search (SDK %s)', (major) => {
  let api: VsApi;
  let storeId: string;
  let raw: (path: string, init?: RequestInit) => Promise<Response>;
  const idOf: Record<string, string> = {};
  const names = (page: SearchPage) => [...new Set(page.data.map((r) => r.filename))];

  beforeAll(async () => {
    const fx = await vsFixture(`search-${major}`);
    api = fx.api(major);
    raw = fx.rawFetch;
    const store = await api.create({ name: 'search' });
    storeId = store.id;
    for (const d of DOCS) {
      const file = await api.uploadFile(d);
      idOf[d.name] = file.id;
      const vsf = await api.files.createAndPoll(store.id, { file_id: file.id, attributes: d.attributes });
      expect(vsf.status).toBe('completed');
    }
  });

  it('a string query: search_query is an array, results carry file_id, filename, score, attributes, content', async () => {
    const q = 'How many varieties of blue pear does the orchard grow?';
    const page = await api.search(storeId, { query: q });
    expectSearchPage(page, [q]);
    expect(page.data.length).toBeGreaterThan(0);
    const top = page.data[0]!;
    expect(top).toEqual({
      file_id: idOf['orchard.txt'],
      filename: 'orchard.txt',
      score: expect.any(Number),
      attributes: DOCS[0]!.attributes,
      content: [{ type: 'text', text: expect.stringContaining('412 varieties of blue pear') }],
    });
    // Ordered by score, best first.
    const scores = page.data.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it.each([
    ['When is the lantern festival held?', 'festival.txt'],
    ['How long is the bread dough proved?', 'recipe.txt'],
    ['What cools the reactor?', 'reactor.md'],
    ['When does the pear harvest begin?', 'orchard.txt'],
  ])('the only document holding the answer ranks first: %s', async (q, expected) => {
    const page = await api.search(storeId, { query: q });
    expect(page.data[0]?.filename).toBe(expected);
  });

  it('a made-up identifier (ZX-4471) is found by keyword', async () => {
    const page = await api.search(storeId, { query: 'ZX-4471' });
    expect(page.data[0]?.file_id).toBe(idOf['reactor.md']);
    expect(page.data[0]!.content[0]!.text).toContain('ZX-4471');
  });

  it('an array of queries: search_query echoes it; results cover both questions', async () => {
    const queries = ['lantern festival harbour', 'saffron rye bread'];
    const page = await api.search(storeId, { query: queries });
    expectSearchPage(page, queries);
    expect(names(page)).toEqual(expect.arrayContaining(['festival.txt', 'recipe.txt']));
    expect(names(page).slice(0, 2).sort()).toEqual(['festival.txt', 'recipe.txt']);
  });

  it('max_num_results caps the results', async () => {
    const q = 'orchard reactor festival bread';
    expect((await api.search(storeId, { query: q, max_num_results: 1 })).data).toHaveLength(1);
    expect((await api.search(storeId, { query: q, max_num_results: 2 })).data).toHaveLength(2);
    expect((await api.search(storeId, { query: q, max_num_results: 50 })).data.length).toBeLessThanOrEqual(50);
  });

  it.each([
    ['eq on a string', { key: 'category', type: 'eq', value: 'engineering' }, ['reactor.md']],
    ['ne on a string', { key: 'region', type: 'ne', value: 'north' }, ['reactor.md', 'recipe.txt']],
    ['eq on a boolean', { key: 'public', type: 'eq', value: false }, ['reactor.md']],
    ['in', { key: 'category', type: 'in', value: ['farm', 'culture'] }, ['festival.txt', 'orchard.txt']],
    ['nin', { key: 'category', type: 'nin', value: ['farm', 'culture', 'food'] }, ['reactor.md']],
    ['gt on a number', { key: 'year', type: 'gt', value: 2021 }, ['reactor.md', 'recipe.txt']],
    ['gte on a number', { key: 'year', type: 'gte', value: 2021 }, ['orchard.txt', 'reactor.md', 'recipe.txt']],
    ['lt on a number', { key: 'year', type: 'lt', value: 2021 }, ['festival.txt']],
    ['and', { type: 'and', filters: [{ key: 'year', type: 'eq', value: 2023 }, { key: 'public', type: 'eq', value: true }] }, ['recipe.txt']],
    ['or', { type: 'or', filters: [{ key: 'category', type: 'eq', value: 'farm' }, { key: 'region', type: 'eq', value: 'west' }] }, ['orchard.txt', 'recipe.txt']],
    [
      'nested and/or',
      { type: 'and', filters: [{ key: 'region', type: 'eq', value: 'north' }, { type: 'or', filters: [{ key: 'year', type: 'lt', value: 2020 }, { key: 'category', type: 'eq', value: 'engineering' }] }] },
      ['festival.txt'],
    ],
    ['a key no file has', { key: 'colour', type: 'eq', value: 'red' }, []],
  ])('filters: %s', async (_, filters, expected) => {
    const page = await api.search(storeId, { query: 'orchard reactor lantern festival bread pear', filters: filters as never, max_num_results: 50 });
    expect(names(page).sort()).toEqual(expected);
    for (const r of page.data) expect(r.attributes).toEqual(DOCS.find((d) => d.name === r.filename)!.attributes);
  });

  it('ranking_options.score_threshold drops results below it', async () => {
    const q = 'blue pear orchard harvest';
    const all = await api.search(storeId, { query: q, max_num_results: 50 });
    expect(all.data.length).toBeGreaterThan(1);
    // Scores are absolute relevance (src/domain/retrieval/ranking-options.ts): every query word in the
    // passage alone gives 0.5, so 0.5 keeps the orchard passage and drops the unrelated ones.
    const strict = await api.search(storeId, { query: q, max_num_results: 50, ranking_options: { score_threshold: 0.5 } });
    expect(strict.data.length).toBeGreaterThan(0);
    expect(strict.data.length).toBeLessThan(all.data.length);
    for (const r of strict.data) expect(r.score).toBeGreaterThanOrEqual(0.5);
    expect(strict.data[0]!.filename).toBe('orchard.txt');
    const ranked = await api.search(storeId, { query: q, ranking_options: { ranker: 'auto', score_threshold: 0 }, rewrite_query: false });
    expect(ranked.data[0]!.filename).toBe('orchard.txt');
  });

  /** A search through plain fetch, for its response headers (a query, or a whole body; this suite's store by default). */
  const searchRaw = (query: string | object, store = storeId) =>
    raw(`/vector_stores/${store}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'openai-beta': 'assistants=v2' },
      body: JSON.stringify(typeof query === 'string' ? { query } : query),
    });

  it('retrieval runs hybrid (keyword + vectors): x-retrieval-mode says so', async () => {
    const res = await searchRaw('lanterns');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-retrieval-mode')).toBe('hybrid');
  });

  it('Server-Timing names each stage of a hybrid search (what the benchmark breaks latency down by)', async () => {
    const res = await searchRaw('lanterns');
    expect(res.status).toBe(200);
    const stages = (res.headers.get('server-timing') ?? '').split(',').map((s) => s.trim().split(';')[0]);
    for (const stage of ['store', 'search', 'embed', 'keyword', 'vector', 'vector-version', 'vector-scan', 'fuse', 'chunks', 'rerank']) {
      expect(stages).toContain(stage);
    }
    for (const entry of (res.headers.get('server-timing') ?? '').split(',')) expect(entry.trim()).toMatch(/^[\w-]+;dur=\d+(\.\d)?$/);
  });

  it('a missing store is a 404 even with an invalid body (the store lookup runs beside the body and the embedding)', async () => {
    const missing = `vs_${Date.now().toString(16)}${Math.random().toString(16).slice(2, 10)}`;
    const gone = await searchRaw({ query: 42 }, missing);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toBe(`No vector store found with id '${missing}'.`);
    const invalid = await searchRaw({ query: 42 });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { param: string | null } }).error.param).toBe('query');
    expect((await searchRaw('lanterns', missing)).status).toBe(404);
  });

  it('an empty store answers an empty page', async () => {
    const empty = await api.create({});
    const page = await api.search(empty.id, { query: 'anything at all' });
    expectSearchPage(page, ['anything at all']);
    expect(page.data).toEqual([]);
  });

  it('searching makes the store active: last_active_at moves forward', async () => {
    const before = await api.retrieve(storeId);
    await new Promise((r) => setTimeout(r, 1_100)); // timestamps are whole seconds
    await api.search(storeId, { query: 'pear' });
    // The server may record the activity just after answering: allow it a moment.
    let after = await api.retrieve(storeId);
    for (let i = 0; i < 20 && after.last_active_at === before.last_active_at; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await api.retrieve(storeId);
    }
    expect(after.last_active_at!).toBeGreaterThan(before.last_active_at!);
  });
});
