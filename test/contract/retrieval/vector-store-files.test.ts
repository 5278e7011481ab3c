// client.vectorStores.files with both SDK majors (docs/openai-behaviour.md §2.7, §6.3, §6.7): createAndPoll / uploadAndPoll
// end `completed`, the VectorStoreFileObject (id = File id, default chunking 800/400, attributes), list with
// `filter` and cursors, retrieve, attribute updates, `content()` = the parsed chunks, delete
// (`vector_store.file.deleted`; the File stays), files that cannot be indexed (`failed` with
// unsupported_file / invalid_file), and the poll helpers' pacing (`openai-poll-after-ms`).
import { toFile } from 'openai';
import { toFile as toFileV4 } from 'openai-v4';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { collect, expectApiError } from '../fixtures.js';
import { counts, MAJORS, settled, vsFixture, type Doc } from './vs-support.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 7;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}
const GUIDE: Doc = {
  name: 'guide.md',
  content: '# Field guide\n\nThe marsh wren of Tollund builds eleven decoy nests each spring.\n\nIts song has 42 distinct phrases.',
};

afterAll(() => expectNoContractViolations());

describe.each(MAJORS)('vector store files (SDK %s)', (major) => {
  it('createAndPoll: completed VectorStoreFileObject; retrieve; the store counts it', async () => {
    const fx = await vsFixture(`vsf-create-${major}`);
    const api = fx.api(major);
    const vs = await api.create({ name: 'files' });
    const file = await api.uploadFile(GUIDE);
    const vsf = await api.files.createAndPoll(vs.id, { file_id: file.id, attributes: { lang: 'en', pages: 2, draft: false } });
    expect(vsf).toEqual({
      id: file.id,
      object: 'vector_store.file',
      usage_bytes: expect.any(Number),
      created_at: expect.any(Number),
      vector_store_id: vs.id,
      status: 'completed',
      last_error: null,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
      attributes: { lang: 'en', pages: 2, draft: false },
    });
    expect(vsf.usage_bytes).toBeGreaterThan(0);
    expect(await api.files.retrieve(vs.id, file.id)).toEqual(vsf);
    const store = await api.retrieve(vs.id);
    expect(store.file_counts).toEqual(counts({ completed: 1 }));
    expect(store.usage_bytes).toBe(vsf.usage_bytes);
  });

  it('uploadAndPoll (POST /files, then attach, then poll) ends completed; content() returns the parsed chunks', async () => {
    const fx = await vsFixture(`vsf-upload-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const vsf = await api.files.uploadAndPoll(vs.id, GUIDE);
    expect(vsf).toMatchObject({ object: 'vector_store.file', status: 'completed', vector_store_id: vs.id, last_error: null });
    expect(vsf.id).toMatch(/^file-/);

    const page = await api.files.content(vs.id, vsf.id);
    expect(page.body).toMatchObject({ object: 'vector_store.file_content.page', has_more: false, next_page: null });
    expect(page.data.length).toBeGreaterThan(0);
    for (const part of page.data) expect(part).toEqual({ type: 'text', text: expect.any(String) });
    const text = page.data.map((p) => p.text).join('\n');
    expect(text).toContain('The marsh wren of Tollund builds eleven decoy nests each spring.');
    expect(text).toContain('42 distinct phrases');
  });

  it('a static chunking strategy splits a long file into several overlapping chunks', async () => {
    const fx = await vsFixture(`vsf-chunks-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const sentences = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} describes lighthouse ${i} on the coast of Varnholm.`);
    const file = await api.uploadFile({ name: 'long.txt', content: sentences.join(' ') });
    const vsf = await api.files.createAndPoll(vs.id, {
      file_id: file.id,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 20 } },
    });
    expect(vsf.status).toBe('completed');
    expect(vsf.chunking_strategy).toEqual({ type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 20 } });
    const chunks = (await api.files.content(vs.id, file.id)).data.map((c) => c.text!);
    expect(chunks.length).toBeGreaterThan(5);
    const all = chunks.join(' ');
    for (const i of [0, 60, 119]) expect(all).toContain(`lighthouse ${i} on`);
    // Search returns 10 results unless told otherwise (docs/openai-behaviour.md §2.7: max_num_results=10).
    expect((await api.search(vs.id, { query: 'lighthouse coast of Varnholm' })).data).toHaveLength(10);
  });

  it('list with filter, order and cursors; update attributes; delete -> vector_store.file.deleted, File stays', async () => {
    const fx = await vsFixture(`vsf-list-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const ok: string[] = [];
    for (const i of [0, 1, 2]) ok.push((await api.files.uploadAndPoll(vs.id, { name: `doc${i}.txt`, content: `Document ${i} about kestrels.` })).id);
    const bad = await api.files.uploadAndPoll(vs.id, { name: 'pixel.png', content: PNG });
    expect(bad.status).toBe('failed');

    expect((await api.files.list(vs.id, { filter: 'completed', order: 'asc' })).data.map((f) => f.id)).toEqual(ok);
    expect((await api.files.list(vs.id, { filter: 'failed' })).data.map((f) => f.id)).toEqual([bad.id]);
    expect((await api.files.list(vs.id, { filter: 'in_progress' })).data).toEqual([]);
    expect((await api.files.list(vs.id)).data.map((f) => f.id)).toEqual([...ok, bad.id].reverse()); // newest first
    const p1 = await api.files.list(vs.id, { order: 'asc', limit: 2 });
    expect(p1.data.map((f) => f.id)).toEqual(ok.slice(0, 2));
    expect(p1.has_more).toBe(true);
    expect((await collect(api.files.list(vs.id, { order: 'asc', limit: 1 }))).map((f) => f.id)).toEqual([...ok, bad.id]);

    const updated = await api.files.update(vs.id, ok[0]!, { team: 'birds', year: 2024, reviewed: true });
    expect(updated).toMatchObject({ id: ok[0], status: 'completed', attributes: { team: 'birds', year: 2024, reviewed: true } });
    expect((await api.files.retrieve(vs.id, ok[0]!)).attributes).toEqual({ team: 'birds', year: 2024, reviewed: true });
    expect((await api.files.update(vs.id, ok[0]!, { team: 'fish' })).attributes).toEqual({ team: 'fish' });

    expect(await api.files.delete(vs.id, ok[1]!)).toEqual({ id: ok[1], object: 'vector_store.file.deleted', deleted: true });
    await expectApiError(api.files.retrieve(vs.id, ok[1]!), { status: 404 });
    await expectApiError(api.files.delete(vs.id, ok[1]!), { status: 404 });
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({ completed: 2, failed: 1 }));
    const file = major === 'v6' ? await fx.v6.files.retrieve(ok[1]!) : await fx.v4.files.retrieve(ok[1]!);
    expect(file.id).toBe(ok[1]);
  });

  it.each([
    ['an image (.png)', { name: 'pixel.png', content: PNG }, 'unsupported_file'],
    ['random bytes named .bin', { name: 'blob.bin', content: noise(4096) }, 'unsupported_file'],
    ['random bytes without an extension', { name: 'blob', content: noise(4096) }, 'unsupported_file'],
    ['binary bytes named .txt', { name: 'fake.txt', content: noise(4096) }, 'invalid_file'],
    ['a .txt with only whitespace', { name: 'blank.txt', content: ' \n\n\t \n' }, 'invalid_file'],
    ['a corrupt .pdf', { name: 'broken.pdf', content: '%PDF-1.7\nthis is not really a pdf' }, 'invalid_file'],
  ] as [string, Doc, string][])('%s ends failed with last_error.code %s', async (_, doc, code) => {
    const fx = await vsFixture(`vsf-fail-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const vsf = await api.files.uploadAndPoll(vs.id, doc);
    expect(vsf.status).toBe('failed');
    expect(vsf.last_error).toEqual({ code, message: expect.stringMatching(/\S/) });
    expect(vsf.usage_bytes).toBe(0);
    const store = await settled(api, vs.id);
    expect(store.file_counts).toEqual(counts({ failed: 1 }));
    expect(store.status).toBe('completed');
    expect((await api.files.content(vs.id, vsf.id)).data).toEqual([]);
  });

  it('a file assembled by the Uploads API (two parts) indexes like any other, parts in order', async () => {
    const fx = await vsFixture(`vsf-uploads-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const parts = ['The first half names the comet Ysolde-7. ', 'The second half says it returns every 212 years.'];
    const bytes = parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
    const c = major === 'v6' ? fx.v6 : fx.v4;
    const upload = await c.uploads.create({ filename: 'comet.txt', purpose: 'assistants', bytes, mime_type: 'text/plain' });
    const ids: string[] = [];
    // (A bare Blob has no name, and the SDKs drop nameless blobs from the form: parts go as named files.)
    for (const p of parts) {
      const data = major === 'v6' ? await toFile(Buffer.from(p), 'part') : await toFileV4(Buffer.from(p), 'part');
      ids.push((await c.uploads.parts.create(upload.id, { data: data as never })).id);
    }
    const done = await c.uploads.complete(upload.id, { part_ids: ids });
    expect(done.status).toBe('completed');
    const vsf = await api.files.createAndPoll(vs.id, { file_id: done.file!.id });
    expect(vsf.status).toBe('completed');
    const text = (await api.files.content(vs.id, vsf.id)).data.map((p) => p.text).join(' ');
    expect(text).toContain('Ysolde-7. The second half says it returns every 212 years.');
    expect((await api.search(vs.id, { query: 'Ysolde-7' })).data[0]?.filename).toBe('comet.txt');
  });

  it('an empty file is refused by POST /files (400 naming file), so it never reaches a store', async () => {
    const fx = await vsFixture(`vsf-empty-${major}`);
    const api = fx.api(major);
    await expectApiError(api.uploadFile({ name: 'empty.txt', content: '' }), { status: 400, param: 'file' });
  });

  it('attaching a missing file is a 404; attaching the same file twice keeps one entry', async () => {
    const fx = await vsFixture(`vsf-missing-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    await expectApiError(api.files.create(vs.id, { file_id: 'file-NoSuchFile00000000000001' }), { status: 404 });
    const file = await api.uploadFile(GUIDE);
    await api.files.createAndPoll(vs.id, { file_id: file.id });
    const again = await api.files.create(vs.id, { file_id: file.id });
    expect(again.id).toBe(file.id);
    await settled(api, vs.id);
    expect((await api.retrieve(vs.id)).file_counts.total).toBe(1);
    expect((await api.files.list(vs.id)).data).toHaveLength(1);
  });

  it("createAndPoll with the SDK's default interval is prompt: the server paces polls with openai-poll-after-ms", async () => {
    const fx = await vsFixture(`vsf-pace-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const file = await api.uploadFile(GUIDE);
    const started = Date.now();
    // No pollIntervalMs: without the header the SDK sleeps 5 s after every in_progress answer (docs/openai-behaviour.md §6.2).
    const vsf = await api.files.createAndPoll(vs.id, { file_id: file.id }, {});
    expect(vsf.status).toBe('completed');
    expect(Date.now() - started).toBeLessThan(4_000);

    // Every in_progress answer carries the header (a bigger file, so some GETs see it in progress).
    const big = await api.uploadFile({ name: 'big.txt', content: Array.from({ length: 3000 }, (_, i) => `Line ${i} of the ledger.`).join('\n') });
    await api.files.create(vs.id, { file_id: big.id });
    for (;;) {
      const res = await fx.rawFetch(`/vector_stores/${vs.id}/files/${big.id}`, { headers: { 'openai-beta': 'assistants=v2' } });
      const body = (await res.json()) as { status: string };
      if (body.status !== 'in_progress') break;
      expect(Number.parseInt(res.headers.get('openai-poll-after-ms') ?? '', 10)).toBeGreaterThanOrEqual(0);
    }
  });
});
