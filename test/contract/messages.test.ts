// client.beta.threads.messages with both SDK majors (v4 positional ids vs v6 `{thread_id}`, docs/openai-behaviour.md §6.7):
// create, the response shape, list order / cursors / run_id filter / auto-pagination, retrieve, update, delete.
import { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from 'openai/resources/beta/threads/messages';
import { collect, expectApiError, MAJORS, missingId, newProject, notFoundMessage, type Sdk, type TestProject } from './fixtures.js';

// Attachments and image_file parts must name files of the project (uploaded in beforeAll), as OpenAI checks.
let IMAGE_FILE_ID = '';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
const textOf = (m: Message) => (m.content[0]?.type === 'text' ? m.content[0].text.value : undefined);

describe.each(MAJORS)('messages (SDK %s)', (major) => {
  let p: TestProject;
  let sdk: Sdk;
  let FILE_ID: string;
  beforeAll(async () => {
    p = await newProject(`messages-${major}`);
    sdk = p.sdk[major];
    const file = await toFile(Buffer.from('Attached notes: the launch is on Tuesday.'), 'notes.txt');
    FILE_ID = (await p.v6.files.create({ file, purpose: 'assistants' })).id;
    IMAGE_FILE_ID = (await p.v6.files.create({ file: await toFile(Buffer.from('not really a png'), 'cat.png'), purpose: 'vision' })).id;
  });

  it('a user message with string content: the full MessageObject, text normalised to {value, annotations: []}', async () => {
    const t = await sdk.threads.create();
    const m = await sdk.messages.create(t.id, { role: 'user', content: 'How does AI work?' });
    expect(m.id).toMatch(/^msg_[A-Za-z0-9]+$/);
    expect(m).toEqual({
      id: m.id,
      object: 'thread.message',
      created_at: expect.any(Number),
      thread_id: t.id,
      status: 'completed',
      incomplete_details: null,
      completed_at: m.completed_at === null ? null : expect.any(Number), // docs/openai-behaviour.md §2.4: set, unverified
      incomplete_at: null,
      role: 'user',
      content: [{ type: 'text', text: { value: 'How does AI work?', annotations: [] } }],
      assistant_id: null,
      run_id: null,
      attachments: [], // OpenAI's examples: [] when none were given
      metadata: {},
    });
    expect(Math.abs(m.created_at - Date.now() / 1000)).toBeLessThan(300);
    expect(await sdk.messages.retrieve(t.id, m.id)).toEqual(m);
  });

  it('role assistant, content-part arrays (text, image_url, image_file), attachments and metadata', async () => {
    const t = await sdk.threads.create();
    const a = await sdk.messages.create(t.id, { role: 'assistant', content: 'I am the assistant.', metadata: { source: 'import' } });
    expect(a).toMatchObject({ role: 'assistant', assistant_id: null, run_id: null, metadata: { source: 'import' } });
    expect(a.content).toEqual([{ type: 'text', text: { value: 'I am the assistant.', annotations: [] } }]);

    const u = await sdk.messages.create(t.id, {
      role: 'user',
      content: [
        { type: 'text', text: 'Compare these two:' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        { type: 'image_file', image_file: { file_id: IMAGE_FILE_ID, detail: 'high' } },
        { type: 'text', text: 'Thanks.' },
      ],
      attachments: [{ file_id: FILE_ID, tools: [{ type: 'file_search' }, { type: 'code_interpreter' }] }],
    });
    expect(u.content).toHaveLength(4);
    expect(u.content[0]).toEqual({ type: 'text', text: { value: 'Compare these two:', annotations: [] } });
    expect(u.content[1]).toMatchObject({ type: 'image_url', image_url: { url: 'https://example.com/a.png' } });
    expect(u.content[2]).toMatchObject({ type: 'image_file', image_file: { file_id: IMAGE_FILE_ID, detail: 'high' } });
    expect(u.content[3]).toEqual({ type: 'text', text: { value: 'Thanks.', annotations: [] } });
    expect(u.attachments).toEqual([{ file_id: FILE_ID, tools: [{ type: 'file_search' }, { type: 'code_interpreter' }] }]);
    expect(await sdk.messages.retrieve(t.id, u.id)).toEqual(u);
  });

  describe('listing', () => {
    const N = 7;
    let threadId: string;
    let created: Message[]; // oldest first

    beforeAll(async () => {
      threadId = (await sdk.threads.create()).id;
      created = [];
      // One after the other, like a chat: most share a created_at second, and order must still be exact.
      for (let i = 0; i < N; i++) created.push(await sdk.messages.create(threadId, { role: i % 2 ? 'assistant' : 'user', content: `message ${i}` }));
    });

    it('default order is desc: data[0] is the newest message', async () => {
      const page = await sdk.messages.list(threadId);
      expect(ids(page.data)).toEqual(ids(created).reverse());
      expect(textOf(page.data[0]!)).toBe(`message ${N - 1}`);
      expect(page.has_more).toBe(false);
    });

    it("order 'asc' is oldest first", async () => {
      expect(ids((await sdk.messages.list(threadId, { order: 'asc' })).data)).toEqual(ids(created));
    });

    it('limit and has_more', async () => {
      const page = await sdk.messages.list(threadId, { limit: 3 });
      expect(ids(page.data)).toEqual(ids(created).reverse().slice(0, 3));
      expect(page.has_more).toBe(true);
      expect((await sdk.messages.list(threadId, { limit: N })).has_more).toBe(false);
    });

    it('after / before cursors, in both orders', async () => {
      const asc = ids(created);
      const desc = [...asc].reverse();
      expect(ids((await sdk.messages.list(threadId, { after: desc[1], limit: 2 })).data)).toEqual(desc.slice(2, 4));
      expect(ids((await sdk.messages.list(threadId, { after: asc[1], order: 'asc', limit: 2 })).data)).toEqual(asc.slice(2, 4));
      expect(ids((await sdk.messages.list(threadId, { before: desc[4], limit: 2 })).data)).toEqual(desc.slice(2, 4));
      expect(ids((await sdk.messages.list(threadId, { before: asc[4], order: 'asc', limit: 2 })).data)).toEqual(asc.slice(2, 4));
      const last = await sdk.messages.list(threadId, { after: desc[N - 1] });
      expect(last.data).toEqual([]);
      expect(last.has_more).toBe(false);
    });

    it('for await auto-pagination (limit 2) yields every message once, newest first', async () => {
      expect(ids(await collect(sdk.messages.list(threadId, { limit: 2 })))).toEqual(ids(created).reverse());
      expect(ids(await collect(sdk.messages.list(threadId, { limit: 3, order: 'asc' })))).toEqual(ids(created));
    });

    it('run_id filter: no message belongs to that run -> an empty list', async () => {
      const page = await sdk.messages.list(threadId, { run_id: missingId('run_') });
      expect(page.data).toEqual([]);
      expect(page.has_more).toBe(false);
      const res = await p.raw(`/threads/${threadId}/messages?run_id=${missingId('run_')}`, { headers: { 'openai-beta': 'assistants=v2' } });
      expect(await res.json()).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    });

    it('the wire envelope: first_id / last_id are data[0] / data[-1]', async () => {
      const res = await p.raw(`/threads/${threadId}/messages?limit=2`, { headers: { 'openai-beta': 'assistants=v2' } });
      const desc = ids(created).reverse();
      expect(await res.json()).toMatchObject({ object: 'list', first_id: desc[0], last_id: desc[1], has_more: true });
    });
  });

  it('messages posted concurrently to one thread: all accepted, each listed exactly once', async () => {
    const t = await sdk.threads.create();
    const made = await Promise.all(Array.from({ length: 25 }, (_, i) => sdk.messages.create(t.id, { role: 'user', content: `burst ${i}` })));
    const listed = ids(await collect(sdk.messages.list(t.id, { limit: 10 })));
    expect(listed).toHaveLength(25);
    expect(new Set(listed)).toEqual(new Set(ids(made)));
    expect(ids(await collect(sdk.messages.list(t.id, { limit: 10, order: 'asc' })))).toEqual([...listed].reverse());
  });

  it('update metadata: returns the message with the new metadata, nothing else changes', async () => {
    const t = await sdk.threads.create();
    const m = await sdk.messages.create(t.id, { role: 'user', content: 'tag me', metadata: { a: '1' } });
    const u = await sdk.messages.update(t.id, m.id, { metadata: { a: '1', reviewed: 'yes' } });
    expect(u).toEqual({ ...m, metadata: { a: '1', reviewed: 'yes' } });
    expect(await sdk.messages.retrieve(t.id, m.id)).toEqual(u);
  });

  it("delete returns {id, object:'thread.message.deleted', deleted:true}; the message is then 404 and unlisted", async () => {
    const t = await sdk.threads.create();
    const keep = await sdk.messages.create(t.id, { role: 'user', content: 'keep' });
    const gone = await sdk.messages.create(t.id, { role: 'user', content: 'delete me' });
    expect(await sdk.messages.delete(t.id, gone.id)).toEqual({ id: gone.id, object: 'thread.message.deleted', deleted: true });
    const missing = { status: 404, message: notFoundMessage('message', gone.id), code: null, param: null };
    await expectApiError(sdk.messages.retrieve(t.id, gone.id), missing);
    await expectApiError(sdk.messages.update(t.id, gone.id, { metadata: { a: 'b' } }), missing);
    await expectApiError(sdk.messages.delete(t.id, gone.id), missing);
    expect(ids((await sdk.messages.list(t.id)).data)).toEqual([keep.id]);
  });

  it("a message addressed through another thread's path is 404 (retrieve, update, delete)", async () => {
    const [t1, t2] = await Promise.all([sdk.threads.create(), sdk.threads.create()]);
    const m = await sdk.messages.create(t1.id, { role: 'user', content: 'I live in t1' });
    const missing = { status: 404, message: notFoundMessage('message', m.id), code: null, param: null };
    await expectApiError(sdk.messages.retrieve(t2.id, m.id), missing);
    await expectApiError(sdk.messages.update(t2.id, m.id, { metadata: { moved: 'no' } }), missing);
    await expectApiError(sdk.messages.delete(t2.id, m.id), missing);
    expect(await sdk.messages.retrieve(t1.id, m.id)).toEqual(m); // untouched
    expect((await sdk.messages.list(t2.id)).data).toEqual([]);
  });

  it('a message id that never existed is 404', async () => {
    const t = await sdk.threads.create();
    const id = missingId('msg_');
    await expectApiError(sdk.messages.retrieve(t.id, id), { status: 404, message: notFoundMessage('message', id), code: null, param: null });
  });
});
