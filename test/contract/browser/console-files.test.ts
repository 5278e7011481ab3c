// Files in the console: drag and drop uploads with a progress bar, the Uploads API in parts, download
// and delete; and projects and keys with the admin key (the key value shown once, revoke).
import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { useBrowser } from '../../support/browser.js';
import { api, dropTextFile, openConsole, screenshot, signedInProject } from './console-support.js';

describe('console: files, projects and keys', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('uploads by drag and drop and through the Uploads API in parts; downloads and deletes', { timeout: 90_000 }, async () => {
    const { page, project } = await signedInProject(session.browser, 'files');
    await page.click('nav a[href="#/files"]');
    await page.waitForSelector('.dropzone');
    await dropTextFile(page, 'dropped.txt', 'dropped contents\n');
    await page.waitForSelector('.upload:has-text("dropped.txt") >> text=uploaded');
    // A full bar once uploaded (its scale is the request body, multipart overhead included).
    const bar = page.locator('progress[aria-label="progress dropped.txt"]');
    expect(await bar.evaluate((el: any) => el.value === el.max && el.max > 0)).toBe(true);
    await page.waitForSelector('tr:has-text("dropped.txt")');

    // Just over one 8 MB part: the Uploads API gets two parts, reassembled in order.
    const big = Buffer.alloc(8 * 1024 * 1024 + 100, 'a,b\n1,2\n');
    const partRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/v1\/uploads\/[^/]+\/parts$/.test(new URL(r.url()).pathname)) partRequests.push(r.url());
    });
    await page.check('text=Upload in parts');
    await page.setInputFiles('input[aria-label="upload files"]', { name: 'parts.csv', mimeType: 'text/csv', buffer: big });
    await page.waitForSelector('.upload:has-text("parts.csv") >> text=uploaded');
    expect(await page.textContent('.upload:has-text("parts.csv")')).toContain('(in parts)');
    expect(partRequests).toHaveLength(2);
    await page.waitForSelector('tr:has-text("parts.csv")');
    const files = await api<{ data: Array<{ id: string; filename: string; bytes: number }> }>(project.apiKey, 'GET', 'files');
    expect(files.data.map((f) => f.filename).sort()).toEqual(['dropped.txt', 'parts.csv']);
    expect(files.data.find((f) => f.filename === 'parts.csv')!.bytes).toBe(big.length);
    await screenshot(page, 'files');

    const download = page.waitForEvent('download');
    await page.click('tr:has-text("parts.csv") >> text=Download');
    const file = await download;
    expect(file.suggestedFilename()).toBe('parts.csv');
    expect(readFileSync((await file.path())!).equals(big)).toBe(true);

    await page.click('tr:has-text("dropped.txt") >> text=Delete');
    await page.waitForSelector('tr:has-text("dropped.txt")', { state: 'detached' });
    const after = await api<{ data: Array<{ filename: string }> }>(project.apiKey, 'GET', 'files');
    expect(after.data.map((f) => f.filename)).toEqual(['parts.csv']);
  });

  it.skipIf(!session.available)('the admin key creates a project and a key (shown once) and revokes it', { timeout: 60_000 }, async () => {
    const { page } = await openConsole(session.browser);
    await page.fill('input[name="api-key"]', inject('adminKey'));
    await page.click('button[type="submit"]');
    await page.waitForSelector('select[name="project"]');
    await page.click('button[type="submit"]');
    await page.click('nav a[href="#/projects"]');
    const name = `console-admin-${Date.now().toString(36)}`;
    await page.fill('input[aria-label="new project name"]', name);
    await page.click('text=Create project');
    await page.click(`button:has-text("${name}")`);
    await page.fill('input[aria-label="service account name"]', 'backend');
    await page.click('text=Create service account + key');
    const value = (await (await page.waitForSelector('.new-key .key-value')).textContent())!.trim();
    expect(value).toMatch(/^sk-/);
    // The new key works against the API...
    expect((await api<{ object: string }>(value, 'GET', 'assistants')).object).toBe('list');
    await page.waitForSelector('tr[data-key-id]');
    await page.click('text=Done');
    expect(await page.locator('.key-value').count()).toBe(0);
    // After Done: the picture shows no key value.
    await screenshot(page, 'projects');
    // ...until it is revoked here.
    await page.click('tr[data-key-id] >> text=Revoke');
    await page.waitForSelector('tr[data-key-id]', { state: 'detached' });
    await expect(api(value, 'GET', 'assistants')).rejects.toThrow(/401/);
  });
});
