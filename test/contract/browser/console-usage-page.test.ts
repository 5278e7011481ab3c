// The usage page against the shapes of OpenAI's admin usage API (pages of daily buckets, each with
// grouped results), served to the browser by request interception, and its "not available" notice
// when the server has no usage API (404). The page against the server's own usage API is in
// console-threads-usage.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../../support/browser.js';
import { openConsole, reportOnFailure } from './console-support.js';

const DAY = 86_400;

async function signInAdmin(page: Page): Promise<void> {
  await page.fill('input[name="api-key"]', inject('adminKey'));
  await page.click('button[type="submit"]');
  await page.waitForSelector('select[name="project"]');
  await page.click('button[type="submit"]');
  await page.waitForSelector('nav >> text=Sign out');
}

const json = (route: Route, status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('console: usage page', () => {
  let browser: Browser;
  const available = browserAvailable();
  beforeAll(async () => {
    if (available) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!available)('follows next_page and shows buckets as a chart and tables', async () => {
    const { page } = await openConsole(browser);
    reportOnFailure(page);
    const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
    const requested: string[] = [];
    await page.route('**/v1/organization/usage/completions**', (route) => {
      const url = new URL(route.request().url());
      requested.push(url.search);
      const result = (model: string, input: number, output: number) => ({
        object: 'organization.usage.completions.result', input_tokens: input, output_tokens: output, input_cached_tokens: 0,
        num_model_requests: 2, project_id: 'proj_a', model, user_id: null, api_key_id: null, batch: null,
      });
      if (!url.searchParams.get('page')) {
        return json(route, 200, { object: 'page', has_more: true, next_page: 'p2', data: [{ object: 'bucket', start_time: today - DAY, end_time: today, results: [result('gpt-4o-mini', 100, 20)] }] });
      }
      return json(route, 200, { object: 'page', has_more: false, next_page: null, data: [{ object: 'bucket', start_time: today, end_time: today + DAY, results: [result('gpt-4o', 300, 45)] }] });
    });
    await page.route('**/v1/organization/costs**', (route) =>
      json(route, 200, {
        object: 'page', has_more: false, next_page: null,
        data: [{ object: 'bucket', start_time: today, end_time: today + DAY, results: [{ object: 'organization.costs.result', amount: { value: 0.0123, currency: 'usd' }, line_item: 'gpt-4o, input', project_id: 'proj_a' }] }],
      }),
    );
    await signInAdmin(page);
    await page.click('nav a[href="#/usage"]');
    await page.waitForSelector('.usage-table tr:has-text("gpt-4o-mini")');
    const rows = await page.locator('.usage-table tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('proj_a');
    expect(rows[1]).toContain('300');
    expect(await page.locator('svg.chart rect').count()).toBe(2);
    expect(await page.textContent('.cost-table')).toContain('0.0123 usd');
    expect(requested[0]).toContain('bucket_width=1d');
    expect(new URLSearchParams(requested[0]).getAll('group_by[]')).toEqual(['model', 'project_id']);
    expect(requested[1]).toContain('page=p2');
  });

  it.skipIf(!available)('says so when the server has no usage API', async () => {
    const { page } = await openConsole(browser);
    reportOnFailure(page);
    const missing = (route: Route) => json(route, 404, { error: { message: 'Unknown request URL', type: 'invalid_request_error', param: null, code: 'unknown_url' } });
    await page.route('**/v1/organization/usage/completions**', missing);
    await page.route('**/v1/organization/costs**', missing);
    await signInAdmin(page);
    await page.click('nav a[href="#/usage"]');
    await page.waitForSelector('.notice:has-text("Usage is not available on this server")');
    await page.waitForSelector('.notice:has-text("Costs are not available on this server")');
  });
});
