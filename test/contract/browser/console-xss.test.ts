// Everything the API hands back is rendered as text: a message's HTML, a `javascript:` markdown link,
// metadata, an assistant's name, a file name, a function's arguments and output. None of it may
// become markup, run script, or turn into a link.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser } from '../../support/browser.js';
import { pushScripts } from '../../support/upstream-control.js';
import { api, signedInProject } from './console-support.js';
import { inject } from 'vitest';

const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1;alert(1)">';
const LINK = '[click me](javascript:window.__xss=1;alert(2))';

/** No element the payloads could have produced, no script ran, and the payload is visible as text. */
async function expectInert(page: Page, visible: string): Promise<void> {
  await page.waitForFunction((t) => (globalThis as any).document.querySelector('main')?.textContent?.includes(t), visible);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(await page.locator('main script').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
}

describe('console: hostile content renders as text', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('messages, links, metadata, names, file names and tool output never execute', { timeout: 90_000 }, async () => {
    const { page, dialogs, project } = await signedInProject(session.browser, 'xss');
    const key = project.apiKey;
    const assistant = await api<{ id: string }>(key, 'POST', 'assistants', {
      model: 'gpt-4o-mini',
      name: `${IMG} helper`,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
    });
    const thread = await api<{ id: string }>(key, 'POST', 'threads', {
      metadata: { note: '<script>window.__xss=1</script>' },
      messages: [
        { role: 'user', content: `Look: ${IMG}` },
        { role: 'user', content: `And ${LINK}` },
      ],
    });
    // A function call whose arguments and output are HTML, answered through the API.
    const m = `xss${Date.now().toString(36)}`;
    await pushScripts(m, { toolCalls: [{ name: 'lookup', arguments: JSON.stringify({ q: IMG }) }] }, { text: `Done ${IMG}` });
    await api(key, 'POST', `threads/${thread.id}/messages`, { role: 'user', content: `run ${m}` });
    let run = await api<{ id: string; status: string; required_action: any }>(key, 'POST', `threads/${thread.id}/runs`, { assistant_id: assistant.id });
    while (run.status === 'queued' || run.status === 'in_progress') {
      await new Promise((r) => setTimeout(r, 200));
      run = await api(key, 'GET', `threads/${thread.id}/runs/${run.id}`);
    }
    expect(run.status).toBe('requires_action');
    const callId = run.required_action.submit_tool_outputs.tool_calls[0].id as string;
    await api(key, 'POST', `threads/${thread.id}/runs/${run.id}/submit_tool_outputs`, { tool_outputs: [{ tool_call_id: callId, output: `out ${IMG}` }] });
    while (!['completed', 'failed', 'cancelled', 'expired'].includes(run.status)) {
      await new Promise((r) => setTimeout(r, 200));
      run = await api(key, 'GET', `threads/${thread.id}/runs/${run.id}`);
    }
    expect(run.status).toBe('completed');

    const form = new FormData();
    form.set('purpose', 'assistants');
    form.set('file', new Blob(['hello']), `${IMG}.txt`);
    const upload = await fetch(`${inject('baseURL')}/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(upload.status).toBe(200);

    await page.goto(`${page.url().split('#')[0]}#/threads/${thread.id}`);
    await expectInert(page, 'Look: <img src=x onerror=');
    await expectInert(page, LINK);
    await expectInert(page, `→ out ${IMG}`);
    await expectInert(page, `Done ${IMG}`);
    await page.click('text=Thread JSON');
    await expectInert(page, '<script>window.__xss=1</script>');

    await page.click('nav a[href="#/assistants"]');
    await expectInert(page, `${IMG} helper`);
    await page.goto(`${page.url().split('#')[0]}#/assistants/${assistant.id}`);
    await page.waitForFunction((v) => (globalThis as any).document.querySelector('input[name="name"]')?.value === v, `${IMG} helper`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.click('nav a[href="#/files"]');
    await expectInert(page, `${IMG}.txt`);

    expect(dialogs).toEqual([]);
  });
});
