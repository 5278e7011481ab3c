// The assistant editor on an existing assistant: search the list, edit every kind of field
// (description, model, response_format json_schema validated before saving, top_p, metadata,
// code_interpreter files), save, and delete.
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../../support/browser.js';
import { api, signedInProject } from './console-support.js';

interface Assistant { id: string; name: string; description: string | null; model: string; top_p: number | null; metadata: Record<string, string>; response_format: any; tools: Array<{ type: string }>; tool_resources: any }

describe('console: assistant editor', () => {
  const session = useBrowser();

  it.skipIf(!session.available)('searches, edits every field kind, saves and deletes', { timeout: 60_000 }, async () => {
    const { page, project } = await signedInProject(session.browser, 'assistants');
    const key = project.apiKey;
    await api(key, 'POST', 'assistants', { model: 'gpt-4o-mini', name: 'Alpha' });
    const beta = await api<Assistant>(key, 'POST', 'assistants', { model: 'gpt-4o-mini', name: 'Beta', tools: [{ type: 'code_interpreter' }] });
    const form = new FormData();
    form.set('purpose', 'assistants');
    form.set('file', new Blob(['x,y\n1,2\n']), 'table.csv');
    const file = (await (await fetch(`${page.url().split('#')[0]}v1/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form })).json()) as { id: string };

    await page.click('nav a[href="#/assistants"]');
    await page.waitForSelector('a:has-text("Alpha")');
    await page.fill('input[type="search"]', 'bet');
    await page.waitForSelector('a:has-text("Alpha")', { state: 'detached' });
    await page.click('a:has-text("Beta")');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('input[name="name"]')?.value === 'Beta');

    await page.fill('input[name="description"]', 'Second assistant');
    await page.fill('input[name="model"]', 'gpt-4o');
    await page.selectOption('select[aria-label="code_interpreter files"]', { label: 'table.csv' });
    await page.selectOption('select[name="response_format"]', 'json_schema');
    await page.fill('textarea:below(:text("json_schema ({ name, schema, strict })"))', '{ "name": "out", ');
    await page.waitForSelector('.error:has-text("response_format json_schema is not JSON")');
    expect(await page.isDisabled('button:has-text("Save")')).toBe(true);
    await page.fill('textarea:below(:text("json_schema ({ name, schema, strict })"))', JSON.stringify({ name: 'out', schema: { type: 'object', properties: { a: { type: 'string' } } } }));
    await page.fill('input[name="top_p"]', '0.9');
    await page.click('text=Add metadata');
    await page.fill('input[aria-label="metadata key"]', 'owner');
    await page.fill('input[aria-label="metadata value"]', 'team-blue');
    await page.click('button:has-text("Save")');
    await page.waitForSelector(`text=Saved ${beta.id}`);

    const saved = await api<Assistant>(key, 'GET', `assistants/${beta.id}`);
    expect(saved).toMatchObject({ description: 'Second assistant', model: 'gpt-4o', top_p: 0.9, metadata: { owner: 'team-blue' } });
    expect(saved.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'out' } });
    expect(saved.tool_resources.code_interpreter.file_ids).toEqual([file.id]);

    await page.click('button:has-text("Delete")');
    await page.waitForSelector('a:has-text("Alpha")');
    const left = await api<{ data: Assistant[] }>(key, 'GET', 'assistants');
    expect(left.data.map((a) => a.name)).toEqual(['Alpha']);
  });
});
