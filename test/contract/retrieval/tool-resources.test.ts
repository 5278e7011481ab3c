// tool_resources.file_search with both SDK majors (docs/openai-behaviour.md §2.2, §2.3): `vector_stores: [{file_ids, ...}]`
// on assistant/thread create and modify is "create a vector store for me" (the answer names it in
// `vector_store_ids`, and it exists and indexes the files); message attachments for file_search give the
// thread its own vector store holding them (thread.tool_resources.file_search.vector_store_ids); unknown files
// are 404s that create nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { expectApiError, v4Sdk, v6Sdk } from '../fixtures.js';
import { marker } from '../runs/run-support.js';
import { MAJORS, settled, vsFixture, type Major } from './vs-support.js';

const DOC = { name: 'policy.txt', content: 'Employees of Brackwater Ltd receive 31 days of paid leave and a bicycle allowance.' };
const OTHER = { name: 'menu.txt', content: 'The Brackwater canteen serves turnip soup on Thursdays.' };
const MISSING_FILE = 'file-NoSuchFile00000000000001';
const SEVEN_DAYS = { anchor: 'last_active_at', days: 7 };

afterAll(() => expectNoContractViolations());

async function setup(label: string, major: Major) {
  const fx = await vsFixture(`tr-${label}-${major}`);
  const api = fx.api(major);
  const sdk = major === 'v6' ? v6Sdk(fx.v6) : v4Sdk(fx.v4);
  return { fx, api, sdk };
}

/** The single vector store id in some tool_resources (and nothing else under file_search). */
function storeIdOf(resources: unknown): string {
  const fs = (resources as { file_search?: { vector_store_ids?: string[] } } | null)?.file_search;
  expect(Object.keys(fs ?? {})).toEqual(['vector_store_ids']);
  expect(fs!.vector_store_ids).toHaveLength(1);
  expect(fs!.vector_store_ids![0]).toMatch(/^vs_[A-Za-z0-9]+$/);
  return fs!.vector_store_ids![0]!;
}

describe.each(MAJORS)('tool_resources.file_search (SDK %s)', (major) => {
  it('assistant create with vector_stores: a vs_ id in vector_store_ids; the store exists and indexes the file', async () => {
    const { api, sdk } = await setup('asst', major);
    const file = await api.uploadFile(DOC);
    const asst = await sdk.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'file_search' }],
      tool_resources: {
        file_search: {
          vector_stores: [{ file_ids: [file.id], metadata: { owner: 'hr' }, chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 0 } } }],
        },
      },
    });
    const vsId = storeIdOf(asst.tool_resources);
    expect(await sdk.assistants.retrieve(asst.id)).toEqual(asst);

    const store = await settled(api, vsId);
    expect(store).toMatchObject({ id: vsId, object: 'vector_store', status: 'completed', metadata: { owner: 'hr' } });
    expect(store.expires_after ?? null).toBeNull(); // only thread helpers get a default expiry
    expect(store.file_counts).toMatchObject({ completed: 1, total: 1 });
    const vsf = await api.files.retrieve(vsId, file.id);
    expect(vsf.chunking_strategy).toEqual({ type: 'static', static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 0 } });
    const hits = await api.search(vsId, { query: 'How many days of paid leave?' });
    expect(hits.data[0]?.file_id).toBe(file.id);
    // It is an ordinary store of the project.
    expect((await api.list()).data.map((s) => s.id)).toContain(vsId);
  });

  it('assistant update with vector_stores creates another store and points the assistant at it', async () => {
    const { api, sdk } = await setup('asst-update', major);
    const [a, b] = await Promise.all([api.uploadFile(DOC), api.uploadFile(OTHER)]);
    const asst = await sdk.assistants.create({ model: 'gpt-4o', tool_resources: { file_search: { vector_stores: [{ file_ids: [a.id] }] } } });
    const first = storeIdOf(asst.tool_resources);
    const updated = await sdk.assistants.update(asst.id, { tool_resources: { file_search: { vector_stores: [{ file_ids: [b.id] }] } } as never });
    const second = storeIdOf(updated.tool_resources);
    expect(second).not.toBe(first);
    await settled(api, second);
    expect((await api.files.list(second)).data.map((f) => f.id)).toEqual([b.id]);
  });

  it('thread create and update with vector_stores', async () => {
    const { api, sdk } = await setup('thread', major);
    const [a, b] = await Promise.all([api.uploadFile(DOC), api.uploadFile(OTHER)]);
    const t = await sdk.threads.create({ tool_resources: { file_search: { vector_stores: [{ file_ids: [a.id] }] } } });
    const vsId = storeIdOf(t.tool_resources);
    expect(await sdk.threads.retrieve(t.id)).toEqual(t);
    const store = await settled(api, vsId);
    expect((await api.files.list(vsId)).data.map((f) => f.id)).toEqual([a.id]);
    // OpenAI: stores made by thread helpers expire 7 days after they were last active.
    expect(store.expires_after).toEqual(SEVEN_DAYS);
    expect(store.expires_at).toBe(store.last_active_at! + 7 * 86_400);

    const u = await sdk.threads.update(t.id, { tool_resources: { file_search: { vector_stores: [{ file_ids: [b.id] }] } } as never });
    const next = storeIdOf(u.tool_resources);
    await settled(api, next);
    expect((await api.files.list(next)).data.map((f) => f.id)).toEqual([b.id]);
  });

  it('a message attachment for file_search gives the thread a vector store holding the file; later ones join it', async () => {
    const { api, sdk } = await setup('attach', major);
    const [a, b, c] = await Promise.all([api.uploadFile(DOC), api.uploadFile(OTHER), api.uploadFile({ name: 'code.py', content: 'print(1)' })]);
    const t = await sdk.threads.create();
    expect(t.tool_resources).toEqual({});

    const m = await sdk.messages.create(t.id, { role: 'user', content: 'See the policy.', attachments: [{ file_id: a.id, tools: [{ type: 'file_search' }] }] });
    expect(m.attachments).toEqual([{ file_id: a.id, tools: [{ type: 'file_search' }] }]);
    const vsId = storeIdOf((await sdk.threads.retrieve(t.id)).tool_resources);
    const store = await settled(api, vsId);
    expect(store.file_counts).toMatchObject({ completed: 1, total: 1 });
    expect(store.expires_after).toEqual(SEVEN_DAYS);
    expect((await api.search(vsId, { query: 'paid leave' })).data[0]?.file_id).toBe(a.id);

    await sdk.messages.create(t.id, { role: 'user', content: 'And the menu.', attachments: [{ file_id: b.id, tools: [{ type: 'file_search' }, { type: 'code_interpreter' }] }] });
    // A code_interpreter-only attachment is not indexed.
    await sdk.messages.create(t.id, { role: 'user', content: 'Run this.', attachments: [{ file_id: c.id, tools: [{ type: 'code_interpreter' }] }] });
    expect(storeIdOf((await sdk.threads.retrieve(t.id)).tool_resources)).toBe(vsId);
    await settled(api, vsId);
    expect((await api.files.list(vsId, { order: 'asc' })).data.map((f) => f.id)).toEqual([a.id, b.id]);
  });

  it('thread create with an attached message answers with the thread vector store already set', async () => {
    const { api, sdk } = await setup('thread-attach', major);
    const a = await api.uploadFile(DOC);
    const t = await sdk.threads.create({ messages: [{ role: 'user', content: 'Policy attached.', attachments: [{ file_id: a.id, tools: [{ type: 'file_search' }] }] }] });
    const vsId = storeIdOf(t.tool_resources);
    expect(await sdk.threads.retrieve(t.id)).toEqual(t);
    await settled(api, vsId);
    expect((await api.files.list(vsId)).data.map((f) => f.id)).toEqual([a.id]);
  });

  it('createAndRun with an attached message gives the new thread its vector store', async () => {
    const { fx, api, sdk } = await setup('run-attach', major);
    const a = await api.uploadFile(DOC);
    const asst = await sdk.assistants.create({ model: 'gpt-4o-mini' });
    const m = marker(`tr-run-${major}`);
    await pushScripts(m, { text: 'Noted.' });
    const body = { assistant_id: asst.id, thread: { messages: [{ role: 'user' as const, content: `Read it ${m}`, attachments: [{ file_id: a.id, tools: [{ type: 'file_search' as const }] }] }] } };
    const run = major === 'v6' ? await fx.v6.beta.threads.createAndRunPoll(body, { pollIntervalMs: 50 }) : await fx.v4.beta.threads.createAndRunPoll(body, { pollIntervalMs: 50 });
    expect(run.status).toBe('completed');
    const vsId = storeIdOf((await sdk.threads.retrieve(run.thread_id)).tool_resources);
    await settled(api, vsId);
    expect((await api.files.list(vsId)).data.map((f) => f.id)).toEqual([a.id]);
  });

  it('unknown files are 404s that create nothing (no store, no thread, no message)', async () => {
    const { api, sdk } = await setup('missing', major);
    const vector_stores = [{ file_ids: [MISSING_FILE] }];
    await expectApiError(sdk.assistants.create({ model: 'gpt-4o', tool_resources: { file_search: { vector_stores } } }), { status: 404 });
    await expectApiError(sdk.threads.create({ tool_resources: { file_search: { vector_stores } } }), { status: 404 });
    expect((await api.list()).data).toEqual([]);
    expect((await sdk.assistants.list()).data).toEqual([]);

    const t = await sdk.threads.create();
    await expectApiError(
      sdk.messages.create(t.id, { role: 'user', content: 'x', attachments: [{ file_id: MISSING_FILE, tools: [{ type: 'file_search' }] }] }),
      { status: 404, message: `No file found with id '${MISSING_FILE}'.` },
    );
    expect((await sdk.messages.list(t.id)).data).toEqual([]);
    expect((await sdk.threads.retrieve(t.id)).tool_resources).toEqual({});
    expect((await api.list()).data).toEqual([]);
  });
});
