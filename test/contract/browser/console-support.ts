// Helpers of the console's browser tests: the console's origin (the worker global setup started),
// a fresh project key per test, a signed-in page, and screenshots for the README.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject, onTestFailed } from 'vitest';
// In-page callbacks (page.evaluate) reach the page's globals as `(globalThis as any)`: the root
// tsconfig type-checks the worker and has no DOM lib.
import type { Browser, Page } from 'playwright-core';
import { createProjectKey } from '../../support/tenancy.js';

export const consoleUrl = (): string => new URL('/', inject('baseURL')).href;

const SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Saves a screenshot as docs/screenshots/<name>.png (shown in the README's Console section) when
 * UPDATE_SCREENSHOTS is set (`npm run screenshots`), so an ordinary `npm test` leaves the tree clean.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
}

/** Any dialog (alert/confirm/prompt) fails an XSS check; tests that expect confirm() accept it. */
export interface Opened {
  page: Page;
  dialogs: string[];
  pageErrors: string[];
}

export async function openConsole(browser: Browser): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void (d.type() === 'confirm' ? d.accept() : d.dismiss());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(consoleUrl());
  return { page, dialogs, pageErrors };
}

/** Signs in with `key` (a project key: no project picker). */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.fill('input[name="api-key"]', key);
  await page.click('button[type="submit"]');
  await page.waitForSelector('nav >> text=Sign out');
}

/** On failure, print what the page showed (errors included): it says more than a selector timeout. */
export function reportOnFailure(page: Page): void {
  onTestFailed(async () => {
    // Keys never reach logs, even a test's throwaway ones (the projects page shows a new key once).
    const text = ((await page.textContent('body').catch(() => '')) ?? '').replace(/sk-[A-Za-z0-9_-]{8,}/g, 'sk-…');
    console.error(`page text at failure:\n${text}`);
  });
}

/** A new project with its own key, signed in on a fresh page. */
export async function signedInProject(browser: Browser, label: string) {
  const project = await createProjectKey(inject('baseURL'), inject('adminKey'), `console-${label}`);
  const opened = await openConsole(browser);
  await signIn(opened.page, project.apiKey);
  reportOnFailure(opened.page);
  return { ...opened, project };
}

/** The API as the test's project key, for setup and for checking what the console did. */
export async function api<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${inject('baseURL')}/${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'OpenAI-Beta': 'assistants=v2', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Drops a text file on the page's dropzone with a real drop event, as a user's drag from the desktop produces. */
export async function dropTextFile(page: Page, name: string, contents: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([fileName, text]) => {
      const w = globalThis as any;
      const dt = new w.DataTransfer();
      dt.items.add(new w.File([text], fileName, { type: 'text/plain' }));
      return dt;
    },
    [name, contents] as const,
  );
  await page.dispatchEvent('.dropzone', 'drop', { dataTransfer });
}
