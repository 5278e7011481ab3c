// A code_interpreter sandbox that is down fails the run with a clear last_error (not a generic one). The
// shared executor of the contract run cannot be stopped, so this file starts a second worker (the same
// wrangler.toml, the same scripted upstream) whose CODE_EXECUTOR_URL points at a stand-in executor this
// test controls: first it answers 503, then it is closed (connection refused).
// v6 only: with wrangler loaded (startWorker) the v4 SDK's requests fail (undici: "invalid content-length header").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoStreamErrors, makeClients } from '../../support/clients.js';
import { startWorker } from '../../support/worker-runtime';
import { createProjectKey } from '../../support/tenancy.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { marker, python } from './ci-support.js';

const ADMIN = 'sk-admin-ci-unavailable-0001';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let worker: Awaited<ReturnType<typeof startWorker>>;
let standIn: Server;
let standInUrl: string;
let v6: OpenAI;

beforeAll(async () => {
  standIn = createServer((req, res) => {
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'sandbox host is draining' } }));
  });
  await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  worker = await startWorker(ROOT, ADMIN, {
    UPSTREAM_OPENAI_BASE_URL: `${inject('upstreamOrigin')}/v1`,
    UPSTREAM_OPENAI_API_KEY: 'sk-upstream-test',
    CODE_EXECUTOR_URL: standInUrl,
    CODE_EXECUTOR_TOKEN: 'ci-unavailable-token',
    CODE_EXECUTION_TIMEOUT_SECONDS: '5',
  });
  const key = await createProjectKey(worker.baseURL, ADMIN, 'ci-unavailable');
  v6 = makeClients({ baseURL: worker.baseURL, apiKey: key.apiKey }).v6;
});

afterAll(async () => {
  await worker?.server.close();
  if (standIn.listening) await new Promise((r) => standIn.close(r));
});

async function failedRun(m: string, stream: boolean) {
  const assistant = await v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'code_interpreter' }] });
  await pushScripts(m, python("print('never runs')"), { text: 'unused' });
  const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `Run it ${m}` }] });
  if (!stream) return { thread, run: await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }), events: [] as string[] };
  const s = v6.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
  const events: string[] = [];
  s.on('event', (e) => events.push(e.event));
  return { thread, run: await s.finalRun(), events };
}

async function expectFailedStep(threadId: string, runId: string, message: RegExp) {
  const steps = await v6.beta.threads.runs.steps.list(runId, { thread_id: threadId });
  const step = steps.data.find((x) => x.type === 'tool_calls')!;
  expect(step).toMatchObject({ status: 'failed', failed_at: expect.any(Number), last_error: { code: 'server_error', message: expect.stringMatching(message) } });
}

describe('code_interpreter with the sandbox down (second worker, SDK v6)', () => {
  it('an executor answering 503: the run fails with last_error naming the executor failure', async () => {
    const m = marker('ci-down-503');
    const { thread, run } = await failedRun(m, false);
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({ code: 'server_error', message: expect.stringMatching(/code executor.*failed \(503\).*sandbox host is draining/) });
    expect(run.failed_at).toEqual(expect.any(Number));
    expect(run.expires_at).toBeNull();
    await expectFailedStep(thread.id, run.id, /503/);
    // The model was called once (the tool call); nothing went back to it.
    expect(await upstreamRequests(m)).toHaveLength(1);
    expect((await v6.beta.threads.messages.list(thread.id)).data.map((x) => x.role)).toEqual(['user']);
  });

  it('an executor that cannot be reached: the streamed run ends thread.run.failed with a clear last_error', async () => {
    await new Promise((r) => standIn.close(r));
    const m = marker('ci-down-refused');
    const { thread, run, events } = await failedRun(m, true);
    expect(run.status).toBe('failed');
    // A refused connection makes fetch() throw, locally as on Workers ("cannot be reached").
    const refused = /^The code executor at http:\/\/127\.0\.0\.1:\d+ cannot be reached/;
    expect(run.last_error).toEqual({ code: 'server_error', message: expect.stringMatching(refused) });
    expect(events).toContain('thread.run.step.failed');
    expect(events.at(-1)).toBe('thread.run.failed');
    await expectFailedStep(thread.id, run.id, refused);
    expect(await v6.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).toEqual(run);
    await expectNoStreamErrors();
  });
});
