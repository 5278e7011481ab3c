// Project isolation, key revocation and admin-key behaviour. Another project's object must be
// indistinguishable from a missing one: same status, same envelope, same wording (only the id differs).
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from 'openai/resources/beta/assistants';
import type { Message } from 'openai/resources/beta/threads/messages';
import type { Thread } from 'openai/resources/beta/threads/threads';
import { makeRawFetch, validatingFetch } from '../support/clients.js';
import {
  admin, adminKey, baseURL, collect, expectApiError, expectErrorResponse, json, MAJORS, missingId, newProject, uniq,
  type Sdk, type TestProject,
} from './fixtures.js';

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";

let A: TestProject;
let B: TestProject;
let bAssistant: Assistant;
let bThread: Thread;
let bMessage: Message;
let aThread: Thread;

beforeAll(async () => {
  [A, B] = await Promise.all([newProject('tenancy-a'), newProject('tenancy-b')]);
  [bAssistant, bThread, aThread] = await Promise.all([
    B.sdk.v6.assistants.create({ model: 'gpt-4o', name: 'B private', metadata: { owner: 'B' } }),
    B.sdk.v6.threads.create({ metadata: { owner: 'B' } }),
    A.sdk.v6.threads.create(),
  ]);
  bMessage = await B.sdk.v6.messages.create(bThread.id, { role: 'user', content: 'B secret' });
});

interface Ids { asst: string; thread: string; msg: string; ownThread: string }
type Op = [name: string, call: (sdk: Sdk, ids: Ids) => PromiseLike<unknown>];

/** Every method of every route in the slice, addressed with ids that are not the caller's. */
const OPS: Op[] = [
  ['assistants.retrieve', (s, i) => s.assistants.retrieve(i.asst)],
  ['assistants.update', (s, i) => s.assistants.update(i.asst, { name: 'pwned' })],
  ['assistants.delete', (s, i) => s.assistants.delete(i.asst)],
  ['threads.retrieve', (s, i) => s.threads.retrieve(i.thread)],
  ['threads.update', (s, i) => s.threads.update(i.thread, { metadata: { owner: 'A' } })],
  ['threads.delete', (s, i) => s.threads.delete(i.thread)],
  ['messages.create', (s, i) => s.messages.create(i.thread, { role: 'user', content: 'injected' })],
  ['messages.list', (s, i) => s.messages.list(i.thread)],
  ['messages.retrieve', (s, i) => s.messages.retrieve(i.thread, i.msg)],
  ['messages.update', (s, i) => s.messages.update(i.thread, i.msg, { metadata: { owner: 'A' } })],
  ['messages.delete', (s, i) => s.messages.delete(i.thread, i.msg)],
  ["messages.retrieve via the caller's own thread", (s, i) => s.messages.retrieve(i.ownThread, i.msg)],
  ["messages.update via the caller's own thread", (s, i) => s.messages.update(i.ownThread, i.msg, { metadata: { a: 'b' } })],
  ["messages.delete via the caller's own thread", (s, i) => s.messages.delete(i.ownThread, i.msg)],
];

describe.each(MAJORS)("project A's key on project B's objects (SDK %s)", (major) => {
  it.each(OPS)('%s: 404 exactly like a missing id', async (_, call) => {
    const sdk = A.sdk[major];
    const foreign: Ids = { asst: bAssistant.id, thread: bThread.id, msg: bMessage.id, ownThread: aThread.id };
    const missing: Ids = { asst: missingId('asst_'), thread: missingId('thread_'), msg: missingId('msg_'), ownThread: aThread.id };
    const errForeign = await expectApiError(call(sdk, foreign), { status: 404 });
    const errMissing = await expectApiError(call(sdk, missing), { status: 404 });
    const anonymise = (body: unknown, ids: Ids) =>
      JSON.parse(JSON.stringify(body).replaceAll(ids.asst, '<asst>').replaceAll(ids.thread, '<thread>').replaceAll(ids.msg, '<msg>'));
    expect(anonymise(errForeign.error, foreign)).toEqual(anonymise(errMissing.error, missing));
    expect(JSON.stringify(errForeign.error)).not.toMatch(/B private|B secret|owner/);
  });
});

describe('isolation holds afterwards', () => {
  it("B's objects are unchanged after A's attempts", async () => {
    expect(await B.sdk.v6.assistants.retrieve(bAssistant.id)).toEqual(bAssistant);
    expect(await B.sdk.v6.threads.retrieve(bThread.id)).toEqual(bThread);
    expect(await B.sdk.v6.messages.retrieve(bThread.id, bMessage.id)).toEqual(bMessage);
    expect((await collect(B.sdk.v6.messages.list(bThread.id))).map((m) => m.id)).toEqual([bMessage.id]);
  });

  it("lists never show another project's objects", async () => {
    const aAssistant = await A.sdk.v4.assistants.create({ model: 'gpt-4o', name: 'A only' });
    const aIds = (await collect(A.sdk.v6.assistants.list({ limit: 100 }))).map((x) => x.id);
    const bIds = (await collect(B.sdk.v4.assistants.list({ limit: 100 }))).map((x) => x.id);
    expect(aIds).toContain(aAssistant.id);
    expect(aIds).not.toContain(bAssistant.id);
    expect(bIds).toContain(bAssistant.id);
    expect(bIds).not.toContain(aAssistant.id);
    // The admin key without OpenAI-Project acts in the default project: neither A's nor B's.
    const defaults = await admin<{ data: { id: string }[] }>('/assistants?limit=100', { headers: { 'openai-beta': 'assistants=v2' } });
    expect(defaults.status).toBe(200);
    expect(defaults.body.data.map((x) => x.id)).not.toContain(aAssistant.id);
    expect(defaults.body.data.map((x) => x.id)).not.toContain(bAssistant.id);
  });
});

describe("another project's ids as list cursors", () => {
  it('after/before = a foreign id never leaks foreign objects nor crashes', async () => {
    // OpenAI's answer to an unknown cursor is not documented: any non-5xx is fine, as long as B stays hidden.
    for (const q of [`after=${bAssistant.id}`, `before=${bAssistant.id}`]) {
      const res = await A.raw(`/assistants?${q}&limit=100`);
      expect(res.status, q).toBeLessThan(500);
      const body = (await res.json()) as { data?: { id: string }[] };
      expect((body.data ?? []).map((x) => x.id)).not.toContain(bAssistant.id);
      expect(JSON.stringify(body)).not.toContain('B private');
    }
    const msgs = await A.raw(`/threads/${aThread.id}/messages?after=${bMessage.id}`);
    expect(msgs.status).toBeLessThan(500);
    expect(await msgs.text()).not.toContain('B secret');
  });
});

describe('authentication', () => {
  it("no Authorization header: 401 with OpenAI's wording", async () => {
    const res = await A.raw('/assistants', { apiKey: null });
    await expectErrorResponse(res, { status: 401, message: NO_KEY, type: 'invalid_request_error', param: null, code: null });
  });

  it('an unknown key: 401 invalid_api_key, and the key is not echoed in full', async () => {
    const bogus = `sk-proj-${'x'.repeat(40)}bogus`;
    const body = await expectErrorResponse(await A.raw('/assistants', { apiKey: bogus }), { status: 401, code: 'invalid_api_key', param: null });
    expect(body.error.message).toMatch(/^Incorrect API key provided: /);
    expect(body.error.message).not.toContain(bogus);
  });

  it('deleting the service account revokes its key (401 invalid_api_key)', async () => {
    const sa = await admin<{ id: string; api_key: { value: string } }>(`/organization/projects/${A.projectId}/service_accounts`, json({ name: uniq('temp') }));
    expect(sa.status).toBe(200);
    const raw = makeRawFetch({ baseURL: baseURL(), apiKey: sa.body.api_key.value });
    expect((await raw('/assistants')).status).toBe(200);
    const del = await admin(`/organization/projects/${A.projectId}/service_accounts/${sa.body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    await expectErrorResponse(await raw('/assistants'), { status: 401, code: 'invalid_api_key' });
    await expectErrorResponse(await raw(`/threads/${aThread.id}`), { status: 401, code: 'invalid_api_key' });
  });

  it('DELETE api_keys/{key_id} revokes the key; the SDK sees an AuthenticationError', async () => {
    const sa = await admin<{ id: string; api_key: { value: string; id: string } }>(`/organization/projects/${A.projectId}/service_accounts`, json({ name: uniq('temp') }));
    const client = new OpenAI({ baseURL: baseURL(), apiKey: sa.body.api_key.value, maxRetries: 0, fetch: validatingFetch() as never });
    await client.beta.assistants.list();
    const del = await admin(`/organization/projects/${A.projectId}/api_keys/${sa.body.api_key.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const err = await expectApiError(client.beta.assistants.list(), { status: 401, code: 'invalid_api_key', message: /^Incorrect API key provided: / });
    expect((err as Error).constructor.name).toBe('AuthenticationError');
  });

  it('archiving a project revokes its keys', async () => {
    const C = await newProject('tenancy-archived');
    const thread = await C.sdk.v6.threads.create();
    const archived = await admin(`/organization/projects/${C.projectId}/archive`, json({}));
    expect(archived.status).toBe(200);
    await expectErrorResponse(await C.raw(`/threads/${thread.id}`), { status: 401, code: 'invalid_api_key' });
    await expectApiError(C.sdk.v4.threads.retrieve(thread.id), { status: 401, code: 'invalid_api_key' });
  });

  it('a project key cannot call /v1/organization/... (403)', async () => {
    await expectErrorResponse(await A.raw('/organization/projects'), { status: 403 });
    await expectErrorResponse(await A.raw('/organization/projects', json({ name: 'nope' })), { status: 403 });
    await expectErrorResponse(await A.raw(`/organization/projects/${A.projectId}/api_keys`), { status: 403 });
    await expectErrorResponse(await A.raw(`/organization/projects/${A.projectId}/service_accounts`, json({ name: 'x' })), { status: 403 });
  });

  it("a project key with another project's OpenAI-Project header is refused (never acts in B)", async () => {
    const res = await A.raw(`/assistants/${bAssistant.id}`, { headers: { 'openai-project': B.projectId, 'openai-beta': 'assistants=v2' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const text = await res.text();
    expect(text).not.toContain('B private');
  });
});

describe('the admin key on the API', () => {
  it('with OpenAI-Project: <id> (the SDK `project` option) it acts in that project', async () => {
    const asAdmin = new OpenAI({ baseURL: baseURL(), apiKey: adminKey(), project: A.projectId, maxRetries: 0, fetch: validatingFetch() as never });
    const made = await asAdmin.beta.assistants.create({ model: 'gpt-4o', name: 'made by admin in A' });
    expect(await A.sdk.v6.assistants.retrieve(made.id)).toEqual(made);
    await expectApiError(B.sdk.v6.assistants.retrieve(made.id), { status: 404 });
    expect((await collect(asAdmin.beta.assistants.list({ limit: 100 }))).map((x) => x.id)).toContain(made.id);
    expect(await asAdmin.beta.threads.retrieve(aThread.id)).toMatchObject({ id: aThread.id });
    await expectApiError(asAdmin.beta.threads.retrieve(bThread.id), { status: 404 });
    // Without the header: the default project, where A's objects do not exist.
    const res = await admin(`/assistants/${made.id}`, { headers: { 'openai-beta': 'assistants=v2' } });
    await expectErrorResponse(res.res, { status: 404, message: `No assistant found with id '${made.id}'.` });
  });
});

describe('keys are shown in clear only at creation', () => {
  it('api_keys and service_accounts listings show redacted_value, never the key', async () => {
    const keys = await admin<{ data: Record<string, unknown>[] }>(`/organization/projects/${A.projectId}/api_keys`);
    expect(keys.status).toBe(200);
    const mine = keys.body.data.find((k) => k.id === A.keyId);
    expect(mine).toBeDefined();
    expect(mine!.redacted_value).toEqual(expect.any(String));
    expect(mine!.redacted_value).not.toBe(A.apiKey);
    expect(mine).not.toHaveProperty('value');
    expect(JSON.stringify(keys.body)).not.toContain(A.apiKey);

    const one = await admin<Record<string, unknown>>(`/organization/projects/${A.projectId}/api_keys/${A.keyId}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('value');
    expect(JSON.stringify(one.body)).not.toContain(A.apiKey);

    const accounts = await admin(`/organization/projects/${A.projectId}/service_accounts`);
    expect(accounts.status).toBe(200);
    expect(JSON.stringify(accounts.body)).not.toContain(A.apiKey);
  });
});
