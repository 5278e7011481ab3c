// The threads list (GET /v1/threads with its filters) and the usage page (GET
// /v1/organization/usage/completions, /v1/organization/costs) in the console. These need the
// thread-listing and usage APIs of the server (the issue that adds thread listing, export and usage).
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';
import { pushScripts } from '../../support/upstream-control.js';
import { api, openConsole, signedInProject } from './console-support.js';

type Run = { id: string; status: string };

async function runToEnd(key: string, threadId: string, assistantId: string): Promise<Run> {
  let run = await api<Run>(key, 'POST', `threads/${threadId}/runs`, { assistant_id: assistantId });
  while (['queued', 'in_progress'].includes(run.status)) {
    await new Promise((r) => setTimeout(r, 200));
    run = await api<Run>(key, 'GET', `threads/${threadId}/runs/${run.id}`);
  }
  return run;
}

describe('console: threads list and usage', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('finds a thread in the list by metadata and assistant, then sees the run in usage', { timeout: 90_000 }, async () => {
    const { page, project } = await signedInProject(session.browser, 'threads-usage');
    const key = project.apiKey;
    const m = `tu${Date.now().toString(36)}`;
    const assistant = await api<{ id: string }>(key, 'POST', 'assistants', { model: 'gpt-4o-mini', name: 'Usage bot' });
    const blue = await api<{ id: string }>(key, 'POST', 'threads', { metadata: { team: 'blue' }, messages: [{ role: 'user', content: `hi ${m}` }] });
    const red = await api<{ id: string }>(key, 'POST', 'threads', { metadata: { team: 'red' } });
    await pushScripts(m, { text: 'Hello blue team.', usage: { prompt_tokens: 120, completion_tokens: 30 } });
    expect((await runToEnd(key, blue.id, assistant.id)).status).toBe('completed');

    await page.click('nav a[href="#/threads"]');
    await page.waitForSelector(`a:has-text("${red.id}")`);
    await page.waitForSelector(`a:has-text("${blue.id}")`);
    await page.fill('.filters input[aria-label="metadata key"]', 'team');
    await page.fill('.filters input[aria-label="metadata value"]', 'blue');
    await page.click('.filters button[type="submit"]');
    await page.waitForSelector(`a:has-text("${red.id}")`, { state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.fill('.filters input[aria-label="metadata key"]', '');
    await page.fill('.filters input[aria-label="assistant filter"]', assistant.id);
    await page.click('.filters button[type="submit"]');
    await page.waitForSelector(`a:has-text("${red.id}")`, { state: 'detached' });
    await page.waitForSelector(`a:has-text("${blue.id}")`);
    await page.click(`a:has-text("${blue.id}")`);
    await page.waitForSelector('.message:has-text("Hello blue team.")');

    // Usage is an admin report: sign in with the admin key and look for this project's tokens.
    const admin = await openConsole(session.browser);
    await admin.page.fill('input[name="api-key"]', inject('adminKey'));
    await admin.page.click('button[type="submit"]');
    await admin.page.waitForSelector('select[name="project"]');
    await admin.page.click('button[type="submit"]');
    await admin.page.click('nav a[href="#/usage"]');
    const row = await admin.page.waitForSelector(`.usage-table tr:has-text("${project.projectId}")`);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('gpt-4o-mini');
    expect(text).toContain('120');
    expect(text).toContain('30');
    // A bar per bucket; empty buckets are drawn with height 0 (invisible), so wait for a non-empty one.
    await admin.page.waitForSelector('svg.chart rect:not([height="0"])');
    expect(await admin.page.locator('.notice').count()).toBe(0);
  });
});
