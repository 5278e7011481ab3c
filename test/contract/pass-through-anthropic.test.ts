// /v1/chat/completions for a provider that does not speak Chat Completions: a worker of its own whose
// only provider is Anthropic (the scripted upstream's Messages API), called with the official SDK.
// v6 only: with wrangler loaded (startWorker) the v4 SDK's requests fail (undici).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoStreamErrors, makeClients } from '../support/clients.js';
import { startWorker } from '../support/worker-runtime';
import { createProjectKey } from '../support/tenancy.js';
import { pushScripts, upstreamRequests } from '../support/upstream-control.js';
import { uniq } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'sk-admin-pass-through-anthropic-01';
let worker: Awaited<ReturnType<typeof startWorker>>;
let client: OpenAI;

beforeAll(async () => {
  worker = await startWorker(ROOT, ADMIN, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: inject('upstreamOrigin') });
  const key = await createProjectKey(worker.baseURL, ADMIN, 'pass-through-anthropic');
  client = makeClients({ baseURL: worker.baseURL, apiKey: key.apiKey }).v6;
});
afterAll(() => worker?.server.close());

describe('chat.completions through Anthropic (translated)', () => {
  it('plain: a chat.completion with the text and usage', async () => {
    const m = uniq('anth');
    await pushScripts(m, { text: 'Bonjour from Claude.', usage: { prompt_tokens: 11, completion_tokens: 5 } });
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: m }], max_tokens: 50 });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour from Claude.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
    });
    const [req] = await upstreamRequests(m);
    expect(req).toMatchObject({ path: '/v1/messages', body: { model: 'claude-sonnet-4-5', system: expect.stringContaining('Be brief.'), max_tokens: 50 } });
  });

  it('streamed: chunks the SDK assembles, then usage', async () => {
    const m = uniq('anth-stream');
    await pushScripts(m, { text: 'Streaming from Claude.', chunkSize: 3 });
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: m }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Streaming from Claude.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    await expectNoStreamErrors();
  });

  it('a model no provider serves is a 400 naming the missing setting', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 400,
      error: { code: 'model_not_found', message: expect.stringContaining('UPSTREAM_OPENAI_API_KEY') },
    });
  });
});
