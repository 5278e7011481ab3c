// client.uploads from an app's point of view (SDK v6 and v4): create, parts of different sizes, complete in
// a chosen order with an MD5, and the resulting file's bytes are the parts concatenated in that order.
// Wrong MD5, wrong total size, foreign or repeated parts, cancel, and every operation on a finished upload
// are 400s that leave the upload usable (or finished) exactly as before.
import { createHash } from 'node:crypto';
import { toFile } from 'openai';
import { toFile as toFileV4 } from 'openai-v4';
import type { Upload, UploadCompleteParams, UploadCreateParams } from 'openai/resources/uploads/uploads';
import type { UploadPart } from 'openai/resources/uploads/parts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../support/clients.js';
import { expectApiError, expectErrorResponse, json, SDK_MAJORS, missingId, newProject, type TestProject } from './fixtures.js';

interface UploadsSdk {
  create(body: UploadCreateParams): Promise<Upload>;
  addPart(uploadId: string, data: Uint8Array): Promise<UploadPart>;
  complete(uploadId: string, body: UploadCompleteParams): Promise<Upload>;
  cancel(uploadId: string): Promise<Upload>;
  content(fileId: string): Promise<Uint8Array>;
}

const cast = <T>(v: unknown): T => v as T;

function uploadsOf(p: TestProject, major: 'v6' | 'v4'): UploadsSdk {
  const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());
  if (major === 'v6') {
    const u = p.v6.uploads;
    return {
      create: (body) => u.create(body),
      addPart: async (id, data) => u.parts.create(id, { data: await toFile(Buffer.from(data), 'part.bin') }),
      complete: (id, body) => u.complete(id, body),
      cancel: (id) => u.cancel(id),
      content: async (id) => bytes(await p.v6.files.content(id)),
    };
  }
  const u = p.v4.uploads;
  return {
    create: (body) => cast(u.create(cast(body))),
    addPart: async (id, data) => cast(u.parts.create(id, { data: await toFileV4(Buffer.from(data), 'part.bin') })),
    complete: (id, body) => cast(u.complete(id, body)),
    cancel: (id) => cast(u.cancel(id)),
    content: async (id) => bytes(await p.v4.files.content(id)),
  };
}

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}
const md5 = (...chunks: Uint8Array[]) => {
  const h = createHash('md5');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
};
const concat = (...chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

let A: TestProject;
let B: TestProject;
beforeAll(async () => {
  [A, B] = await Promise.all([newProject('uploads-a'), newProject('uploads-b')]);
});
afterAll(() => expectNoContractViolations());

describe.each(SDK_MAJORS)('uploads (SDK %s)', (major) => {
  let sdk: UploadsSdk;
  const chunks = [noise(1000, 1), noise(70_000, 2), noise(5, 3)];
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const start = (extra: Partial<UploadCreateParams> = {}) =>
    sdk.create({ filename: 'joined.pdf', purpose: 'assistants', bytes: total, mime_type: 'application/pdf', ...extra });
  const addAll = async (id: string) => {
    const parts: UploadPart[] = [];
    for (const c of chunks) parts.push(await sdk.addPart(id, c));
    return parts;
  };

  beforeAll(() => {
    sdk = uploadsOf(A, major);
  });

  it('create → 3 parts → complete in a chosen order with md5: the file is the parts in that order', async () => {
    const upload = await start();
    expect(upload).toEqual({
      id: expect.stringMatching(/^upload_[A-Za-z0-9]{24}$/),
      object: 'upload',
      created_at: expect.any(Number),
      filename: 'joined.pdf',
      bytes: total,
      purpose: 'assistants',
      status: 'pending',
      expires_at: upload.created_at + 3600,
      file: null,
    });
    const parts = await addAll(upload.id);
    for (const part of parts) {
      expect(part).toEqual({ id: expect.stringMatching(/^part_/), object: 'upload.part', created_at: expect.any(Number), upload_id: upload.id });
    }
    const order = [2, 0, 1];
    const expected = concat(...order.map((i) => chunks[i]!));
    const done = await sdk.complete(upload.id, { part_ids: order.map((i) => parts[i]!.id), md5: md5(expected) });
    expect(done).toEqual({ ...upload, status: 'completed', file: expect.any(Object) });
    expect(done.file).toEqual({
      id: expect.stringMatching(/^file-/),
      object: 'file',
      bytes: total,
      created_at: expect.any(Number),
      filename: 'joined.pdf',
      purpose: 'assistants',
      status: 'processed',
    });
    expect(same(await sdk.content(done.file!.id), expected)).toBe(true);
    expect(await A.v6.files.retrieve(done.file!.id)).toEqual(done.file);

    // Finished is final: no more parts, no second complete, no cancel.
    const finished = { status: 400, message: new RegExp(`upload ${upload.id} with status 'completed'`) };
    await expectApiError(sdk.addPart(upload.id, chunks[0]!), finished);
    await expectApiError(sdk.complete(upload.id, { part_ids: parts.map((p) => p.id) }), finished);
    await expectApiError(sdk.cancel(upload.id), finished);
  });

  it('a wrong md5 is a 400 and the upload stays pending', async () => {
    const upload = await start();
    const parts = await addAll(upload.id);
    const ids = parts.map((p) => p.id);
    await expectApiError(sdk.complete(upload.id, { part_ids: ids, md5: md5(chunks[0]!) }), { status: 400, param: 'md5', code: 'invalid_value' });
    await expectApiError(sdk.complete(upload.id, { part_ids: ids, md5: 'not-an-md5' }), { status: 400, param: 'md5' });
    // Base64 (Content-MD5 style) works too.
    const b64 = createHash('md5').update(concat(...chunks)).digest('base64');
    const done = await sdk.complete(upload.id, { part_ids: ids, md5: b64 });
    expect(same(await sdk.content(done.file!.id), concat(...chunks))).toBe(true);
  });

  it('parts that do not add up to `bytes` are a 400', async () => {
    const upload = await start();
    const parts = await addAll(upload.id);
    await expectApiError(sdk.complete(upload.id, { part_ids: [parts[0]!.id, parts[1]!.id] }), {
      status: 400,
      message: `The parts in 'part_ids' add up to ${total - 5} bytes, but the upload was created with bytes=${total}.`,
      param: 'part_ids',
    });
    await expectApiError(sdk.complete(upload.id, { part_ids: [] }), { status: 400, param: 'part_ids' });
    // Unlisted parts are simply not part of the file.
    const bigger = await start({ bytes: 1005 });
    const [p0, , p2] = await addAll(bigger.id);
    const done = await sdk.complete(bigger.id, { part_ids: [p0!.id, p2!.id] });
    expect(done.file!.bytes).toBe(1005);
  });

  it("repeated, unknown and other uploads' part ids are 400s", async () => {
    const upload = await start();
    const other = await start();
    const parts = await addAll(upload.id);
    const foreign = await sdk.addPart(other.id, chunks[0]!);
    await expectApiError(sdk.complete(upload.id, { part_ids: [parts[0]!.id, parts[0]!.id, parts[2]!.id] }), { status: 400, param: 'part_ids[1]' });
    await expectApiError(sdk.complete(upload.id, { part_ids: [foreign.id, parts[1]!.id, parts[2]!.id] }), { status: 400, param: 'part_ids[0]' });
    await expectApiError(sdk.complete(upload.id, { part_ids: [missingId('part_')] }), { status: 400, param: 'part_ids[0]' });
  });

  it('cancel: status cancelled, then nothing else is accepted', async () => {
    const upload = await start();
    const parts = await addAll(upload.id);
    const cancelled = await sdk.cancel(upload.id);
    expect(cancelled).toEqual({ ...upload, status: 'cancelled', file: null });
    const refused = { status: 400, message: new RegExp(`upload ${upload.id} with status 'cancelled'`) };
    await expectApiError(sdk.cancel(upload.id), refused);
    await expectApiError(sdk.addPart(upload.id, chunks[0]!), refused);
    await expectApiError(sdk.complete(upload.id, { part_ids: parts.map((p) => p.id) }), refused);
  });

  it('expires_after on the upload becomes the file’s expires_at', async () => {
    const upload = await start({ bytes: 5, expires_after: { anchor: 'created_at', seconds: 7200 } });
    const [part] = [await sdk.addPart(upload.id, chunks[2]!)];
    const done = await sdk.complete(upload.id, { part_ids: [part!.id] });
    expect(done.file!.expires_at).toBe(done.file!.created_at + 7200);
  });

  it("unknown and another project's uploads are 404 'No upload found'", async () => {
    const theirs = await uploadsOf(B, major).create({ filename: 'b.txt', purpose: 'batch', bytes: 1, mime_type: 'text/plain' });
    for (const id of [theirs.id, missingId('upload_')]) {
      const expected = { status: 404, message: `No upload found with id '${id}'.` };
      await expectApiError(sdk.addPart(id, chunks[2]!), expected);
      await expectApiError(sdk.complete(id, { part_ids: [] }), expected);
      await expectApiError(sdk.cancel(id), expected);
    }
    expect((await uploadsOf(B, major).cancel(theirs.id)).status).toBe('cancelled'); // still B's, still pending
  });
});

describe('assembling across R2 part boundaries', () => {
  it('parts of 3, 6 and 2 MiB become one 11 MiB file, byte-identical, md5-checked', async () => {
    const sdk = uploadsOf(A, 'v6');
    const big = [noise(3 << 20, 7), noise(6 << 20, 8), noise(2 << 20, 9)];
    const all = concat(...big);
    const upload = await sdk.create({ filename: 'big.bin', purpose: 'assistants', bytes: all.length, mime_type: 'application/octet-stream' });
    const ids: string[] = [];
    for (const c of big) ids.push((await sdk.addPart(upload.id, c)).id);
    const done = await sdk.complete(upload.id, { part_ids: ids, md5: md5(all) });
    expect(done.file!.bytes).toBe(all.length);
    expect(same(await sdk.content(done.file!.id), all)).toBe(true);
  });
});

describe('bad input', () => {
  const create = (body: unknown) => A.raw('/uploads', json(body));
  const ok = { filename: 'a.txt', purpose: 'assistants', bytes: 10, mime_type: 'text/plain' };

  it.each<[string, unknown, { message?: string | RegExp; param?: string; code?: string }]>([
    ['no filename', { ...ok, filename: undefined }, { message: "Missing required parameter: 'filename'.", param: 'filename' }],
    ['no purpose', { ...ok, purpose: undefined }, { message: "Missing required parameter: 'purpose'.", param: 'purpose' }],
    ['a files-only purpose', { ...ok, purpose: 'user_data' }, { message: "Invalid value: 'user_data'. Supported values are: 'assistants', 'batch', 'fine-tune', and 'vision'.", param: 'purpose' }],
    ['bytes above 8 GB', { ...ok, bytes: 8 * 1024 ** 3 + 1 }, { param: 'bytes', code: 'integer_above_max_value' }],
    ['bytes 0', { ...ok, bytes: 0 }, { param: 'bytes', code: 'integer_below_min_value' }],
    ['bytes as a string', { ...ok, bytes: '10' }, { param: 'bytes', code: 'invalid_type' }],
    ['no mime_type', { ...ok, mime_type: undefined }, { message: "Missing required parameter: 'mime_type'.", param: 'mime_type' }],
    ['a malformed mime_type', { ...ok, mime_type: 'pdf' }, { param: 'mime_type' }],
    ['an unknown field', { ...ok, foo: 1 }, { message: "Unknown parameter: 'foo'.", code: 'unknown_parameter' }],
    ['expires_after too short', { ...ok, expires_after: { anchor: 'created_at', seconds: 10 } }, { param: 'expires_after.seconds' }],
  ])('create with %s', async (_, body, expected) => {
    await expectErrorResponse(await create(body), { status: 400, ...expected });
  });

  it('parts: JSON body, missing data, unknown field; complete: bad body; bad path id', async () => {
    const upload = (await (await create(ok)).json()) as Upload;
    const parts = `/uploads/${upload.id}/parts`;
    await expectErrorResponse(await A.raw(parts, json({ data: 'x' })), { status: 400, message: /expected multipart\/form-data/ });
    const empty = new FormData();
    empty.append('other', 'x');
    await expectErrorResponse(await A.raw(parts, { method: 'POST', body: empty }), { status: 400, message: "Unknown parameter: 'other'.", code: 'unknown_parameter' });
    const none = new FormData();
    await expectErrorResponse(await A.raw(parts, { method: 'POST', body: none }), { status: 400 });
    await expectErrorResponse(await A.raw(`/uploads/${upload.id}/complete`, json({ part_ids: 'p' })), { status: 400, param: 'part_ids', code: 'invalid_type' });
    await expectErrorResponse(await A.raw(`/uploads/${upload.id}/complete`, json({})), { status: 400, message: "Missing required parameter: 'part_ids'." });
    await expectErrorResponse(await A.raw('/uploads/nope/cancel', { method: 'POST' }), {
      status: 400,
      message: "Invalid 'upload_id': 'nope'. Expected an ID that begins with 'upload'.",
    });
  });
});
