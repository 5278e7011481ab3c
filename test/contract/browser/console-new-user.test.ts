// A new user's path through the console in a real browser, against the real worker and the scripted
// upstream model: sign in, create a vector store and upload a file into it (watch it index), create an
// assistant with a function tool, file_search and code_interpreter, chat in the playground (text
// streams in several increments, a function call answered in the page, file_search results and a
// citation that opens the cited chunk, a code_interpreter image), then export the thread.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from '../../support/browser.js';
import { pushScripts } from '../../support/upstream-control.js';
import { api, screenshot, signedInProject } from './console-support.js';

const WEATHER_SCHEMA = JSON.stringify({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, null, 2);
const ANSWER = 'It is sunny in Paris today, twenty-one degrees, with a light breeze from the west.';

/** Records every distinct text the last assistant message shows, as the DOM changes. */
async function watchAssistantText(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as any;
    const seen: string[] = [];
    w.__seen = seen;
    new w.MutationObserver(() => {
      const all = w.document.querySelectorAll('.conversation .message.assistant .text');
      const text = all[all.length - 1]?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
  });
}

describe('console: a new user', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('builds an assistant, indexes a file, chats with tools and exports the thread', { timeout: 180_000 }, async () => {
    const { page, dialogs, pageErrors, project } = await signedInProject(session.browser, 'new-user');
    const m = `m${Date.now().toString(36)}`;

    // 1. A vector store, and a file uploaded into it: its status goes from in_progress to completed.
    await page.click('nav a[href="#/vector-stores"]');
    await page.fill('input[aria-label="new vector store name"]', 'Product docs');
    await page.click('text=Create vector store');
    await page.click('a:has-text("Product docs")');
    await page.setInputFiles('input[aria-label="upload files"]', {
      name: 'aurora.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Project Aurora\n\nAurora launches on 14 March 2031 from the northern site. The crew is six people.\n'),
    });
    await page.waitForSelector('[data-file-status="completed"]', { timeout: 60_000 });
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-counts]')?.textContent?.startsWith('1 completed'));
    await page.click('text=Chunks');
    await page.waitForSelector('.chunks pre.chunk:has-text("Aurora launches")');
    await page.fill('input[aria-label="search query"]', 'When does Aurora launch?');
    await page.click('.search-debugger button[type="submit"]');
    await page.waitForSelector('.search-debugger [data-search-result] .score');
    expect(await page.textContent('.search-debugger')).toContain('aurora.txt');

    // 2. An assistant with a function (schema validated as typed), file_search on that store, code_interpreter.
    await page.click('nav a[href="#/assistants"]');
    await page.click('text=New assistant');
    await page.fill('input[name="name"]', 'Travel helper <b>bold</b>');
    await page.fill('input[name="model"]', 'gpt-4o-mini');
    await page.fill('textarea[name="instructions"]', 'Answer briefly.');
    await page.check('input[name="file_search"]');
    await page.selectOption('select[aria-label="Vector stores"]', { label: 'Product docs' });
    await page.check('input[name="code_interpreter"]');
    await page.click('text=Add function');
    await page.fill('input[aria-label="function name"]', 'get_weather');
    await page.fill('textarea[aria-label="function parameters"]', '{ "type": "object", ');
    await page.waitForSelector('.schema-error:has-text("not JSON")');
    expect(await page.isDisabled('button:has-text("Create assistant")')).toBe(true);
    await page.fill('textarea[aria-label="function parameters"]', WEATHER_SCHEMA);
    await page.waitForSelector('text=Schema OK');
    await page.fill('input[name="temperature"]', '0.4');
    await screenshot(page, 'assistant-editor');
    await page.click('button:has-text("Create assistant")');
    await page.waitForSelector('text=Open in playground');
    const assistants = await api<{ data: Array<{ id: string; name: string; tools: Array<{ type: string }>; temperature: number; tool_resources: any }> }>(project.apiKey, 'GET', 'assistants');
    const assistant = assistants.data[0]!;
    expect(assistant.name).toBe('Travel helper <b>bold</b>');
    expect(assistant.tools.map((t) => t.type).sort()).toEqual(['code_interpreter', 'file_search', 'function']);
    expect(assistant.temperature).toBe(0.4);
    expect(assistant.tool_resources.file_search.vector_store_ids).toHaveLength(1);

    // 3. Playground: a function call answered in the page, then the answer streams in increments.
    await pushScripts(
      m,
      { toolCalls: [{ name: 'get_weather', arguments: JSON.stringify({ city: 'Paris' }) }] },
      { text: ANSWER, chunkSize: 5, chunkDelayMs: 40 },
    );
    await page.click('text=Open in playground');
    await page.waitForSelector('select[aria-label="assistant"]');
    await page.selectOption('select[aria-label="assistant"]', assistant.id);
    await page.fill('textarea[aria-label="message"]', `What is the weather in Paris? ${m}`);
    await page.click('button:has-text("Send")');
    await page.waitForSelector('.tool-outputs');
    expect(await page.textContent('.tool-outputs')).toContain('"city":"Paris"');
    await page.fill('textarea[aria-label="output of get_weather"]', '{"sky":"sunny","celsius":21}');
    await watchAssistantText(page);
    await page.click('text=Submit tool outputs');
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    const seen = await page.evaluate(() => (globalThis as any).__seen as string[]);
    expect(seen[seen.length - 1]).toBe(ANSWER);
    // Several increments, each a longer prefix of the answer: the text streamed into the page.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(ANSWER.startsWith(seen[i - 1]!) && seen[i]!.length > seen[i - 1]!.length).toBe(true);
    expect(await page.textContent('.run-summary .usage')).toMatch(/\d+ in · \d+ out · \d+ total/);
    expect(await page.textContent('.activity')).toContain('get_weather');
    await screenshot(page, 'playground-function');

    // 4. file_search: the query's results with scores, and a citation that opens the cited chunk.
    await pushScripts(
      m,
      { toolCalls: [{ name: 'file_search', arguments: JSON.stringify({ queries: ['Aurora launch date'] }) }] },
      { text: 'Aurora launches on 14 March 2031 【0:0†aurora.txt】.', chunkSize: 8, chunkDelayMs: 10 },
    );
    await page.fill('textarea[aria-label="message"]', `When does Aurora launch? ${m}`);
    await page.click('button:has-text("Send")');
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    await page.waitForSelector('.tool.file-search li .score');
    expect(await page.textContent('.tool.file-search')).toContain('aurora.txt');
    await page.click('.message.assistant button.cite');
    await page.waitForSelector('.citation pre.chunk:has-text("Aurora launches on 14 March 2031")');
    await screenshot(page, 'playground-file-search');

    // 5. code_interpreter: the code, and the chart it drew shown inline.
    const code = [
      'import matplotlib.pyplot as plt',
      'plt.plot([1, 2, 3], [2, 4, 3])',
      'plt.title("Trips")',
      'plt.show()',
      "open('/mnt/data/trips.csv', 'w').write('day,km\\n1,2\\n2,4\\n')",
    ].join('\n');
    await pushScripts(
      m,
      { toolCalls: [{ name: 'python', arguments: JSON.stringify({ code }) }] },
      { text: 'Here is the chart and the data: sandbox:/mnt/data/trips.csv' },
    );
    await page.fill('textarea[aria-label="message"]', `Plot my trips ${m}`);
    await page.click('button:has-text("Send")');
    await page.waitForSelector('[data-run-status="completed"]', { timeout: 60_000 });
    await page.waitForSelector('.tool.code pre.code-input:has-text("plt.plot")');
    const img = await page.waitForSelector('.tool.code img.file-image', { timeout: 30_000 });
    await page.waitForFunction((el) => (el as any).complete && (el as any).naturalWidth > 0, img);
    await page.waitForSelector('.message.assistant img.file-image');
    // The file the code wrote is linked from the answer (a file_path annotation): a download.
    const csv = page.waitForEvent('download');
    await page.click('.message.assistant button.link:has-text("trips.csv")');
    const saved = await csv;
    expect(saved.suggestedFilename()).toBe('trips.csv');
    expect(readFileSync((await saved.path())!, 'utf8')).toBe('day,km\n1,2\n2,4\n');
    await screenshot(page, 'playground-code-interpreter');

    // 6. The thread's page: messages, runs with their step timelines; export it to a file.
    await page.click('text=Thread details');
    await page.waitForSelector('details.run .step');
    expect(await page.locator('details.run').count()).toBe(3);
    const download = page.waitForEvent('download');
    await page.click('text=Export JSON');
    const file = await download;
    const exported = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { thread: { id: string }; messages: Array<{ content: any[] }>; runs: Array<{ status: string; steps: unknown[] }> };
    expect(file.suggestedFilename()).toBe(`${exported.thread.id}.json`);
    expect(exported.messages).toHaveLength(6);
    expect(exported.runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(exported.runs.every((r) => r.steps.length >= 2)).toBe(true);
    await screenshot(page, 'thread');

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(inject('baseURL')).toBeTruthy();
  });
});
