// The vector-store search box as a retrieval debugger, in a real browser against the real worker:
// each result shows its keyword rank and BM25, vector rank and cosine, fused rank and score (the
// `ranking_details` search extension, docs/openai-behaviour.md), the figures match what the API
// returns for the same search, and a keyword-only search shows no vector rank.
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';
import { api, screenshot, signedInProject } from './console-support.js';

const DOCS = {
  'orchard.txt': 'The Velmora orchard grows 412 varieties of blue pear. Harvest begins in late August, when the pears turn silver.',
  'pear-recipes.txt': 'Poached blue pear with honey: peel four pears, simmer them in spiced wine for twenty minutes.',
  'reactor.md': 'Reactor unit ZX-4471 is cooled by molten tin and must be inspected every 90 days by two engineers.',
};

async function upload(key: string, name: string, text: string): Promise<string> {
  const form = new FormData();
  form.set('purpose', 'assistants');
  form.set('file', new Blob([text], { type: 'text/plain' }), name);
  const res = await fetch(`${inject('baseURL')}/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  if (!res.ok) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

interface Item { filename: string; score: number; ranking_details: { keyword_rank: number | null; vector_rank: number | null; fused_rank: number } }

describe('console: vector-store search debugger', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('shows keyword, vector and fused figures per result, as the API computes them', { timeout: 90_000 }, async () => {
    const { page, pageErrors, project } = await signedInProject(session.browser, 'search-debugger');
    const key = project.apiKey;
    const store = await api<{ id: string }>(key, 'POST', 'vector_stores', { name: 'Orchard notes' });
    for (const [name, text] of Object.entries(DOCS)) await api(key, 'POST', `vector_stores/${store.id}/files`, { file_id: await upload(key, name, text) });

    await page.click('nav a[href="#/vector-stores"]');
    await page.click('a:has-text("Orchard notes")');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-counts]')?.textContent?.startsWith('3 completed'), undefined, { timeout: 60_000 });

    // Hybrid (the default): every column, one row per result, figures equal to the API's.
    await page.fill('input[aria-label="search query"]', 'blue pear orchard');
    await page.click('.search-debugger button[type="submit"]');
    await page.waitForSelector('[data-search-result] [data-col="fused-score"]');
    const headers = await page.$$eval('.search-debugger thead th', (ths) => ths.map((th) => th.textContent));
    expect(headers).toEqual(['#', 'Score', 'File', 'Keyword rank', 'BM25', 'Vector rank', 'Cosine', 'Fused rank', 'Fused score']);
    expect(await page.textContent('[data-search-summary]')).toContain('retrieval mode: hybrid');
    const rows = await page.$$eval('[data-search-result]', (trs) =>
      trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((td) => [td.getAttribute('data-col'), td.textContent]))),
    );
    const expected = await api<{ data: Item[] }>(key, 'POST', `vector_stores/${store.id}/search`, { query: 'blue pear orchard', max_num_results: 10, ranking_options: { ranker: 'auto' }, ranking_details: true });
    expect(rows.length).toBe(expected.data.length);
    expect(rows[0]).toMatchObject({ 'keyword-rank': '#1', 'fused-rank': `#${expected.data[0]!.ranking_details.fused_rank}` });
    expected.data.forEach((r, i) => {
      const d = r.ranking_details;
      expect(rows[i]!['keyword-rank']).toBe(d.keyword_rank === null ? '–' : `#${d.keyword_rank}`);
      expect(rows[i]!['vector-rank']).toBe(d.vector_rank === null ? '–' : `#${d.vector_rank}`);
    });
    expect(Number(rows[0]!.bm25)).toBeGreaterThan(0);
    expect(Number(rows[0]!.cosine)).not.toBeNaN();
    await screenshot(page, 'vector-store');

    // Keyword only: the exact identifier is found, with no vector rank or cosine.
    await page.fill('input[aria-label="search query"]', 'ZX-4471');
    await page.selectOption('select[aria-label="search mode"]', 'keyword');
    await page.click('.search-debugger button[type="submit"]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-search-summary]')?.textContent?.includes('mode: keyword'));
    const only = await page.$$eval('[data-search-result]', (trs) => trs.map((tr) => tr.textContent));
    expect(only.length).toBe(1);
    expect(only[0]).toContain('reactor.md');
    expect(await page.textContent('[data-search-result] [data-col="keyword-rank"]')).toBe('#1');
    expect(await page.textContent('[data-search-result] [data-col="vector-rank"]')).toBe('–');
    expect(await page.textContent('[data-search-result] [data-col="cosine"]')).toBe('–');
    expect(pageErrors).toEqual([]);
  });
});
