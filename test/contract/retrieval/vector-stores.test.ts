// client.vectorStores CRUD with both SDK majors (docs/openai-behaviour.md §2.7, §3): create with every body field,
// retrieve while and after indexing (status, exact file_counts, usage_bytes, last_active_at, expiry),
// update (name, metadata, expires_after set and cleared), list order / cursors / auto-pagination, delete
// (`vector_store.deleted`, then 404; the Files themselves stay), and an unknown file id leaving nothing behind.
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { collect, expectApiError } from '../fixtures.js';
import { counts, MAJORS, settled, vsFixture } from './vs-support.js';

const DAY = 86_400;
const nowS = () => Math.floor(Date.now() / 1000);
const missingVs = 'vs_NoSuchVectorStore0000000001';

afterAll(() => expectNoContractViolations());

describe.each(MAJORS)('vector stores (SDK %s)', (major) => {
  it('create with name, metadata, expires_after, file_ids and chunking_strategy; indexing ends completed', async () => {
    const fx = await vsFixture(`vs-create-${major}`);
    const api = fx.api(major);
    const files = await Promise.all([
      api.uploadFile({ name: 'a.txt', content: 'The granary at Olvenholt stores barley for the winter.' }),
      api.uploadFile({ name: 'b.md', content: '# Tides\n\nThe harbour of Prell sees three tides a day.' }),
    ]);
    const before = nowS();
    const vs = await api.create({
      name: 'Handbook',
      metadata: { team: 'docs', env: 'test' },
      expires_after: { anchor: 'last_active_at', days: 7 },
      file_ids: files.map((f) => f.id),
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 50 } },
    });
    expect(vs.id).toMatch(/^vs_[A-Za-z0-9]+$/);
    expect(vs).toMatchObject({
      object: 'vector_store',
      name: 'Handbook',
      metadata: { team: 'docs', env: 'test' },
      expires_after: { anchor: 'last_active_at', days: 7 },
    });
    expect(vs.created_at).toBeGreaterThanOrEqual(before - 5);
    expect(vs.created_at).toBeLessThanOrEqual(nowS() + 5);
    expect(vs.file_counts.total).toBe(2);
    expect(vs.file_counts.in_progress + vs.file_counts.completed).toBe(2);
    expect(['in_progress', 'completed']).toContain(vs.status);
    expect(Number.isInteger(vs.usage_bytes)).toBe(true);

    const done = await settled(api, vs.id);
    expect(done).toMatchObject({ id: vs.id, object: 'vector_store', status: 'completed', name: 'Handbook', created_at: vs.created_at });
    expect(done.file_counts).toEqual(counts({ completed: 2 }));
    expect(done.usage_bytes).toBeGreaterThan(0);
    expect(Number.isInteger(done.last_active_at)).toBe(true);
    expect(done.last_active_at!).toBeGreaterThanOrEqual(vs.created_at);
    // expires_at follows the last activity by `days`.
    expect(done.expires_at).toBe(done.last_active_at! + 7 * DAY);

    // Each file carries the store's chunking strategy.
    const listed = await api.files.list(vs.id);
    expect(listed.data.map((f) => f.id).sort()).toEqual(files.map((f) => f.id).sort());
    expect(done.usage_bytes).toBe(listed.data.reduce((n, f) => n + f.usage_bytes, 0));
    for (const f of listed.data) {
      expect(f.chunking_strategy).toEqual({ type: 'static', static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 50 } });
    }
  });

  it('create with no arguments: an empty store, completed, no expiry', async () => {
    const fx = await vsFixture(`vs-empty-${major}`);
    const api = fx.api(major);
    const vs = await api.create({});
    expect(vs).toMatchObject({ object: 'vector_store', status: 'completed', usage_bytes: 0, metadata: {}, file_counts: counts({}) });
    expect(vs.expires_at ?? null).toBeNull();
    expect(vs.expires_after).toBeUndefined();
    expect(await api.retrieve(vs.id)).toEqual(vs);
  });

  it('update name, metadata and expires_after; expires_after null removes the expiry', async () => {
    const fx = await vsFixture(`vs-update-${major}`);
    const api = fx.api(major);
    const vs = await api.create({ name: 'before', metadata: { a: '1' } });
    const u = await api.update(vs.id, { name: 'after', metadata: { a: '2', b: '3' }, expires_after: { anchor: 'last_active_at', days: 30 } });
    expect(u).toMatchObject({ id: vs.id, name: 'after', metadata: { a: '2', b: '3' }, expires_after: { anchor: 'last_active_at', days: 30 } });
    expect(u.created_at).toBe(vs.created_at);
    expect(u.expires_at).toBe(u.last_active_at! + 30 * DAY);
    expect(await api.retrieve(vs.id)).toEqual(u);

    const named = await api.update(vs.id, { metadata: { only: 'this' } });
    expect(named).toMatchObject({ name: 'after', metadata: { only: 'this' }, expires_after: { anchor: 'last_active_at', days: 30 } });

    const cleared = await api.update(vs.id, { expires_after: null });
    expect(cleared.expires_at ?? null).toBeNull();
    expect(cleared.expires_after ?? null).toBeNull();
    expect(cleared.name).toBe('after');
  });

  it('list: newest first by default, asc, cursors with after/before, auto-pagination', async () => {
    const fx = await vsFixture(`vs-list-${major}`);
    const api = fx.api(major);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await api.create({ name: `store ${i}` }));
    const ids = made.map((s) => s.id);

    const desc = await api.list();
    expect(desc.data.map((s) => s.id)).toEqual([...ids].reverse());
    expect(desc.has_more).toBe(false);

    const p1 = await api.list({ order: 'asc', limit: 2 });
    expect(p1.data.map((s) => s.id)).toEqual(ids.slice(0, 2));
    expect(p1.has_more).toBe(true);
    const p2 = await api.list({ order: 'asc', limit: 2, after: ids[1] });
    expect(p2.data.map((s) => s.id)).toEqual(ids.slice(2, 4));
    const before = await api.list({ order: 'asc', before: ids[3] });
    expect(before.data.map((s) => s.id)).toEqual(ids.slice(0, 3));

    expect((await collect(api.list({ order: 'asc', limit: 2 }))).map((s) => s.id)).toEqual(ids);
    // The list items are the full objects.
    expect(desc.data[0]).toEqual(await api.retrieve(ids[4]!));
  });

  it('delete: vector_store.deleted, then 404 for retrieve, update, search and a second delete; the Files stay', async () => {
    const fx = await vsFixture(`vs-delete-${major}`);
    const api = fx.api(major);
    const file = await api.uploadFile({ name: 'keep.txt', content: 'Files outlive the stores that index them.' });
    const vs = await api.create({ file_ids: [file.id] });
    await settled(api, vs.id);
    expect(await api.delete(vs.id)).toEqual({ id: vs.id, object: 'vector_store.deleted', deleted: true });
    const gone = { status: 404, message: `No vector store found with id '${vs.id}'.` };
    await expectApiError(api.retrieve(vs.id), gone);
    await expectApiError(api.update(vs.id, { name: 'x' }), gone);
    await expectApiError(api.search(vs.id, { query: 'stores' }), gone);
    await expectApiError(api.delete(vs.id), gone);
    await expectApiError(api.files.list(vs.id), gone);
    expect((await api.list()).data.map((s) => s.id)).not.toContain(vs.id);
    const still = major === 'v6' ? await fx.v6.files.retrieve(file.id) : await fx.v4.files.retrieve(file.id);
    expect(still.id).toBe(file.id);
  });

  it('unknown ids: 404 for a missing store; create with a missing file is a 404 that creates nothing', async () => {
    const fx = await vsFixture(`vs-missing-${major}`);
    const api = fx.api(major);
    await expectApiError(api.retrieve(missingVs), { status: 404, message: `No vector store found with id '${missingVs}'.` });
    await expectApiError(api.create({ name: 'orphan?', file_ids: ['file-NoSuchFile00000000000001'] }), { status: 404 });
    expect((await api.list()).data).toEqual([]);
  });

  it("another project's store is a missing one", async () => {
    const [a, b] = await Promise.all([vsFixture(`vs-tenant-a-${major}`), vsFixture(`vs-tenant-b-${major}`)]);
    const theirs = await b.api(major).create({ name: 'private' });
    await expectApiError(a.api(major).retrieve(theirs.id), { status: 404, message: `No vector store found with id '${theirs.id}'.` });
    await expectApiError(a.api(major).delete(theirs.id), { status: 404 });
    await expectApiError(a.api(major).search(theirs.id, { query: 'private' }), { status: 404, message: `No vector store found with id '${theirs.id}'.` });
    expect((await b.api(major).retrieve(theirs.id)).name).toBe('private');
  });
});
