// client.beta.threads with both SDK majors: create (with initial messages of every content form), retrieve,
// update, delete (after which the thread and everything under it is 404).
import { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThreadCreateParams } from 'openai/resources/beta/threads/threads';
import { collect, expectApiError, MAJORS, missingId, newProject, notFoundMessage, type Sdk, type TestProject } from './fixtures.js';

// Every id a thread names must be the project's own (checked on write, as OpenAI does): attachments, image_file
// parts and tool_resources. Each project uploads its files and creates its vector store in beforeAll.
let IMAGE_FILE_ID = '';
let CI_FILE_ID = '';
let VECTOR_STORE_ID = '';
const IMAGE_URL = 'https://example.com/cat.png';

const textPart = (value: string) => ({ type: 'text', text: { value, annotations: [] } });

const initial = (DOC_FILE_ID: string, IMAGE_FILE_ID: string): NonNullable<ThreadCreateParams['messages']> => [
  { role: 'user', content: 'What is 2+2?', metadata: { n: '0' } },
  { role: 'assistant', content: 'Four.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'And what is in these pictures?' },
      { type: 'image_url', image_url: { url: IMAGE_URL, detail: 'low' } },
      { type: 'image_file', image_file: { file_id: IMAGE_FILE_ID } },
    ],
  },
  { role: 'user', content: 'Read this.', attachments: [{ file_id: DOC_FILE_ID, tools: [{ type: 'code_interpreter' }] }] },
];

describe.each(MAJORS)('threads (SDK %s)', (major) => {
  let p: TestProject;
  let sdk: Sdk;
  let DOC_FILE_ID: string;
  let INITIAL: ReturnType<typeof initial>;
  beforeAll(async () => {
    p = await newProject(`threads-${major}`);
    sdk = p.sdk[major];
    const file = await toFile(Buffer.from('A document to read.'), 'doc.txt');
    DOC_FILE_ID = (await p.v6.files.create({ file, purpose: 'assistants' })).id;
    IMAGE_FILE_ID = (await p.v6.files.create({ file: await toFile(Buffer.from('not really a png'), 'cat.png'), purpose: 'vision' })).id;
    CI_FILE_ID = (await p.v6.files.create({ file: await toFile(Buffer.from('print(1)'), 'a.py'), purpose: 'assistants' })).id;
    VECTOR_STORE_ID = (await p.v6.vectorStores.create({ name: 'contract' })).id;
    INITIAL = initial(DOC_FILE_ID, IMAGE_FILE_ID);
  });

  it('create with no arguments: {id, object, created_at, tool_resources: {}, metadata: {}}', async () => {
    const t = await sdk.threads.create();
    expect(t.id).toMatch(/^thread_[A-Za-z0-9]+$/);
    expect(t).toEqual({ id: t.id, object: 'thread', created_at: expect.any(Number), tool_resources: {}, metadata: {} });
    expect(Math.abs(t.created_at - Date.now() / 1000)).toBeLessThan(300);
    expect(await sdk.threads.retrieve(t.id)).toEqual(t);
    // A new thread has no messages.
    const page = await sdk.messages.list(t.id);
    expect(page.data).toEqual([]);
    expect(page.has_more).toBe(false);
  });

  it('create with initial messages (string and content-part arrays), tool_resources and metadata', async () => {
    const t = await sdk.threads.create({
      messages: INITIAL,
      tool_resources: { code_interpreter: { file_ids: [CI_FILE_ID] }, file_search: { vector_store_ids: [VECTOR_STORE_ID] } },
      metadata: { user: 'u-42', channel: 'web' },
    });
    expect(t.object).toBe('thread');
    expect(t.metadata).toEqual({ user: 'u-42', channel: 'web' });
    expect(t.tool_resources).toEqual({ code_interpreter: { file_ids: [CI_FILE_ID] }, file_search: { vector_store_ids: [VECTOR_STORE_ID] } });
    expect(await sdk.threads.retrieve(t.id)).toEqual(t);

    // The initial messages, oldest first, in the order given, with normalised content.
    const msgs = await collect(sdk.messages.list(t.id, { order: 'asc' }));
    expect(msgs).toHaveLength(INITIAL.length);
    for (const m of msgs) {
      expect(m.id).toMatch(/^msg_[A-Za-z0-9]+$/);
      expect(m).toMatchObject({ object: 'thread.message', thread_id: t.id, assistant_id: null, run_id: null, status: 'completed' });
    }
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user']);
    expect(msgs[0]!.content).toEqual([textPart('What is 2+2?')]);
    expect(msgs[0]!.metadata).toEqual({ n: '0' });
    expect(msgs[1]!.content).toEqual([textPart('Four.')]);
    expect(msgs[1]!.metadata).toEqual({});
    expect(msgs[2]!.content).toHaveLength(3);
    expect(msgs[2]!.content[0]).toEqual(textPart('And what is in these pictures?'));
    expect(msgs[2]!.content[1]).toMatchObject({ type: 'image_url', image_url: { url: IMAGE_URL, detail: 'low' } });
    expect(msgs[2]!.content[2]).toMatchObject({ type: 'image_file', image_file: { file_id: IMAGE_FILE_ID } });
    expect(msgs[3]!.attachments).toEqual([{ file_id: DOC_FILE_ID, tools: [{ type: 'code_interpreter' }] }]);
    // Default order is newest first.
    expect((await sdk.messages.list(t.id)).data.map((m) => m.id)).toEqual(msgs.map((m) => m.id).reverse());
  });

  it('retrieve returns the same object as create', async () => {
    const t = await sdk.threads.create({ metadata: { k: 'v' } });
    expect(await sdk.threads.retrieve(t.id)).toEqual(t);
  });

  it('update metadata: other fields unchanged; retrieve sees the change', async () => {
    const t = await sdk.threads.create({ metadata: { user: 'u-1' }, tool_resources: { code_interpreter: { file_ids: [CI_FILE_ID] } } });
    const u = await sdk.threads.update(t.id, { metadata: { user: 'u-1', modified: 'true' } });
    expect(u).toEqual({ ...t, metadata: { user: 'u-1', modified: 'true' } });
    expect(await sdk.threads.retrieve(t.id)).toEqual(u);
  });

  it('update tool_resources leaves metadata alone', async () => {
    const t = await sdk.threads.create({ metadata: { keep: 'me' } });
    const u = await sdk.threads.update(t.id, { tool_resources: { code_interpreter: { file_ids: [CI_FILE_ID] } } });
    expect(u.tool_resources?.code_interpreter?.file_ids).toEqual([CI_FILE_ID]);
    expect(u.metadata).toEqual({ keep: 'me' });
    expect(u.created_at).toBe(t.created_at);
    expect(await sdk.threads.retrieve(t.id)).toEqual(u);
  });

  it('an empty update changes nothing', async () => {
    const t = await sdk.threads.create({ metadata: { a: '1' } });
    expect(await sdk.threads.update(t.id, {})).toEqual(t);
  });

  it("delete returns {id, object:'thread.deleted', deleted:true}; then the thread and its messages are 404", async () => {
    const t = await sdk.threads.create({ messages: [{ role: 'user', content: 'soon gone' }] });
    const [m] = (await sdk.messages.list(t.id)).data;
    expect(m).toBeDefined();
    expect(await sdk.threads.delete(t.id)).toEqual({ id: t.id, object: 'thread.deleted', deleted: true });

    const noThread = { status: 404, message: notFoundMessage('thread', t.id), code: null, param: null };
    await expectApiError(sdk.threads.retrieve(t.id), noThread);
    await expectApiError(sdk.threads.update(t.id, { metadata: { a: 'b' } }), noThread);
    await expectApiError(sdk.threads.delete(t.id), noThread);
    await expectApiError(sdk.messages.list(t.id), noThread);
    await expectApiError(sdk.messages.create(t.id, { role: 'user', content: 'hello?' }), noThread);
    // The message is gone with its thread (OpenAI answers about the missing thread).
    await expectApiError(sdk.messages.retrieve(t.id, m!.id), { status: 404, message: notFoundMessage('thread', t.id) });
    await expectApiError(sdk.messages.update(t.id, m!.id, { metadata: { a: 'b' } }), { status: 404, message: notFoundMessage('thread', t.id) });
    await expectApiError(sdk.messages.delete(t.id, m!.id), { status: 404, message: notFoundMessage('thread', t.id) });
  });

  it('two concurrent deletes: one succeeds, the other is a 404 (not a 5xx)', async () => {
    const t = await sdk.threads.create({ messages: [{ role: 'user', content: 'x' }] });
    const results = await Promise.allSettled([sdk.threads.delete(t.id), sdk.threads.delete(t.id)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed.map((r) => (r.reason as { status?: number }).status)).toEqual([404]);
  });

  it('a thread id that never existed: 404 on every thread method', async () => {
    const id = missingId('thread_');
    const noThread = { status: 404, message: notFoundMessage('thread', id), code: null, param: null };
    await expectApiError(sdk.threads.retrieve(id), noThread);
    await expectApiError(sdk.threads.update(id, { metadata: {} }), noThread);
    await expectApiError(sdk.threads.delete(id), noThread);
  });
});
