// OpenAI-Beta (docs/openai-behaviour.md §1): `assistants=v1` is refused with OpenAI's invalid_beta error on every
// assistants/threads route; a missing header is accepted (curl users, proxies that drop headers).
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRawFetch } from '../support/clients.js';
import { baseURL, expectErrorResponse, missingId, newProject, type TestProject } from './fixtures.js';
import { fill, fillBody, routeLabel, ROUTES, type Ids } from './routes.js';

const V1_MESSAGE = "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.";

let p: TestProject;
beforeAll(async () => {
  p = await newProject('beta-header');
});

/** Fresh objects per request, so that DELETE routes have something to delete. */
async function freshIds(): Promise<Ids> {
  const [asst, thread] = await Promise.all([p.sdk.v6.assistants.create({ model: 'gpt-4o' }), p.sdk.v6.threads.create()]);
  const msg = await p.sdk.v6.messages.create(thread.id, { role: 'user', content: 'hi' });
  return { assistant_id: asst.id, thread_id: thread.id, message_id: msg.id, run_id: missingId('run_'), step_id: missingId('step_') };
}

const betaRoutes = ROUTES.filter((r) => r.auth === 'project' && /^\/(assistants|threads)\b/.test(r.template));
/** The routes of this slice (runs need a model; their own tests cover them). */
const sliceRoutes = betaRoutes.filter((r) => !r.template.includes('/runs'));

describe("OpenAI-Beta: assistants=v1 -> 400 invalid_beta", () => {
  it.each(betaRoutes.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const ids = await freshIds();
    const body = r.body === undefined ? undefined : fillBody(r.body, ids);
    const raw = makeRawFetch({ baseURL: baseURL(), apiKey: p.apiKey });
    const res = await raw(fill(r.template, ids), {
      method: r.method,
      headers: { 'openai-beta': 'assistants=v1', ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    await expectErrorResponse(res, { status: 400, message: V1_MESSAGE, type: 'invalid_request_error', param: null, code: 'invalid_beta' });
  });

  it('the SDK surfaces it as a BadRequestError with code invalid_beta', async () => {
    const err = await p.v6.beta.assistants.list({}, { headers: { 'OpenAI-Beta': 'assistants=v1' } }).then(
      () => undefined,
      (e: { status?: number; code?: string }) => e,
    );
    expect(err).toMatchObject({ status: 400, code: 'invalid_beta' });
  });
});

describe('no OpenAI-Beta header at all -> accepted', () => {
  it.each(sliceRoutes.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const ids = await freshIds();
    const body = r.body === undefined ? undefined : fillBody(r.body, ids);
    const raw = makeRawFetch({ baseURL: baseURL(), apiKey: p.apiKey });
    const res = await raw(fill(r.template, ids), { method: r.method, headers: body ? { 'content-type': 'application/json' } : {}, body });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('nor on /models, which the SDK calls without it', async () => {
    const res = await p.raw('/models');
    expect(res.status).toBe(200);
  });
});
