// The console is served by the worker itself (Workers Static Assets) at `/`, with a strict CSP, small,
// self-contained (no third-party requests), while /v1 stays the API.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';
import { consoleUrl, openConsole, screenshot, signIn } from './console-support.js';
import { inject } from 'vitest';

describe('console delivery', () => {
  it('serves the page at / with a strict Content-Security-Policy, and /v1 is still the API', async () => {
    const res = await fetch(consoleUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    // No inline script: every <script> has a src on this origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const api = await fetch(`${inject('baseURL')}/assistants`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { message: string } }).error.message).toBeTruthy();
  });

  it('the first page is at most 150 KB gzip, all from this origin', async () => {
    const html = await (await fetch(consoleUrl())).text();
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    let total = gzipSync(html).length;
    for (const a of assets) {
      const res = await fetch(new URL(a, consoleUrl()));
      expect(res.status, a).toBe(200);
      total += gzipSync(Buffer.from(await res.arrayBuffer())).length;
    }
    expect(total).toBeLessThanOrEqual(150 * 1024);
  });

  describe('in a browser', () => {
    const session = useBrowser();

    it.skipIf(!session.available)('a wrong key stays on sign-in with OpenAI\'s error message; no request leaves the origin', async () => {
      const { page, pageErrors } = await openConsole(session.browser);
      const origins = new Set<string>();
      page.on('request', (r) => origins.add(new URL(r.url()).origin));
      await page.reload();
      await screenshot(page, 'sign-in');
      await page.fill('input[name="api-key"]', 'sk-proj-wrong-key');
      await page.click('button[type="submit"]');
      await page.waitForSelector('.error');
      expect(await page.textContent('.error')).toContain('Incorrect API key provided');
      expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
      expect([...origins]).toEqual([new URL(consoleUrl()).origin]);
      expect(pageErrors).toEqual([]);
    });

    it.skipIf(!session.available)('the admin key picks a project; sign-out clears sessionStorage', async () => {
      const { page } = await openConsole(session.browser);
      await page.fill('input[name="api-key"]', inject('adminKey'));
      await page.click('button[type="submit"]');
      await page.waitForSelector('select[name="project"]');
      await page.click('button[type="submit"]');
      await page.waitForSelector('nav >> text=Sign out');
      expect(await page.textContent('nav .who')).toContain('admin');
      expect(await page.evaluate(() => Object.keys((globalThis as any).sessionStorage))).toContain('assistants-edge.key');
      expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
      await page.click('nav >> text=Sign out');
      await page.waitForSelector('input[name="api-key"]');
      expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    });
  });
});
