// The playground's controls beyond the happy path: an attachment sent with a message, cancelling a
// run that is waiting on the model, and a key revoked mid-session taking the user back to sign-in.
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';
import { pushScripts } from '../../support/upstream-control.js';
import { api, signedInProject } from './console-support.js';

describe('console: playground controls and session end', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('sends an attachment, cancels a run, and a revoked key returns to sign-in', { timeout: 90_000 }, async () => {
    const { page, project } = await signedInProject(session.browser, 'playground');
    const assistant = await api<{ id: string }>(project.apiKey, 'POST', 'assistants', { model: 'gpt-4o-mini', name: 'Slow one', tools: [{ type: 'file_search' }] });
    const m = `pg${Date.now().toString(36)}`;
    // The model never answers: the run stays in progress until it is cancelled.
    await pushScripts(m, { hang: true });
    await page.goto(`${page.url().split('#')[0]}#/playground?assistant=${assistant.id}`);
    await page.waitForSelector(`select[aria-label="assistant"] option[value="${assistant.id}"]`, { state: 'attached' });
    await page.fill('textarea[aria-label="message"]', `Read this ${m}`);
    await page.setInputFiles('input[aria-label="attachments"]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('some notes') });
    await page.click('button:has-text("Send")');
    await page.waitForSelector('.message.user .attachments button');
    await page.waitForSelector('[data-run-status="in_progress"]', { timeout: 30_000 });
    expect(await page.isEnabled('button:has-text("Cancel run")')).toBe(true);
    await page.click('button:has-text("Cancel run")');
    await page.waitForSelector('[data-run-status="cancelled"]', { timeout: 30_000 });
    const runId = await page.getAttribute('.run-summary', 'data-run-id');
    const threadUrl = (await page.getAttribute('a:has-text("Thread details")', 'href'))!;
    const threadId = decodeURIComponent(threadUrl.split('/').pop()!);
    const run = await api<{ status: string }>(project.apiKey, 'GET', `threads/${threadId}/runs/${runId}`);
    expect(run.status).toBe('cancelled');
    const messages = await api<{ data: Array<{ attachments: Array<{ file_id: string }> }> }>(project.apiKey, 'GET', `threads/${threadId}/messages`);
    expect(messages.data[0]!.attachments).toHaveLength(1);

    // The key is revoked while the page is open: the next request answers 401 and the console signs out.
    const admin = { authorization: `Bearer ${inject('adminKey')}` };
    const revoke = await fetch(`${inject('baseURL')}/organization/projects/${project.projectId}/api_keys/${project.keyId}`, { method: 'DELETE', headers: admin });
    expect(revoke.status).toBe(200);
    await page.click('nav a[href="#/assistants"]');
    await page.waitForSelector('input[name="api-key"]');
    expect(await page.textContent('.error')).toContain('Incorrect API key provided');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
  });
});
