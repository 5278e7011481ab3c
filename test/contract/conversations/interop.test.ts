// A conversation is a thread (docs/conversations.md): a `conv_` id read and written through the
// threads API, a `thread_` id through the Conversations API; GET /v1/conversations (our extension,
// like GET /v1/threads); another project's key gets 404 everywhere; bad input is a 400 in OpenAI's
// envelope.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectApiError, expectErrorResponse, json, newProject, notFoundMessage, type TestProject } from '../fixtures.js';
import { missingConversation, missingItem } from './support.js';

describe('conversations and threads are one store', () => {
  let p: TestProject;
  let other: TestProject;

  beforeAll(async () => {
    [p, other] = await Promise.all([newProject('conv-interop'), newProject('conv-interop-other')]);
  });

  it('reads and writes a conv_ conversation through the threads API', async () => {
    const conv = await p.v6.conversations.create({
      metadata: { via: 'conversations' },
      items: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    const thread = await p.v6.beta.threads.retrieve(conv.id);
    expect(thread).toEqual({ id: conv.id, object: 'thread', created_at: conv.created_at, tool_resources: {}, metadata: { via: 'conversations' } });
    const messages = await p.v6.beta.threads.messages.list(conv.id, { order: 'asc' });
    // The threads API knows user and assistant only: a system message shows as a user message.
    expect(messages.data.map((m) => [m.role, m.content])).toEqual([
      ['user', [{ type: 'text', text: { value: 'Answer in French.', annotations: [] } }]],
      ['user', [{ type: 'text', text: { value: 'Hello', annotations: [] } }]],
    ]);
    const added = await p.v6.beta.threads.messages.create(conv.id, { role: 'user', content: 'Bonjour' });
    const items = await p.v6.conversations.items.list(conv.id, { order: 'asc' });
    expect(items.data.map((i) => i.id)).toEqual([...messages.data.map((m) => m.id), added.id]);
    expect(items.data[0]).toMatchObject({ role: 'system' });
    expect(items.data[2]).toEqual({ type: 'message', id: added.id, status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'Bonjour' }] });

    await p.v6.beta.threads.update(conv.id, { metadata: { via: 'threads' } });
    expect((await p.v6.conversations.retrieve(conv.id)).metadata).toEqual({ via: 'threads' });
    expect(await p.v6.beta.threads.delete(conv.id)).toEqual({ id: conv.id, object: 'thread.deleted', deleted: true });
    await expectApiError(p.v6.conversations.retrieve(conv.id), { status: 404, message: missingConversation(conv.id) });
    expectNoContractViolations();
  });

  it('reads a thread_ thread as a conversation and its messages as items', async () => {
    const thread = await p.v6.beta.threads.create({
      metadata: { via: 'threads' },
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello there' },
      ],
    });
    expect(await p.v6.conversations.retrieve(thread.id)).toEqual({ id: thread.id, object: 'conversation', created_at: thread.created_at, metadata: { via: 'threads' } });
    const items = await p.v6.conversations.items.list(thread.id, { order: 'asc' });
    expect(items.data).toEqual([
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello there', annotations: [], logprobs: [] }] },
    ]);
    await p.v6.conversations.items.create(thread.id, { items: [{ type: 'function_call_output', call_id: 'call_1', output: 'done' }] });
    // Non-message items are not messages: the threads API lists only the two messages.
    expect((await p.v6.beta.threads.messages.list(thread.id)).data).toHaveLength(2);
    expect(await p.v6.conversations.delete(thread.id)).toEqual({ id: thread.id, object: 'conversation.deleted', deleted: true });
    await expectApiError(p.v6.beta.threads.retrieve(thread.id), { status: 404, message: notFoundMessage('thread', thread.id) });
    expectNoContractViolations();
  });

  it('GET /v1/conversations lists the project\'s conversations with pagination and metadata filters', async () => {
    const tag = `t${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await p.v6.conversations.create({ metadata: { tag, n: String(i) } }));
    await other.v6.conversations.create({ metadata: { tag } });

    const res = await p.raw(`/conversations?metadata[tag]=${tag}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { object: string; data: { id: string; object: string }[]; has_more: boolean; first_id: string; last_id: string };
    expect(page).toEqual({
      object: 'list',
      data: [...made].reverse(),
      first_id: made[2]!.id,
      last_id: made[0]!.id,
      has_more: false,
    });
    const first = (await (await p.raw(`/conversations?metadata[tag]=${tag}&order=asc&limit=2`)).json()) as typeof page;
    expect(first.data.map((c) => c.id)).toEqual([made[0]!.id, made[1]!.id]);
    expect(first.has_more).toBe(true);
    const next = (await (await p.raw(`/conversations?metadata[tag]=${tag}&order=asc&limit=2&after=${first.last_id}`)).json()) as typeof page;
    expect(next.data.map((c) => c.id)).toEqual([made[2]!.id]);
    expect(next.has_more).toBe(false);
    const one = (await (await p.raw(`/conversations?metadata[tag]=${tag}&metadata[n]=1`)).json()) as typeof page;
    expect(one.data.map((c) => c.id)).toEqual([made[1]!.id]);
    await expectErrorResponse(await p.raw('/conversations?limit=0'), { status: 400, param: 'limit' });
  });

  it('answers another project\'s key with 404 everywhere', async () => {
    const conv = await p.v6.conversations.create({ items: [{ role: 'user', content: 'secret' }] });
    const [item] = (await p.v6.conversations.items.list(conv.id)).data;
    const nf = { status: 404, message: missingConversation(conv.id) };
    await expectApiError(other.v6.conversations.retrieve(conv.id), nf);
    await expectApiError(other.v6.conversations.update(conv.id, { metadata: { x: 'y' } }), nf);
    await expectApiError(other.v6.conversations.delete(conv.id), nf);
    await expectApiError(other.v6.conversations.items.list(conv.id), nf);
    await expectApiError(other.v6.conversations.items.create(conv.id, { items: [{ role: 'user', content: 'x' }] }), nf);
    await expectApiError(other.v6.conversations.items.retrieve(item!.id!, { conversation_id: conv.id }), nf);
    await expectApiError(other.v6.conversations.items.delete(item!.id!, { conversation_id: conv.id }), nf);
    await expectApiError(other.v6.beta.threads.retrieve(conv.id), { status: 404, message: notFoundMessage('thread', conv.id) });
    // Still there, untouched, for its owner.
    expect((await p.v6.conversations.items.list(conv.id)).data).toEqual([item]);
    expectNoContractViolations();
  });

  it('refuses bad input with OpenAI-shaped 400s and writes nothing', async () => {
    const conv = await p.v6.conversations.create({});
    const items = `/conversations/${conv.id}/items`;
    await expectErrorResponse(await p.raw(items, json({})), { status: 400, message: "Missing required parameter: 'items'.", param: 'items' });
    const many = Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' }));
    await expectErrorResponse(await p.raw(items, json({ items: many })), { status: 400, param: 'items' });
    await expectErrorResponse(await p.raw(items, json({ items: [{ type: 'web_search_call', id: 'ws_1' }] })), { status: 400, param: /^items\[0\]/ });
    await expectErrorResponse(await p.raw(items, json({ items: [{ type: 'function_call', name: 'f', arguments: '{}' }] })), { status: 400, param: /^items\[0\]\.call_id$/ });
    await expectErrorResponse(await p.raw(items, json({ items: [{ role: 'robot', content: 'x' }] })), { status: 400, param: /^items\[0\]\.role$/ });
    await expectErrorResponse(await p.raw(items, json({ items: [{ role: 'user', content: [{ type: 'input_image', detail: 'auto' }] }] })), { status: 400 });
    await expectErrorResponse(await p.raw(items, json({ items: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-missing' }] }] })), {
      status: 404,
      message: notFoundMessage('file', 'file-missing'),
    });
    await expectErrorResponse(await p.raw(`${items}?include[]=everything`), { status: 400, param: 'include' });
    await expectErrorResponse(await p.raw('/conversations/abc'), { status: 400, message: "Invalid 'conversation_id': 'abc'. Expected an ID that begins with 'conv'.", param: 'conversation_id' });
    await expectErrorResponse(await p.raw(`/conversations/${conv.id}`, json({})), { status: 400, message: "Missing required parameter: 'metadata'.", param: 'metadata' });
    await expectErrorResponse(await p.raw('/conversations', json({ items: [], extra: 1 })), { status: 400 });
    await expectErrorResponse(await p.raw(`${items}?order=sideways`), { status: 400, param: 'order' });
    await expectApiError(p.v6.conversations.items.retrieve('msg_missing', { conversation_id: conv.id }), { status: 404, message: missingItem('msg_missing') });
    expect((await p.v6.conversations.items.list(conv.id)).data).toEqual([]);
  });
});
