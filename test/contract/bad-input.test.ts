// Every route the router serves (routes.ts) through the same hostile inputs. Whatever the input, the answer
// is a 4xx in OpenAI's envelope {error:{message,type,param,code}} with content-type application/json and an
// x-request-id: never a 5xx (checked for every request of this file in afterAll).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { validatingFetch } from '../support/clients.js';
import { adminKey, baseURL, expectErrorResponse, missingId, newProject, type TestProject } from './fixtures.js';
import { bodyParams, fill, fillBody, ID_PREFIX, idParams, routeLabel, ROUTES, toFormData, type Ids, type Route } from './routes.js';

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";
const JSON_HEADERS = { 'content-type': 'application/json', 'openai-beta': 'assistants=v2' };

/** Every response of this file, for the no-5xx rule. */
const seen: { label: string; status: number }[] = [];
const recordingFetch = validatingFetch(async (input, init) => {
  const res = await globalThis.fetch(input, init);
  seen.push({ label: `${init?.method ?? 'GET'} ${String(input)}`, status: res.status });
  return res;
});

/** `key`: a bearer key, or null for no Authorization header. */
function call(key: string | null, method: string, path: string, init: { body?: string | FormData; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'openai-beta': 'assistants=v2', ...init.headers };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return recordingFetch(`${baseURL()}${path}`, { method, headers, body: init.body });
}

let A: TestProject; // the caller
let B: TestProject; // owns the "other project" ids
let idsA: Ids;
let idsB: Ids;
const keyFor = (r: Route) => (r.auth === 'admin' ? adminKey() : A.apiKey);

async function objectsOf(p: TestProject): Promise<Ids> {
  const text = (name: string) => toFile(Buffer.from(`bad-input probe ${name}`), name);
  const [asst, thread, file, batchFile, store, upload] = await Promise.all([
    p.sdk.v6.assistants.create({ model: 'gpt-4o' }),
    p.sdk.v6.threads.create(),
    text('probe.txt').then((f) => p.v6.files.create({ file: f, purpose: 'assistants' })),
    text('batch.txt').then((f) => p.v6.files.create({ file: f, purpose: 'assistants' })),
    p.v6.vectorStores.create({ name: 'bad-input' }),
    p.v6.uploads.create({ filename: 'probe.txt', purpose: 'assistants', bytes: 5, mime_type: 'text/plain' }),
  ]);
  const msg = await p.sdk.v6.messages.create(thread.id, { role: 'user', content: 'hi' });
  const conversation = await p.v6.conversations.create({ items: [{ role: 'user', content: 'hi' }] });
  const [item] = (await p.v6.conversations.items.list(conversation.id)).data;
  await p.v6.vectorStores.files.create(store.id, { file_id: file.id });
  const batch = await p.v6.vectorStores.fileBatches.create(store.id, { file_ids: [batchFile.id] });
  const response = await p.v6.responses.create({ model: 'gpt-4o', input: 'bad-input probe' });
  const container = await p.v6.containers.create({ name: 'bad-input' });
  const containerFile = await p.v6.containers.files.create(container.id, { file: await text('in-container.txt') });
  return {
    assistant_id: asst.id, thread_id: thread.id, message_id: msg.id,
    project_id: p.projectId, key_id: p.keyId, service_account_id: missingId('svc_acct_'),
    // Well-formed ids of runs/steps that do not exist: every check here fails before they would matter.
    run_id: missingId('run_'), step_id: missingId('step_'), model: 'gpt-4o',
    file_id: file.id, vector_store_id: store.id, batch_id: batch.id, upload_id: upload.id,
    conversation_id: conversation.id, item_id: item!.id!, response_id: response.id,
    container_id: container.id, container_file_id: containerFile.id,
  };
}

beforeAll(async () => {
  [A, B] = await Promise.all([newProject('bad-input-a'), newProject('bad-input-b')]);
  [idsA, idsB] = await Promise.all([objectsOf(A), objectsOf(B)]);
});

afterAll(() => {
  expect(seen.filter((s) => s.status >= 500), 'requests answered with a 5xx').toEqual([]);
});

const withBody = ROUTES.filter((r) => r.body !== undefined);
const withIds = ROUTES.filter((r) => idParams(r.template).length > 0);
const KIND: Record<string, string> = {
  assistant_id: 'assistant', thread_id: 'thread', message_id: 'message', run_id: 'run', step_id: 'step',
  vector_store_id: 'vector store', batch_id: 'file batch', upload_id: 'upload',
  container_id: 'container', container_file_id: 'container file',
};
/** The 404s OpenAI may answer for a missing object named by `name` ({message, param}). */
function notFoundsOf(name: string, id: string): { message: string; param: string | null }[] {
  if (name === 'conversation_id') return [{ message: `Conversation with id '${id}' not found.`, param: null }]; // the Responses-family wording
  if (name === 'response_id') return [{ message: `Response with id '${id}' not found.`, param: null }]; // the Responses API's wording
  if (name !== 'file_id') return [{ message: `No ${KIND[name]} found with id '${id}'.`, param: null }];
  return [
    { message: `No such File object: ${id}`, param: 'id' }, // /files/{file_id} (docs/openai-behaviour.md §4)
    { message: `No file found with id '${id}'.`, param: 'file_id' }, // a file named in a body
    { message: `No vector store file found with id '${id}'.`, param: null },
  ];
}
const bodyOf = (r: Route, ids: Ids) => (r.body === undefined ? undefined : fillBody(r.body, ids));
/** A request's body and headers: JSON, the route's valid multipart form, or none. */
function requestOf(r: Route, ids: Ids): { body?: string | FormData; headers: Record<string, string> } {
  const body = bodyOf(r, ids);
  if (body !== undefined) return { body, headers: JSON_HEADERS };
  if (r.multipart) return { body: toFormData(r.multipart.valid), headers: {} };
  return { headers: {} };
}
const invalidCases = ROUTES.flatMap((r) => (r.invalid ?? []).map(([what, input, param]) => [routeLabel(r), what, r, input, param] as const));

describe('the route table', () => {
  it('covers every route registered in src/http/routes (add new routes to test/contract/routes.ts)', async () => {
    const url = new URL('../../scripts/spec-coverage.mjs', import.meta.url).href;
    const { parseRoutes } = (await import(url)) as { parseRoutes: () => { method: string; template: string }[] };
    const shape = (t: string) => t.replace(/\{[^}]+\}/g, '{}');
    const table = new Set(ROUTES.map((r) => `${r.method} ${shape(r.template)}`));
    const missing = parseRoutes().map((r) => `${r.method} ${shape(r.template)}`).filter((k) => !table.has(k));
    expect(missing).toEqual([]);
  });
});

describe('(a) no Authorization header -> 401', () => {
  it.each(ROUTES.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const res = await call(null, r.method, fill(r.template, idsA), requestOf(r, idsA));
    await expectErrorResponse(res, { status: 401, message: NO_KEY, param: null, code: null });
  });
});

describe("(b) another project's ids -> 404, as if missing", () => {
  const foreign = ROUTES.filter((r) => r.auth === 'project' && idParams(r.template).length + bodyParams(r.body).length > 0);
  it.each(foreign.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const res = await call(A.apiKey, r.method, fill(r.template, idsB), requestOf(r, idsB));
    // Which foreign object is reported first (thread or message, path or body) is not specified: any of
    // them, in OpenAI's exact wording.
    const used = [...idParams(r.template), ...bodyParams(r.body)];
    const expected = used.flatMap((name) => notFoundsOf(name, idsB[name]!));
    const err = await expectErrorResponse(res, { status: 404, code: null });
    expect(expected.map((e) => e.message)).toContain(err.error.message);
    expect(err.error.param).toBe(expected.find((e) => e.message === err.error.message)!.param);
  });
});

describe('(c) malformed JSON body -> 400 invalid_request_error', () => {
  it.each(withBody.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const res = await call(keyFor(r), r.method, fill(r.template, idsA), { body: '{"model": "gpt-4o", "name": ', headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400, message: /could not parse the JSON body/, param: null });
  });

  it.each(withBody.map((r) => [routeLabel(r), r] as const))('%s: a JSON array instead of an object', async (_, r) => {
    const res = await call(keyFor(r), r.method, fill(r.template, idsA), { body: '[]', headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400 });
  });
});

describe("(d) a body field that doesn't exist -> 400 unknown_parameter", () => {
  it.each(withBody.map((r) => [routeLabel(r), r] as const))('%s', async (_, r) => {
    const body = fillBody({ ...(r.body as object), frobnicate: true }, idsA);
    const res = await call(keyFor(r), r.method, fill(r.template, idsA), { body, headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400, message: "Unknown parameter: 'frobnicate'.", param: 'frobnicate', code: 'unknown_parameter' });
  });
});

describe('(e) wrong types and out-of-range values -> 400 naming the field', () => {
  it.each(invalidCases)('%s: %s', async (_, __, r, input, param) => {
    const base = fill(r.template, idsA);
    const res =
      r.method === 'GET'
        ? await call(keyFor(r), 'GET', `${base}?${String(input)}`)
        : await call(keyFor(r), r.method, base, { body: fillBody(input, idsA), headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400, param });
  });
});

describe('(f) a body with a non-JSON content type -> 400', () => {
  it.each(withBody.map((r) => [routeLabel(r), r] as const))('%s (text/plain)', async (_, r) => {
    const res = await call(keyFor(r), r.method, fill(r.template, idsA), {
      body: bodyOf(r, idsA),
      headers: { 'content-type': 'text/plain' },
    });
    await expectErrorResponse(res, { status: 400 });
  });
});

describe("(g) malformed ids in the path -> 400 Invalid '<param>'", () => {
  const cases = withIds.flatMap((r) => idParams(r.template).map((param) => [routeLabel(r), param, r] as const));
  it.each(cases)('%s with %s = abc', async (_, param, r) => {
    const res = await call(keyFor(r), r.method, fill(r.template, { ...idsA, [param]: 'abc' }), requestOf(r, idsA));
    const message = `Invalid '${param}': 'abc'. Expected an ID that begins with '${ID_PREFIX[param]}'.`;
    await expectErrorResponse(res, r.auth === 'project' ? { status: 400, message, param, code: 'invalid_value' } : { status: 400, param });
  });

  it("the SDK's classic v4-on-v5 mistake: thread_id 'undefined' (openai-node#1545)", async () => {
    const res = await call(A.apiKey, 'GET', `/threads/undefined/messages/${idsA.message_id}`);
    await expectErrorResponse(res, {
      status: 400, message: "Invalid 'thread_id': 'undefined'. Expected an ID that begins with 'thread'.", param: 'thread_id', code: 'invalid_value',
    });
  });
});

describe('(i) multipart routes: bad forms -> 400 naming the field; JSON instead of a form -> 400', () => {
  const multipart = ROUTES.filter((r) => r.multipart);
  const cases = multipart.flatMap((r) => r.multipart!.invalid.map(([what, form, param]) => [routeLabel(r), what, r, form, param] as const));
  it.each(cases)('%s: %s', async (_, __, r, form, param) => {
    const res = await call(A.apiKey, r.method, fill(r.template, idsA), { body: toFormData(form) });
    await expectErrorResponse(res, { status: 400, param });
  });

  it.each(multipart.map((r) => [routeLabel(r), r] as const))('%s with a JSON body', async (_, r) => {
    const res = await call(A.apiKey, r.method, fill(r.template, idsA), { body: '{"purpose":"assistants"}', headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400 });
  });

  it.each(multipart.map((r) => [routeLabel(r), r] as const))('%s with a truncated multipart body', async (_, r) => {
    const body = '--xyz\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhal';
    const res = await call(A.apiKey, r.method, fill(r.template, idsA), { body, headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
    await expectErrorResponse(res, { status: 400 });
  });
});

describe('(h) unknown routes -> 404 Invalid URL (METHOD /v1/...)', () => {
  const cases: [string, string][] = [
    ['GET', '/nope'],
    ['GET', '/threads/{thread_id}/import'],
    ['POST', '/threads/{thread_id}/foo'],
    ['PUT', '/assistants'],
    ['PATCH', '/threads/{thread_id}'],
    ['DELETE', '/assistants'],
    ['DELETE', '/threads/{thread_id}/messages'],
    ['GET', '/threads/{thread_id}/messages/{message_id}/extra'],
  ];
  it.each(cases)('%s %s', async (method, template) => {
    const path = fill(template, idsA);
    const res = await call(A.apiKey, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: '{}', headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 404, message: `Invalid URL (${method} /v1${path})`, param: null, code: null });
  });

  it('outside /v1 too', async () => {
    const origin = new URL(baseURL()).origin;
    const res = await recordingFetch(`${origin}/v2/assistants`, { headers: { authorization: `Bearer ${A.apiKey}` } });
    await expectErrorResponse(res, { status: 404, message: 'Invalid URL (GET /v2/assistants)', param: null, code: null });
  });
});

describe('pathological bodies: never a 5xx', () => {
  // Free-form JSON (function parameters, json_schema.schema) nested 10,000 deep. OpenAI's answer is unknown
  // (probably a 400): accepting it or refusing it in the envelope are both fine, a crash is not.
  const deep = (n: number) => '{"a":'.repeat(n) + '{}' + '}'.repeat(n);
  const fnTools = `[{"type":"function","function":{"name":"f","parameters":${deep(10_000)}}}]`;
  const cases: [string, string, string, (ids: Ids) => string][] = [
    ['function parameters', 'POST', '/assistants', () => `{"model":"gpt-4o","tools":${fnTools}}`],
    ['function parameters', 'POST', '/assistants/{assistant_id}', () => `{"tools":${fnTools}}`],
    ['json_schema.schema', 'POST', '/assistants', () => `{"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${deep(10_000)}}}}`],
    ['run tools', 'POST', '/threads/{thread_id}/runs', (ids) => `{"assistant_id":"${ids.assistant_id}","tools":${fnTools}}`],
  ];
  it.each(cases)('%s nested 10,000 deep: %s %s', async (_, method, template, body) => {
    const res = await call(A.apiKey, method, fill(template, idsA), { body: body(idsA), headers: JSON_HEADERS });
    expect(res.status, (await res.clone().text()).slice(0, 200)).toBeLessThan(500);
    if (!res.ok) await expectErrorResponse(res, { status: 400 });
  });
});

describe('bodies the SDKs and curl send that must be accepted', () => {
  it('POST /threads with an empty body, with and without content-type (curl -d "", v4)', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
      const res = await call(A.apiKey, 'POST', '/threads', { body: '', headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: 'thread' });
    }
  });

  it('limit at the bounds (1 and 100) is fine', async () => {
    for (const q of ['limit=1', 'limit=100&order=asc']) expect((await call(A.apiKey, 'GET', `/assistants?${q}`)).status).toBe(200);
  });

  it('POST /assistants with an empty body is a missing model, not a crash', async () => {
    const res = await call(A.apiKey, 'POST', '/assistants', { body: '', headers: JSON_HEADERS });
    await expectErrorResponse(res, { status: 400, param: 'model', code: 'missing_required_parameter' });
  });

  it('GET with content-type: application/json and no body (v4 sends it on every request)', async () => {
    const res = await call(A.apiKey, 'GET', '/assistants', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
  });

  it('application/json; charset=utf-8', async () => {
    const res = await call(A.apiKey, 'POST', '/assistants', { body: JSON.stringify({ model: 'gpt-4o' }), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(200);
  });
});
