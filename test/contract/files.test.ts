// client.files from an app's point of view (SDK v6 and v4): multipart create with the SDKs' own encoders
// (v4 sends `purpose` first, v6 the file first), retrieve, list with purpose filter and auto-pagination,
// byte-exact content, waitForProcessing, delete then 404, another project's file = a missing one, and
// hostile multipart input answered with 400s (never a 5xx, never a half-written file).
import { createHash } from 'node:crypto';
import { toFile } from 'openai';
import { toFile as toFileV4 } from 'openai-v4';
import type { FileCreateParams, FileListParams, FileObject } from 'openai/resources/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../support/clients.js';
import { collect, expectApiError, expectErrorResponse, SDK_MAJORS, missingId, newProject, type PageLike, type TestProject } from './fixtures.js';

interface FilesSdk {
  create(bytes: Uint8Array, name: string, purpose?: string, extra?: Partial<FileCreateParams>): Promise<FileObject>;
  retrieve(id: string): Promise<FileObject>;
  list(query?: FileListParams): PageLike<FileObject>;
  content(id: string): Promise<Response>;
  delete(id: string): Promise<{ id: string; object: string; deleted: boolean }>;
  waitForProcessing(id: string): Promise<FileObject>;
}

const cast = <T>(v: unknown): T => v as T;

function filesOf(p: TestProject, major: 'v6' | 'v4'): FilesSdk {
  if (major === 'v6') {
    const f = p.v6.files;
    return {
      create: async (bytes, name, purpose = 'assistants', extra = {}) =>
        f.create({ file: await toFile(Buffer.from(bytes), name), purpose: cast(purpose), ...extra }),
      retrieve: (id) => f.retrieve(id),
      list: (query) => cast(f.list(query)),
      content: (id) => f.content(id),
      delete: (id) => f.delete(id),
      waitForProcessing: (id) => f.waitForProcessing(id, { pollInterval: 50 }),
    };
  }
  const f = p.v4.files;
  return {
    create: async (bytes, name, purpose = 'assistants', extra = {}) =>
      cast(f.create(cast({ file: await toFileV4(Buffer.from(bytes), name), purpose, ...extra }))),
    retrieve: (id) => cast(f.retrieve(id)),
    list: (query) => cast(f.list(cast(query ?? {}))),
    content: (id) => f.content(id),
    delete: (id) => cast(f.del(id)),
    waitForProcessing: (id) => cast(f.waitForProcessing(id, { pollInterval: 50 })),
  };
}

const text = (s: string) => new TextEncoder().encode(s);
const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Deterministic pseudo-random bytes (no CRLF-free luck: every byte value occurs). */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}
const nowS = () => Math.floor(Date.now() / 1000);

let A: TestProject;
let B: TestProject;
beforeAll(async () => {
  [A, B] = await Promise.all([newProject('files-a'), newProject('files-b')]);
});
afterAll(() => expectNoContractViolations());

describe.each(SDK_MAJORS)('files (SDK %s)', (major) => {
  let sdk: FilesSdk;
  beforeAll(() => {
    sdk = filesOf(A, major);
  });

  it.each([
    ['notes.txt', 'text/plain', 'hello from a text file\n'],
    ['README.md', 'text/markdown', '# Title\n\nSome *markdown* with ünïcödé.\r\n'],
    ['paper.pdf', 'application/pdf', '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n'],
  ])('create %s, retrieve, content is byte-exact with %s', async (name, mime, body) => {
    const bytes = text(body);
    const before = nowS();
    const file = await sdk.create(bytes, name);
    expect(file).toEqual({
      id: expect.stringMatching(/^file-[A-Za-z0-9]{24}$/),
      object: 'file',
      bytes: bytes.length,
      created_at: expect.any(Number),
      filename: name,
      purpose: 'assistants',
      status: 'processed',
    });
    // expires_at / status_details are optional and not nullable: absent, not null.
    expect(Object.keys(file)).not.toContain('expires_at');
    expect(file.created_at).toBeGreaterThanOrEqual(before - 1);
    expect(await sdk.retrieve(file.id)).toEqual(file);

    const res = await sdk.content(file.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(mime);
    expect(res.headers.get('content-disposition')).toContain(`filename="${name}"`);
    expect(Buffer.from(await bytesOf(res)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('every upload purpose is accepted and returned', async () => {
    for (const purpose of ['assistants', 'batch', 'fine-tune', 'vision', 'user_data']) {
      const file = await sdk.create(text(`{"p":"${purpose}"}\n`), 'data.jsonl', purpose);
      expect(file.purpose).toBe(purpose);
    }
  });

  it('expires_after sets expires_at = created_at + seconds', async () => {
    const file = await sdk.create(text('short-lived'), 'tmp.txt', 'user_data', {
      expires_after: { anchor: 'created_at', seconds: 3600 },
    });
    expect(file.expires_at).toBe(file.created_at + 3600);
    expect((await sdk.retrieve(file.id)).expires_at).toBe(file.expires_at);
  });

  it('waitForProcessing returns at once: files are processed on upload', async () => {
    const file = await sdk.create(text('wait for me'), 'wait.txt');
    const done = await sdk.waitForProcessing(file.id);
    expect(done.status).toBe('processed');
    expect(done.id).toBe(file.id);
  });

  it('delete, then retrieve / content / delete are 404 "No such File object"', async () => {
    const file = await sdk.create(text('to be deleted'), 'gone.txt');
    expect(await sdk.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    const expected = { status: 404, message: `No such File object: ${file.id}`, param: 'id', code: null };
    await expectApiError(sdk.retrieve(file.id), expected);
    await expectApiError(sdk.content(file.id), expected);
    await expectApiError(sdk.delete(file.id), expected);
    const ids = (await collect(sdk.list())).map((f) => f.id);
    expect(ids).not.toContain(file.id);
  });

  it("another project's file is exactly a missing one", async () => {
    const theirs = await filesOf(B, major).create(text('B secret'), 'secret.txt');
    const missing = missingId('file-');
    for (const call of [(id: string) => sdk.retrieve(id), (id: string) => sdk.content(id), (id: string) => sdk.delete(id)]) {
      const foreign = await expectApiError(call(theirs.id), { status: 404, param: 'id' });
      const absent = await expectApiError(call(missing), { status: 404, param: 'id' });
      expect(foreign.error!.message).toBe(`No such File object: ${theirs.id}`);
      expect({ ...foreign.error, message: '' }).toEqual({ ...absent.error, message: '' });
    }
    expect((await collect(sdk.list())).map((f) => f.id)).not.toContain(theirs.id);
    expect(await filesOf(B, major).retrieve(theirs.id)).toEqual(theirs); // untouched
  });
});

describe.each(SDK_MAJORS)('list (SDK %s)', (major) => {
  let P: TestProject;
  let sdk: FilesSdk;
  let userData: FileObject[];
  let vision: FileObject;
  beforeAll(async () => {
    P = await newProject(`files-list-${major}`);
    sdk = filesOf(P, major);
    userData = [];
    for (let i = 0; i < 3; i++) userData.push(await sdk.create(text(`row ${i}`), `rows-${i}.jsonl`, 'user_data'));
    vision = await sdk.create(noise(64), 'pixel.png', 'vision');
  });

  it('default: every file, newest first, no cursor left', async () => {
    const page = await sdk.list();
    expect(page.data.map((f) => f.id)).toEqual([vision.id, ...userData.map((f) => f.id).reverse()]);
    expect(page.has_more).toBe(false);
  });

  it('purpose filter with limit pages through with `after` (auto-pagination)', async () => {
    const first = await sdk.list({ purpose: 'user_data', limit: 2 });
    expect(first.data.map((f) => f.id)).toEqual([userData[2]!.id, userData[1]!.id]);
    expect(first.has_more).toBe(true);
    const all = await collect(sdk.list({ purpose: 'user_data', limit: 2 }));
    expect(all.map((f) => f.id)).toEqual(userData.map((f) => f.id).reverse());
    expect(all.every((f) => f.purpose === 'user_data')).toBe(true);
  });

  it('order asc and an unknown purpose', async () => {
    const asc = await collect(sdk.list({ order: 'asc', limit: 1 }));
    expect(asc.map((f) => f.id)).toEqual([...userData.map((f) => f.id), vision.id]);
    expect((await sdk.list({ purpose: 'batch' })).data).toEqual([]);
  });

  it('limit outside 1..10000 is a 400', async () => {
    await expectApiError(sdk.list({ limit: 0 }), { status: 400, param: 'limit', code: 'integer_below_min_value' });
    await expectApiError(sdk.list({ limit: 10001 }), {
      status: 400,
      message: "Invalid 'limit': integer above maximum value. Expected a value <= 10000, but got 10001 instead.",
      param: 'limit',
    });
  });
});

describe('larger than one R2 part (multipart write path)', () => {
  it.each([
    ['v6', 20 * 1024 * 1024 + 123],
    ['v4', 9 * 1024 * 1024 + 7],
  ] as const)('SDK %s: %i bytes upload and download byte-identical', async (major, size) => {
    const sdk = filesOf(A, major);
    const bytes = noise(size, size);
    const file = await sdk.create(bytes, 'big.bin');
    expect(file.bytes).toBe(size);
    const back = await bytesOf(await sdk.content(file.id));
    expect(back.length).toBe(size);
    expect(sha256(back)).toBe(sha256(bytes));
    await sdk.delete(file.id);
  });
});

describe('bad input: 400s in OpenAI wording, and nothing is stored', () => {
  let P: TestProject;
  beforeAll(async () => {
    P = await newProject('files-bad');
  });

  /** A form body built by Node's encoder; `file` entries are [bytes, name]. */
  function form(entries: [string, string | [Uint8Array, string]][]): FormData {
    const fd = new FormData();
    for (const [k, v] of entries) {
      if (typeof v === 'string') fd.append(k, v);
      else fd.append(k, new Blob([v[0]]), v[1]);
    }
    return fd;
  }
  const post = (body: BodyInit, headers: Record<string, string> = {}) => P.raw('/files', { method: 'POST', body, headers });
  const hello: [Uint8Array, string] = [text('hello'), 'hello.txt'];

  it.each<[string, () => Promise<Response>, { message?: string | RegExp; param?: string | null; code?: string | null }]>([
    ['a JSON body', () => post(JSON.stringify({ purpose: 'assistants' }), { 'content-type': 'application/json' }),
      { message: 'Invalid Content-Type header (application/json), expected multipart/form-data with a boundary.', code: 'invalid_content_type' }],
    ['multipart without a boundary', () => post('x', { 'content-type': 'multipart/form-data' }), { message: /expected multipart\/form-data/ }],
    ['no content type at all', () => post(new Uint8Array([1, 2, 3])), { message: /\(none\), expected multipart\/form-data/ }],
    ['no file', () => post(form([['purpose', 'assistants']])),
      { message: "Missing required parameter: 'file'.", param: 'file', code: 'missing_required_parameter' }],
    ['no purpose (file first)', () => post(form([['file', hello]])),
      { message: "Missing required parameter: 'purpose'.", param: 'purpose', code: 'missing_required_parameter' }],
    ['an unknown purpose (file first)', () => post(form([['file', hello], ['purpose', 'nope']])),
      { message: "Invalid value: 'nope'. Supported values are: 'assistants', 'batch', 'fine-tune', 'vision', 'user_data', and 'evals'.", param: 'purpose', code: 'invalid_value' }],
    ['an unknown purpose (purpose first)', () => post(form([['purpose', 'assistants_output'], ['file', hello]])),
      { param: 'purpose', code: 'invalid_value' }],
    ['an unknown field', () => post(form([['purpose', 'assistants'], ['file', hello], ['foo', 'bar']])),
      { message: "Unknown parameter: 'foo'.", param: 'foo', code: 'unknown_parameter' }],
    ['an empty file', () => post(form([['purpose', 'assistants'], ['file', [new Uint8Array(0), 'empty.txt']]])),
      { message: "File 'empty.txt' is empty.", param: 'file' }],
    ['file as a text field', () => post(form([['purpose', 'assistants'], ['file', 'just text']])), { param: 'file', code: 'invalid_type' }],
    ['two files', () => post(form([['purpose', 'assistants'], ['file', hello], ['file', hello]])), { param: 'file' }],
    ['expires_after seconds too small', () => post(form([['purpose', 'assistants'], ['file', hello], ['expires_after[anchor]', 'created_at'], ['expires_after[seconds]', '60']])),
      { message: "Invalid 'expires_after.seconds': integer below minimum value. Expected a value >= 3600, but got 60 instead.", param: 'expires_after.seconds' }],
    ['expires_after seconds too large', () => post(form([['purpose', 'assistants'], ['file', hello], ['expires_after[anchor]', 'created_at'], ['expires_after[seconds]', '2592001']])),
      { param: 'expires_after.seconds', code: 'integer_above_max_value' }],
    ['expires_after seconds not a number', () => post(form([['purpose', 'assistants'], ['file', hello], ['expires_after[anchor]', 'created_at'], ['expires_after[seconds]', 'soon']])),
      { param: 'expires_after.seconds', code: 'invalid_type' }],
    ['a wrong anchor', () => post(form([['purpose', 'assistants'], ['file', hello], ['expires_after[anchor]', 'last_active_at'], ['expires_after[seconds]', '3600']])),
      { message: "Invalid value: 'last_active_at'. Supported values are: 'created_at'.", param: 'expires_after.anchor' }],
    ['an unknown expires_after key', () => post(form([['purpose', 'assistants'], ['file', hello], ['expires_after[anchor]', 'created_at'], ['expires_after[seconds]', '3600'], ['expires_after[days]', '1']])),
      { code: 'unknown_parameter' }],
    ['a truncated upload', () => post('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf', { 'content-type': 'multipart/form-data; boundary=XyZ' }),
      { message: /truncated/ }],
    ['a body without the boundary', () => post('garbage', { 'content-type': 'multipart/form-data; boundary=XyZ' }), { message: /does not contain the boundary/ }],
  ])('%s', async (_, send, expected) => {
    await expectErrorResponse(await send(), { status: 400, ...expected });
  });

  it('none of the failed requests created a file', async () => {
    expect((await P.v6.files.list()).data).toEqual([]);
  });

  it('the SDK sees a bad purpose as BadRequestError (both majors)', async () => {
    await expectApiError(filesOf(P, 'v6').create(text('x'), 'x.txt', 'nope'), { status: 400, param: 'purpose', code: 'invalid_value' });
    await expectApiError(filesOf(P, 'v4').create(text('x'), 'x.txt', 'nope'), { status: 400, param: 'purpose', code: 'invalid_value' });
  });

  it('path ids must start with file-', async () => {
    await expectErrorResponse(await P.raw('/files/abc'), {
      status: 400,
      message: "Invalid 'file_id': 'abc'. Expected an ID that begins with 'file'.",
      param: 'file_id',
    });
    await expectErrorResponse(await P.raw('/files/abc/content'), { status: 400, param: 'file_id' });
  });
});
