// A list page's first load answered after the page changed the list itself (console/src/ui/local-changes.ts):
// the files page's first GET /v1/files is read before a drop-upload and delivered after it, as a slow
// network (or a busy server) can order them. The uploaded file must stay listed; before the fix the
// late answer replaced the list and the file vanished until the next reload (a CI run caught it).
import { describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { useBrowser } from '../../support/browser.js';
import { dropTextFile, signedInProject } from './console-support.js';

describe('console: a list load answered after a local change', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('a file uploaded while the first page of files was loading stays listed', { timeout: 60_000 }, async () => {
    const { page } = await signedInProject(session.browser, 'list-race');
    let release!: () => void;
    const uploaded = new Promise<void>((r) => (release = r));
    let delivered!: () => void;
    const lateAnswer = new Promise<void>((r) => (delivered = r));
    let held = false;
    await page.route(
      (url) => url.pathname === '/v1/files',
      async (route: Route) => {
        if (route.request().method() !== 'GET' || held) return route.continue();
        held = true;
        const response = await route.fetch(); // read now, before the upload
        await uploaded;
        await route.fulfill({ response }); // delivered after it
        delivered();
      },
    );
    await page.click('nav a[href="#/files"]');
    await page.waitForSelector('.dropzone');
    await dropTextFile(page, 'dropped-while-loading.txt', 'late list\n');
    // Quoted: the exact status text (an unquoted text= also matches inside a file name).
    await page.waitForSelector('.upload:has-text("dropped-while-loading.txt") >> text="uploaded"');
    expect(held).toBe(true);
    // Still loading: the first page has not been answered yet.
    expect(await page.getAttribute('table', 'aria-busy')).toBe('true');
    release();
    await lateAnswer;
    // The page has taken the late answer in once its table is no longer busy.
    await page.waitForSelector('table[aria-busy="false"]');
    expect(await page.locator('tr:has-text("dropped-while-loading.txt")').count()).toBe(1);
  });
});
