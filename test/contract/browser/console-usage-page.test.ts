// The usage page against the server's own admin usage API (GET /v1/organization/usage/completions
// and /v1/organization/costs, OpenAI's shapes): real runs of two models in a fresh project, with
// token counts the scripted upstream reports, read back with the admin key. A small page size
// (`?page_size=3` in the console's address) splits the 7 daily buckets over three pages, so the
// page must follow next_page to reach today's bucket. Requests are observed, never answered by the
// test, except in the last case, which no server of ours can produce.
import { describe, expect, inject, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { useBrowser } from '../../support/browser.js';
import { createProjectKey } from '../../support/tenancy.js';
import { pushScripts } from '../../support/upstream-control.js';
import { api, consoleUrl, openConsole, reportOnFailure, screenshot } from './console-support.js';

type Run = { id: string; status: string };

async function signInAdmin(page: Page): Promise<void> {
  await page.fill('input[name="api-key"]', inject('adminKey'));
  await page.click('button[type="submit"]');
  await page.waitForSelector('select[name="project"]');
  await page.click('button[type="submit"]');
  await page.waitForSelector('nav >> text=Sign out');
}

/** A thread with one message carrying `match`, run by a new assistant of `model` to the end. */
async function runWith(key: string, model: string, match: string): Promise<Run> {
  const assistant = await api<{ id: string }>(key, 'POST', 'assistants', { model });
  const thread = await api<{ id: string }>(key, 'POST', 'threads', { messages: [{ role: 'user', content: `${match} ${model}` }] });
  let run = await api<Run>(key, 'POST', `threads/${thread.id}/runs`, { assistant_id: assistant.id });
  while (['queued', 'in_progress'].includes(run.status)) {
    await new Promise((r) => setTimeout(r, 200));
    run = await api<Run>(key, 'GET', `threads/${thread.id}/runs/${run.id}`);
  }
  return run;
}

const rowsOf = (page: Page, table: string, project: string) =>
  page.$$eval(`${table} tbody tr`, (trs, p) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')).filter((cells) => cells[1] === p), project);

describe('console: usage page', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('shows real runs per model and project, and their costs, following next_page', { timeout: 90_000 }, async () => {
    const project = await createProjectKey(inject('baseURL'), inject('adminKey'), `console-usage-page-${Date.now().toString(36)}`);
    const m = `up${Date.now().toString(36)}`;
    // One script per run (each carries `m`; the two runs go one after the other).
    await pushScripts(m, { text: 'Mini answer.', usage: { prompt_tokens: 111, completion_tokens: 22 } });
    expect((await runWith(project.apiKey, 'gpt-4o-mini', m)).status).toBe('completed');
    await pushScripts(m, { text: 'Priced answer.', usage: { prompt_tokens: 300, completion_tokens: 45 } });
    expect((await runWith(project.apiKey, 'contract-priced-model', m)).status).toBe('completed');

    const { page } = await openConsole(session.browser);
    reportOnFailure(page);
    const requested: URLSearchParams[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/v1/organization/usage/completions') requested.push(url.searchParams);
    });
    await signInAdmin(page);
    await page.goto(`${consoleUrl()}?page_size=3#/usage`);
    await page.waitForSelector(`.usage-table tr:has-text("${project.projectId}")`);
    const usage = await rowsOf(page, '.usage-table', project.projectId);
    const today = new Date().toISOString().slice(0, 10);
    // Day, project, model, then the metrics: input_tokens, output_tokens, … (in the server's order).
    const byModel = Object.fromEntries(usage.map((cells) => [cells[2], cells]));
    expect(Object.keys(byModel).sort()).toEqual(['contract-priced-model', 'gpt-4o-mini']);
    const headers = await page.$$eval('.usage-table thead th', (ths) => ths.map((th) => th.textContent ?? ''));
    const col = (name: string) => headers.indexOf(name);
    for (const [model, input, output] of [['gpt-4o-mini', '111', '22'], ['contract-priced-model', '300', '45']] as const) {
      const cells = byModel[model]!;
      expect(cells[0]).toBe(today);
      expect([cells[col('input_tokens')], cells[col('output_tokens')], cells[col('num_model_requests')]]).toEqual([input, output, '1']);
    }
    await page.waitForSelector('svg.chart rect:not([height="0"])');
    // 7 daily buckets, 3 per page: three requests, the later two with the previous page's cursor.
    expect(requested.map((q) => q.get('limit'))).toEqual(['3', '3', '3']);
    expect(requested[0]!.get('page')).toBeNull();
    expect(requested[1]!.get('page')).toBeTruthy();
    expect(requested[2]!.get('page')).toBeTruthy();
    expect(requested[0]!.getAll('group_by[]')).toEqual(['model', 'project_id']);

    // Costs (PRICES in the test worker: contract-priced-model at $1000 in / $2000 out per 1M tokens);
    // gpt-4o-mini has no price there, so it costs nothing.
    const costs = await rowsOf(page, '.cost-table', project.projectId);
    const lineItems = Object.fromEntries(costs.map((cells) => [cells[2], cells[3]]));
    expect(lineItems['contract-priced-model, input']).toBe('0.3000 usd');
    expect(lineItems['contract-priced-model, output']).toBe('0.0900 usd');
    expect(await page.locator('.notice').count()).toBe(0);
    await screenshot(page, 'usage');
  });

  it.skipIf(!session.available)('says so when the server has no usage API', async () => {
    const { page } = await openConsole(session.browser);
    reportOnFailure(page);
    // Canned on purpose: this server always has the usage API, but the console also talks to servers
    // without it (which answer 404), and this is the only way to show it that answer.
    const missing = (route: Route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { message: 'Unknown request URL', type: 'invalid_request_error', param: null, code: 'unknown_url' } }) });
    await page.route('**/v1/organization/usage/completions**', missing);
    await page.route('**/v1/organization/costs**', missing);
    await signInAdmin(page);
    await page.click('nav a[href="#/usage"]');
    await page.waitForSelector('.notice:has-text("Usage is not available on this server")');
    await page.waitForSelector('.notice:has-text("Costs are not available on this server")');
  });
});
