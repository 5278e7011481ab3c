// Nothing orphaned (docs/openai-behaviour.md §2.7, §2.8): removing a file from a store, deleting a store, or deleting the
// File itself (files.del / files.delete) takes its chunks out of search at once. A deleted File is gone from
// every store it was in (file lists, counts, usage_bytes, content), while the other files stay searchable.
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectApiError } from '../fixtures.js';
import { counts, MAJORS, vsFixture, type VsApi } from './vs-support.js';

const ALPHA = { name: 'alpha.txt', content: 'The Harnwick ferry QX-9920 departs at dawn and carries exactly seventeen sheep.' };
const BETA = { name: 'beta.txt', content: 'The Dorrin glacier retreats about forty metres a year, exposing black sand.' };

afterAll(() => expectNoContractViolations());

/** File ids among a search's results. */
const found = async (api: VsApi, vsId: string, query: string) => (await api.search(vsId, { query, max_num_results: 50 })).data.map((r) => r.file_id);

describe.each(MAJORS)('nothing orphaned (SDK %s)', (major) => {
  async function twoFileStore(label: string) {
    const fx = await vsFixture(`orphans-${label}-${major}`);
    const api = fx.api(major);
    const vs = await api.create({ name: label });
    const alpha = await api.files.uploadAndPoll(vs.id, ALPHA);
    const beta = await api.files.uploadAndPoll(vs.id, BETA);
    expect([alpha.status, beta.status]).toEqual(['completed', 'completed']);
    return { fx, api, vs, alpha, beta };
  }

  it("removing a file from a store: its chunks leave search; usage_bytes and counts drop; the File stays", async () => {
    const { fx, api, vs, alpha, beta } = await twoFileStore('detach');
    expect(await found(api, vs.id, 'QX-9920 ferry sheep')).toContain(alpha.id);
    const before = await api.retrieve(vs.id);

    await api.files.delete(vs.id, alpha.id);
    expect(await found(api, vs.id, 'QX-9920 ferry sheep')).not.toContain(alpha.id);
    expect(await found(api, vs.id, 'Harnwick')).not.toContain(alpha.id);
    expect(await found(api, vs.id, 'Dorrin glacier')).toEqual([beta.id]);
    const after = await api.retrieve(vs.id);
    expect(after.file_counts).toEqual(counts({ completed: 1 }));
    expect(after.usage_bytes).toBe(beta.usage_bytes);
    expect(after.usage_bytes).toBeLessThan(before.usage_bytes);
    await expectApiError(api.files.content(vs.id, alpha.id), { status: 404 });
    // The File is still there and can be indexed again, searchable again.
    const file = major === 'v6' ? await fx.v6.files.retrieve(alpha.id) : await fx.v4.files.retrieve(alpha.id);
    expect(file.id).toBe(alpha.id);
    await api.files.createAndPoll(vs.id, { file_id: alpha.id });
    expect(await found(api, vs.id, 'QX-9920 ferry sheep')).toContain(alpha.id);
  });

  it('deleting a store: search is a 404, and the same File in another store is unaffected', async () => {
    const { api, vs, alpha } = await twoFileStore('drop-store');
    const other = await api.create({ name: 'other' });
    expect((await api.files.createAndPoll(other.id, { file_id: alpha.id })).status).toBe('completed');

    await api.delete(vs.id);
    await expectApiError(api.search(vs.id, { query: 'QX-9920' }), { status: 404, message: `No vector store found with id '${vs.id}'.` });
    await expectApiError(api.files.retrieve(vs.id, alpha.id), { status: 404 });
    // The other store's copy has its own chunks: still found, exactly once per chunk.
    const hits = await api.search(other.id, { query: 'QX-9920 ferry sheep', max_num_results: 50 });
    expect(hits.data.map((h) => h.file_id)).toEqual([alpha.id]);
    const content = await api.files.content(other.id, alpha.id);
    expect(content.data.map((c) => c.text).join(' ')).toContain('seventeen sheep');
  });

  it('deleting the File: gone from every store it was in (lists, counts, usage, content, search)', async () => {
    const { fx, api, vs, alpha, beta } = await twoFileStore('drop-file');
    const second = await api.create({ name: 'second' });
    await api.files.createAndPoll(second.id, { file_id: alpha.id });
    const batchStore = await api.create({ name: 'batched' });
    const batch = await api.batches.createAndPoll(batchStore.id, { file_ids: [alpha.id, beta.id] });
    expect(batch.file_counts).toEqual(counts({ completed: 2 }));
    for (const id of [vs.id, second.id, batchStore.id]) expect(await found(api, id, 'QX-9920 ferry sheep')).toContain(alpha.id);

    expect(await api.deleteFile(alpha.id)).toEqual({ id: alpha.id, object: 'file', deleted: true });
    const del = major === 'v6' ? fx.v6.files.retrieve(alpha.id) : fx.v4.files.retrieve(alpha.id);
    await expectApiError(del, { status: 404, message: `No such File object: ${alpha.id}` });

    for (const id of [vs.id, second.id, batchStore.id]) {
      expect(await found(api, id, 'QX-9920 ferry sheep Harnwick')).not.toContain(alpha.id);
      expect((await api.files.list(id)).data.map((f) => f.id)).not.toContain(alpha.id);
      await expectApiError(api.files.retrieve(id, alpha.id), { status: 404 });
      await expectApiError(api.files.content(id, alpha.id), { status: 404 });
    }
    expect((await api.retrieve(second.id))).toMatchObject({ file_counts: counts({}), usage_bytes: 0 });
    expect((await api.retrieve(vs.id)).file_counts).toEqual(counts({ completed: 1 }));
    expect((await api.batches.retrieve(batchStore.id, batch.id)).file_counts).toEqual(counts({ completed: 1 }));
    expect((await api.batches.listFiles(batchStore.id, batch.id)).data.map((f) => f.id)).toEqual([beta.id]);
    // The other file is untouched.
    expect(await found(api, vs.id, 'Dorrin glacier')).toEqual([beta.id]);
    expect(await found(api, batchStore.id, 'Dorrin glacier')).toEqual([beta.id]);
  });

  it("deleting a File while it is still being indexed leaves no chunks behind", async () => {
    const fx = await vsFixture(`orphans-race-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    const text = Array.from({ length: 400 }, (_, i) => `Entry ${i}: the Morvale archive shelf ${i} holds ledger KV-${1000 + i}.`).join('\n');
    const file = await api.uploadFile({ name: 'archive.txt', content: text });
    await api.files.create(vs.id, { file_id: file.id });
    await api.deleteFile(file.id);
    // Give a queued ingestion time to run (it must notice the File is gone and write nothing).
    const end = Date.now() + 3_000;
    while (Date.now() < end) {
      expect(await found(api, vs.id, 'Morvale archive ledger KV-1200')).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await api.retrieve(vs.id)).file_counts.total).toBe(0);
    expect((await api.retrieve(vs.id)).usage_bytes).toBe(0);
  });
});
