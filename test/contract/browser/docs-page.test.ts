// /docs in a real browser: renders the served OpenAPI document (our extensions included) and requests
// nothing from any other origin (works offline).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../../support/browser.js';

describe.skipIf(!browserAvailable())('/docs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every operation from /v1/openapi.json, offline', async () => {
    const origin = new URL(inject('baseURL')).origin;
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/docs`);
    await page.locator('section.op#listThreads').waitFor();
    const doc = (await (await fetch(`${origin}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(await page.locator('section.op').count()).toBe(operations);
    expect(await page.locator('#createRun .path').textContent()).toBe('/v1/threads/{thread_id}/runs');
    // A schema opens in place.
    await page.locator('#exportThread details summary').first().click();
    await page.locator('#exportThread details[open] code', { hasText: /^messages$/ }).first().waitFor();
    // The filter narrows the list.
    await page.fill('#filter', 'usage/completions');
    expect(await page.locator('section.op:visible').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requested.filter((u) => new URL(u).origin !== origin)).toEqual([]);
  });
});
