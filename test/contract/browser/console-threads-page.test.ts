// The threads page against the shape of OpenAI's thread list ({object:"list", data, first_id, last_id,
// has_more}), served to the browser by request interception: the filters become the documented query
// parameters, "Load more" pages with `after`, and a server without thread listing (404) gets a notice
// while a thread still opens by id. The page against the server's own GET /v1/threads is in
// console-threads-usage.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../../support/browser.js';
import { api, signedInProject } from './console-support.js';

const json = (route: Route, status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
const thread = (id: string, created: number) => ({ id, object: 'thread', created_at: created, metadata: { team: 'blue' }, tool_resources: {} });

describe('console: threads page', () => {
  let browser: Browser;
  const available = browserAvailable();
  beforeAll(async () => {
    if (available) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!available)('sends the filters as query parameters and pages with after', async () => {
    const { page } = await signedInProject(browser, 'threads-page');
    const queries: URLSearchParams[] = [];
    await page.route(/\/v1\/threads(\?|$)/, (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const q = new URL(route.request().url()).searchParams;
      queries.push(q);
      if (!q.get('after')) {
        const data = Array.from({ length: 20 }, (_, i) => thread(`thread_p1_${i}`, 1_760_000_000 - i));
        return json(route, 200, { object: 'list', data, first_id: data[0]!.id, last_id: data[19]!.id, has_more: true });
      }
      return json(route, 200, { object: 'list', data: [thread('thread_p2_0', 1_750_000_000)], first_id: 'thread_p2_0', last_id: 'thread_p2_0', has_more: false });
    });
    await page.click('nav a[href="#/threads"]');
    await page.waitForSelector('a:has-text("thread_p1_19")');
    await page.click('text=Load more');
    await page.waitForSelector('a:has-text("thread_p2_0")');
    expect(queries[1]!.get('after')).toBe('thread_p1_19');
    expect(await page.locator('text=Load more').count()).toBe(0);

    await page.fill('.filters input[aria-label="assistant filter"]', 'asst_abc');
    await page.fill('.filters input[aria-label="metadata key"]', 'team');
    await page.fill('.filters input[aria-label="metadata value"]', 'blue');
    await page.fill('.filters input[aria-label="created after"]', '2026-01-01');
    await page.fill('.filters input[aria-label="created before"]', '2026-01-31');
    await page.click('.filters button[type="submit"]');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('tbody tr').length === n, 20);
    const last = queries[queries.length - 1]!;
    expect(last.get('assistant_id')).toBe('asst_abc');
    expect(last.get('metadata[team]')).toBe('blue');
    expect(last.get('created_after')).toBe(String(Date.UTC(2026, 0, 1) / 1000));
    expect(last.get('created_before')).toBe(String(Date.UTC(2026, 1, 1) / 1000));
    expect(last.get('order')).toBe('desc');
  });

  it.skipIf(!available)('without thread listing it says so, and a thread opens by id', async () => {
    const { page, project } = await signedInProject(browser, 'threads-404');
    const real = await api<{ id: string }>(project.apiKey, 'POST', 'threads', { messages: [{ role: 'user', content: 'opened by id' }] });
    await page.route(/\/v1\/threads(\?|$)/, (route) =>
      route.request().method() === 'GET'
        ? json(route, 404, { error: { message: 'Invalid URL (GET /v1/threads)', type: 'invalid_request_error', param: null, code: null } })
        : route.continue(),
    );
    await page.click('nav a[href="#/threads"]');
    await page.waitForSelector('.notice:has-text("Thread listing is not available on this server")');
    await page.fill('input[aria-label="open thread id"]', real.id);
    await page.click('button:has-text("Open")');
    await page.waitForSelector('.message:has-text("opened by id")');
  });
});
