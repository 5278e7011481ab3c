// client.vectorStores.fileBatches with both SDK majors (docs/openai-behaviour.md §2.7, §6.3, §6.7): uploadAndPoll with
// five files, createAndPoll with `file_ids` (shared attributes and chunking) and with `files` (per-file
// attributes), file_counts that add up (batch and store), listFiles with `filter`, retrieve, and cancel of a
// finished batch (400, OpenAI's "cannot cancel" family).
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectApiError } from '../fixtures.js';
import { counts, MAJORS, vsFixture, type Doc } from './vs-support.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const docs = (n: number, topic: string): Doc[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${topic}-${i}.txt`, content: `Note ${i} on ${topic}: item ${i} weighs ${i * 7} grams.` }));

afterAll(() => expectNoContractViolations());

describe.each(MAJORS)('file batches (SDK %s)', (major) => {
  it('uploadAndPoll with 5 files: a completed vector_store.files_batch whose counts add up; listFiles has all 5', async () => {
    const fx = await vsFixture(`fb-upload-${major}`);
    const api = fx.api(major);
    const vs = await api.create({ name: 'batch' });
    const batch = await api.batches.uploadAndPoll(vs.id, docs(5, 'pebbles'));
    expect(batch.id).toMatch(/^vsfb_[A-Za-z0-9]+$/);
    expect(batch).toEqual({
      id: batch.id,
      object: 'vector_store.files_batch',
      created_at: expect.any(Number),
      vector_store_id: vs.id,
      status: 'completed',
      file_counts: counts({ completed: 5 }),
    });
    expect(await api.batches.retrieve(vs.id, batch.id)).toEqual(batch);

    const files = await api.batches.listFiles(vs.id, batch.id);
    expect(files.data).toHaveLength(5);
    expect(files.has_more).toBe(false);
    for (const f of files.data) expect(f).toMatchObject({ object: 'vector_store.file', vector_store_id: vs.id, status: 'completed', last_error: null });
    const names = await Promise.all(files.data.map((f) => (major === 'v6' ? fx.v6.files.retrieve(f.id) : fx.v4.files.retrieve(f.id))));
    expect(names.map((f) => f.filename).sort()).toEqual(docs(5, 'pebbles').map((d) => d.name));

    const store = await api.retrieve(vs.id);
    expect(store.file_counts).toEqual(counts({ completed: 5 }));
    expect(store.status).toBe('completed');
    expect(store.usage_bytes).toBeGreaterThan(0);
  });

  it('uploadAndPoll with fileIds too: the batch holds the uploaded and the given files', async () => {
    const fx = await vsFixture(`fb-mixed-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const existing = await api.uploadFile({ name: 'existing.txt', content: 'Already uploaded earlier.' });
    const batch = await api.batches.uploadAndPoll(vs.id, docs(2, 'gears'), [existing.id]);
    expect(batch.file_counts).toEqual(counts({ completed: 3 }));
    expect((await api.batches.listFiles(vs.id, batch.id)).data.map((f) => f.id)).toContain(existing.id);
  });

  it('createAndPoll with file_ids, shared attributes and chunking; a file that cannot be indexed counts as failed', async () => {
    const fx = await vsFixture(`fb-ids-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const good = await Promise.all(docs(3, 'kites').map((d) => api.uploadFile(d)));
    const bad = await api.uploadFile({ name: 'kite.png', content: PNG });
    const batch = await api.batches.createAndPoll(vs.id, {
      file_ids: [...good.map((f) => f.id), bad.id],
      attributes: { source: 'kites', rank: 3 },
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 } },
    });
    expect(batch.status).toBe('completed');
    expect(batch.file_counts).toEqual(counts({ completed: 3, failed: 1 }));

    const failed = await api.batches.listFiles(vs.id, batch.id, { filter: 'failed' });
    expect(failed.data.map((f) => f.id)).toEqual([bad.id]);
    expect(failed.data[0]!.last_error?.code).toBe('unsupported_file');
    const completed = await api.batches.listFiles(vs.id, batch.id, { filter: 'completed', order: 'asc' });
    expect(completed.data.map((f) => f.id).sort()).toEqual(good.map((f) => f.id).sort());
    for (const f of completed.data) {
      expect(f.attributes).toEqual({ source: 'kites', rank: 3 });
      expect(f.chunking_strategy).toEqual({ type: 'static', static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 } });
    }
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({ completed: 3, failed: 1 }));
  });

  it('createAndPoll with files: per-file attributes land on each file', async () => {
    const fx = await vsFixture(`fb-files-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const [a, b] = await Promise.all(docs(2, 'lamps').map((d) => api.uploadFile(d)));
    const batch = await api.batches.createAndPoll(vs.id, {
      files: [
        { file_id: a!.id, attributes: { color: 'red', watts: 40 } },
        { file_id: b!.id, attributes: { color: 'blue', watts: 60, dimmable: true } },
      ],
    });
    expect(batch.file_counts).toEqual(counts({ completed: 2 }));
    expect((await api.files.retrieve(vs.id, a!.id)).attributes).toEqual({ color: 'red', watts: 40 });
    expect((await api.files.retrieve(vs.id, b!.id)).attributes).toEqual({ color: 'blue', watts: 60, dimmable: true });
    const hits = await api.search(vs.id, { query: 'lamps', filters: { key: 'color', type: 'eq', value: 'blue' } });
    expect(hits.data.map((h) => h.file_id)).toEqual([b!.id]);
  });

  it('two batches in one store: each counts only its own files; the store counts all', async () => {
    const fx = await vsFixture(`fb-two-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const first = await api.batches.uploadAndPoll(vs.id, docs(2, 'rivers'));
    const second = await api.batches.uploadAndPoll(vs.id, docs(3, 'hills'));
    expect((await api.batches.retrieve(vs.id, first.id)).file_counts).toEqual(counts({ completed: 2 }));
    expect(second.file_counts).toEqual(counts({ completed: 3 }));
    expect((await api.batches.listFiles(vs.id, first.id)).data).toHaveLength(2);
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({ completed: 5 }));
  });

  it('cancel while indexing: the batch ends cancelled, unfinished files are cancelled and leave nothing in search', async () => {
    const fx = await vsFixture(`fb-cancel-live-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const big = (i: number) => ({ name: `ledger-${i}.txt`, content: Array.from({ length: 20_000 }, (_, j) => `Row ${j} of ledger ${i} records ${j * 3} crowns.`).join('\n') });
    const files = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => api.uploadFile(big(i))));
    const batch = await api.batches.create(vs.id, { file_ids: files.map((f) => f.id) });
    expect(batch.status).toBe('in_progress');
    const cancelled = await api.batches.cancel(vs.id, batch.id);
    expect(cancelled).toMatchObject({ id: batch.id, object: 'vector_store.files_batch', status: 'cancelled' });
    expect(cancelled.file_counts.in_progress).toBe(0);
    expect(cancelled.file_counts.cancelled).toBeGreaterThan(0);
    expect(cancelled.file_counts.cancelled + cancelled.file_counts.completed).toBe(6);

    await new Promise((r) => setTimeout(r, 1_500)); // queued ingestions run and must not revive anything
    const later = await api.batches.retrieve(vs.id, batch.id);
    expect(later).toEqual(cancelled);
    const gone = (await api.batches.listFiles(vs.id, batch.id, { filter: 'cancelled' })).data.map((f) => f.id);
    expect(gone).toHaveLength(cancelled.file_counts.cancelled);
    const hits = await api.search(vs.id, { query: 'Row 5 of ledger crowns', max_num_results: 50 });
    for (const h of hits.data) expect(gone).not.toContain(h.file_id);
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({ cancelled: cancelled.file_counts.cancelled, completed: cancelled.file_counts.completed }));
  });

  it('cancel of a finished batch is a 400; the batch stays completed', async () => {
    const fx = await vsFixture(`fb-cancel-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const batch = await api.batches.uploadAndPoll(vs.id, docs(1, 'stones'));
    expect(batch.status).toBe('completed');
    await expectApiError(api.batches.cancel(vs.id, batch.id), { status: 400 });
    expect((await api.batches.retrieve(vs.id, batch.id)).status).toBe('completed');
  });

  it('unknown ids: a missing batch is a 404; a batch naming a missing file is a 404 that leaves nothing', async () => {
    const fx = await vsFixture(`fb-missing-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const missing = 'vsfb_NoSuchBatch000000000000001';
    await expectApiError(api.batches.retrieve(vs.id, missing), { status: 404, message: `No file batch found with id '${missing}'.` });
    const real = await api.uploadFile(docs(1, 'moss')[0]!);
    await expectApiError(api.batches.create(vs.id, { file_ids: [real.id, 'file-NoSuchFile00000000000001'] }), { status: 404 });
    expect((await api.files.list(vs.id)).data).toEqual([]);
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({}));
  });
});
