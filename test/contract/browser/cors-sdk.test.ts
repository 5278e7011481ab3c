// The official SDK in a real browser (Debian chromium via playwright-core), on a page served from
// another origin than the worker, with `dangerouslyAllowBrowser`: lists assistants, creates a thread
// and streams a run (scripted upstream). Every call is cross-origin, so each needs the preflight to
// pass without a key and Access-Control-Allow-Origin on the answer, the SSE stream and errors included.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../../support/browser.js';
import { pushScripts } from '../../support/upstream-control.js';
import { createProjectKey, type ProjectKey } from '../../support/tenancy.js';
import { bundleOpenAiSdk, servePage, type PageServer } from './sdk-bundle.js';

const available = browserAvailable();

describe.skipIf(!available)('the openai SDK in a browser on another origin', () => {
  let browser: Browser;
  let pageServer: PageServer;
  let page: Page;
  let key: ProjectKey;

  beforeAll(async () => {
    key = await createProjectKey(inject('baseURL'), inject('adminKey'), 'browser-cors');
    pageServer = await servePage(await bundleOpenAiSdk());
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`${pageServer.origin}/`);
    expect(new URL(pageServer.origin).origin).not.toBe(new URL(inject('baseURL')).origin);
  });

  afterAll(async () => {
    await browser?.close();
    await pageServer?.close();
  });

  it('lists assistants, creates a thread and streams a run', async () => {
    const marker = `[browser-${Date.now().toString(36)}]`;
    await pushScripts(marker, { text: 'Streamed to the browser.', chunkSize: 4 });
    const result = await page.evaluate(
      async ({ baseURL, apiKey, marker }) => {
        const OpenAI = (globalThis as unknown as { OpenAI: any }).OpenAI;
        const client = new OpenAI({ baseURL, apiKey, dangerouslyAllowBrowser: true });
        const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'in the browser' });
        const listed = await client.beta.assistants.list();
        const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: `hello ${marker}` }] });
        const events: string[] = [];
        let text = '';
        const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
        for await (const event of stream) {
          events.push(event.event);
          if (event.event === 'thread.message.delta') {
            for (const part of event.data.delta.content ?? []) if (part.type === 'text') text += part.text?.value ?? '';
          }
        }
        const run = await stream.finalRun();
        // Read through `withResponse()`: the exposed headers are visible to the page.
        const { response } = await client.beta.threads.retrieve(thread.id).withResponse();
        return {
          assistantId: assistant.id,
          listedIds: listed.data.map((a: { id: string }) => a.id),
          threadId: thread.id,
          events,
          text,
          runStatus: run.status,
          requestId: response.headers.get('x-request-id'),
        };
      },
      { baseURL: inject('baseURL'), apiKey: key.apiKey, marker },
    );
    expect(result.listedIds).toContain(result.assistantId);
    expect(result.threadId).toMatch(/^thread_/);
    expect(result.events).toContain('thread.run.created');
    expect(result.events).toContain('thread.run.completed');
    expect(result.text).toBe('Streamed to the browser.');
    expect(result.runStatus).toBe('completed');
    expect(result.requestId).toMatch(/^req_/);
  });

  it('sees error responses (status, body, request id) instead of an opaque CORS failure', async () => {
    const result = await page.evaluate(async ({ baseURL }) => {
      const OpenAI = (globalThis as unknown as { OpenAI: any }).OpenAI;
      const client = new OpenAI({ baseURL, apiKey: 'sk-not-a-real-key', dangerouslyAllowBrowser: true, maxRetries: 0 });
      try {
        await client.beta.assistants.list();
        return { status: 0, code: null, name: 'no error', requestId: null };
      } catch (err: any) {
        return { status: err.status ?? 0, code: err.code ?? null, name: err.constructor?.name ?? '', requestId: err.requestID ?? null };
      }
    }, { baseURL: inject('baseURL') });
    expect(result).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(result.requestId).toMatch(/^req_/);
  });
});
