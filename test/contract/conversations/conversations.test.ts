// OpenAI's Conversations API through the official SDK v6 and v7 (`client.conversations`,
// `client.conversations.items`), every body validated against OpenAI's Responses document by the
// validating fetch: create with items and metadata, retrieve, update, delete; items create, list
// (order, after, limit), retrieve, delete; the one order of messages and other items
// (docs/conversations.md).
import { beforeAll, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { collect, expectApiError, newProject, type TestProject } from '../fixtures.js';
import { missingConversation, missingItem } from './support.js';

type Client = OpenAI;
const clientOf = (p: TestProject, major: 'v6' | 'v7'): Client => (major === 'v6' ? p.v6 : (p.v7 as unknown as Client));

describe.each(['v6', 'v7'] as const)('conversations (SDK %s)', (major) => {
  let p: TestProject;
  let client: Client;

  beforeAll(async () => {
    p = await newProject(`conversations-${major}`);
    client = clientOf(p, major);
  });

  it('creates a conversation with initial items and metadata, retrieves, updates and deletes it', async () => {
    const conv = await client.conversations.create({
      metadata: { topic: 'demo' },
      items: [
        { type: 'message', role: 'user', content: 'Hello!' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
      ],
    });
    expect(conv).toEqual({ id: expect.stringMatching(/^conv_[A-Za-z0-9]{24}$/), object: 'conversation', created_at: expect.any(Number), metadata: { topic: 'demo' } });
    expect(Math.abs(conv.created_at - Date.now() / 1000)).toBeLessThan(600);
    expect(await client.conversations.retrieve(conv.id)).toEqual(conv);

    const updated = await client.conversations.update(conv.id, { metadata: { topic: 'project-x' } });
    expect(updated).toEqual({ ...conv, metadata: { topic: 'project-x' } });

    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(items.data).toEqual([
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] },
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
    ]);

    expect(await client.conversations.delete(conv.id)).toEqual({ id: conv.id, object: 'conversation.deleted', deleted: true });
    await expectApiError(client.conversations.retrieve(conv.id), { status: 404, message: missingConversation(conv.id) });
    await expectApiError(client.conversations.items.list(conv.id), { status: 404, message: missingConversation(conv.id) });
    expectNoContractViolations();
  });

  it('creates items of every stored type and lists them in one order, both ways, with after and limit', async () => {
    const conv = await client.conversations.create({});
    expect(conv.metadata).toEqual({});
    const created = await client.conversations.items.create(conv.id, {
      items: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the weather in Paris?' }] },
        { type: 'function_call', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_abc', output: '{"sky":"sunny"}' },
        // Items of an earlier response carry its ids (the SDK requires them); new ones are drawn here.
        { type: 'reasoning', id: 'rs_earlier', summary: [{ type: 'summary_text', text: 'The tool said sunny.' }] },
        { type: 'message', id: 'msg_earlier', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }] },
      ],
    });
    expect(created.object).toBe('list');
    expect(created.has_more).toBe(false);
    expect(created.data).toEqual([
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'What is the weather in Paris?' }] },
      { type: 'function_call', id: expect.stringMatching(/^fc_/), status: 'completed', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', id: expect.stringMatching(/^fco_/), status: 'completed', call_id: 'call_abc', output: '{"sky":"sunny"}' },
      { type: 'reasoning', id: expect.stringMatching(/^rs_[A-Za-z0-9]{24}$/), status: 'completed', summary: [{ type: 'summary_text', text: 'The tool said sunny.' }] },
      { type: 'message', id: expect.stringMatching(/^msg_[A-Za-z0-9]{24}$/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.', annotations: [], logprobs: [] }] },
    ]);
    expect(created.first_id).toBe(created.data[0]!.id);
    expect(created.last_id).toBe(created.data[4]!.id);
    const ids = created.data.map((i) => i.id!);

    const desc = await client.conversations.items.list(conv.id);
    expect(desc.data.map((i) => i.id)).toEqual([...ids].reverse());
    const asc = await client.conversations.items.list(conv.id, { order: 'asc', limit: 2 });
    expect(asc.data.map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(asc.has_more).toBe(true);
    const after = await client.conversations.items.list(conv.id, { order: 'asc', after: ids[1]!, limit: 2 });
    expect(after.data.map((i) => i.id)).toEqual(ids.slice(2, 4));
    const descAfter = await client.conversations.items.list(conv.id, { after: ids[3]!, limit: 10 });
    expect(descAfter.data.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(descAfter.has_more).toBe(false);
    const all = await collect(client.conversations.items.list(conv.id, { order: 'asc', limit: 2 }));
    expect(all.map((i) => i.id)).toEqual(ids);

    // Items added later come after; the order stays total across both tables.
    const more = await client.conversations.items.create(conv.id, { items: [{ role: 'user', content: 'And Rome?' }] });
    const later = await client.conversations.items.list(conv.id, { order: 'asc', after: ids[4]! });
    expect(later.data.map((i) => i.id)).toEqual([more.data[0]!.id]);

    expect(await client.conversations.items.retrieve(ids[1]!, { conversation_id: conv.id })).toEqual(created.data[1]);
    expect(await client.conversations.items.retrieve(ids[0]!, { conversation_id: conv.id })).toEqual(created.data[0]);

    const afterDelete = await client.conversations.items.delete(ids[1]!, { conversation_id: conv.id });
    expect(afterDelete).toEqual(conv);
    await expectApiError(client.conversations.items.retrieve(ids[1]!, { conversation_id: conv.id }), { status: 404, message: missingItem(ids[1]!) });
    await client.conversations.items.delete(ids[0]!, { conversation_id: conv.id });
    // A cursor naming a deleted item still works: ids are positions.
    const fromDeleted = await client.conversations.items.list(conv.id, { order: 'asc', after: ids[1]! });
    expect(fromDeleted.data.map((i) => i.id)).toEqual([ids[2], ids[3], ids[4], more.data[0]!.id]);
    await expectApiError(client.conversations.items.delete(ids[1]!, { conversation_id: conv.id }), { status: 404, message: missingItem(ids[1]!) });
    expectNoContractViolations();
  });

  it('keeps image and file inputs, reasoning\'s encrypted content only when included', async () => {
    const file = await client.files.create({ file: new File(['hello'], 'note.txt'), purpose: 'assistants' });
    const conv = await client.conversations.create({
      items: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low' },
            { type: 'input_file', file_id: file.id },
          ],
        },
        { type: 'reasoning', id: 'rs_earlier', summary: [], encrypted_content: 'opaque' },
      ],
    });
    const list = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(list.data[0]).toMatchObject({
      content: [
        { type: 'input_text', text: 'Look' },
        { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low', file_id: null },
        { type: 'input_file', file_id: file.id },
      ],
    });
    expect(list.data[1]).not.toHaveProperty('encrypted_content');
    const withSecret = await client.conversations.items.list(conv.id, { order: 'asc', include: ['reasoning.encrypted_content'] });
    expect(withSecret.data[1]).toMatchObject({ type: 'reasoning', encrypted_content: 'opaque' });
    expectNoContractViolations();
  });
});
