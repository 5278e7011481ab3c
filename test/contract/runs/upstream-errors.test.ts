// Errors that say what is wrong: no model provider, an upstream that rejects the key, an upstream that is
// down, a model the upstream does not list. The shared worker has a working upstream, so this file also
// starts two workers of its own (same wrangler.toml): one with no provider at all, one whose upstream
// URL refuses connections.
// v6 only for the extra workers: with wrangler loaded (startWorker) the v4 SDK's requests fail (undici).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { makeClients } from '../../support/clients.js';
import { startWorker } from '../../support/worker-runtime';
import { createProjectKey } from '../../support/tenancy.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError as expectSdkError } from '../fixtures.js';
import { expectApiError } from './majors.js';
import { marker, runFixture } from './run-support.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ADMIN = 'sk-admin-upstream-errors-0001';
type Worker = Awaited<ReturnType<typeof startWorker>>;
const workers: Worker[] = [];

async function client(settings: Record<string, string>): Promise<OpenAI> {
  const worker = await startWorker(ROOT, ADMIN, settings);
  workers.push(worker);
  const key = await createProjectKey(worker.baseURL, ADMIN, 'upstream-errors');
  return makeClients({ baseURL: worker.baseURL, apiKey: key.apiKey }).v6;
}

let none: OpenAI;
let down: OpenAI;
beforeAll(async () => {
  none = await client({});
  down = await client({ UPSTREAM_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', UPSTREAM_OPENAI_API_KEY: 'sk-unused' });
});
afterAll(async () => {
  for (const w of workers) await w.server.close();
});

describe('with the shared (working) upstream', () => {
  it('an upstream 401 fails the run at once with a server_error naming the upstream and the key setting', async () => {
    const fx = await runFixture('upstream-401');
    const m = marker('401');
    await pushScripts(m, { status: 401, body: { error: { message: 'Incorrect API key provided: sk-up***st.', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const thread = await fx.v6.beta.threads.create({ messages: [{ role: 'user', content: `hi ${m}` }] });
    const run = await fx.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: fx.assistant.id });
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({
      code: 'server_error',
      message: expect.stringMatching(/^The OpenAI-compatible upstream http:\/\/127\.0\.0\.1:\d+\/v1 rejected the API key \(HTTP 401: Incorrect API key provided: sk-up\*\*\*st\.\)\. Check UPSTREAM_OPENAI_API_KEY\.$/),
    });
    // Not retried: another attempt would be rejected the same way.
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('an assistant with a model the upstream does not list is refused at creation (400), as OpenAI did', async () => {
    const fx = await runFixture('upstream-model-list');
    await expectApiError(fx.v6.beta.assistants.create({ model: 'gpt-no-such-model' }), 400, "The model 'gpt-no-such-model' does not exist or you do not have access to it.");
    await expectApiError(fx.v6.beta.assistants.update(fx.assistant.id, { model: 'gpt-no-such-model' }), 400, "The model 'gpt-no-such-model' does not exist or you do not have access to it.");
    expect((await fx.v6.beta.assistants.create({ model: 'o3-mini' })).model).toBe('o3-mini');
  });
});

describe('with no model provider configured', () => {
  it('assistant creation, chat completions and GET /v1/models say that no provider is configured', async () => {
    const noProvider = /^No model provider is configured, so no model \(including 'gpt-4o-mini'\) can run: set UPSTREAM_OPENAI_API_KEY/;
    await expectApiError(none.beta.assistants.create({ model: 'gpt-4o-mini' }), 400, noProvider);
    await expectApiError(none.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }), 400, noProvider);
    expect((await none.models.list()).data).toEqual([]);
  });
});

// A connection that fails rejects the worker's fetch (as in production); the message names the upstream and the cause.
const DOWN = /^Could not reach the OpenAI-compatible upstream http:\/\/127\.0\.0\.1:1\/v1: /;

describe('with an upstream that is down', () => {
  it('GET /v1/models reports it (502) instead of an empty list', async () => {
    await expectSdkError(down.models.list(), { status: 502, type: 'server_error', code: 'upstream_error', message: DOWN });
  });

  it('a run is retried, then fails with a server_error naming the unreachable upstream', async () => {
    const assistant = await down.beta.assistants.create({ model: 'gpt-4o-mini' });
    const run = await down.beta.threads.createAndRunPoll({ assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'hello' }] } }, { pollIntervalMs: 200 });
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({ code: 'server_error', message: expect.stringMatching(DOWN) });
  }, 60_000);
});
