// A conversation goes through the thread export and import like any thread (docs/export-format.md):
// its non-message items and its messages' own roles travel in the document, an import with new ids
// keeps the one order of messages and items, and deleting the conversation deletes its items (a
// restore with the same ids is then possible).
import { describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectApiError, newProject } from '../fixtures.js';
import { missingConversation } from './support.js';

describe('conversation export and import', () => {
  it('exports items and roles, imports them in order with new or kept ids, and deletion takes the items along', async () => {
    const p = await newProject('conv-export');
    const conv = await p.v6.conversations.create({
      metadata: { k: 'v' },
      items: [
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: 'Weather?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'reasoning', id: 'rs_earlier', summary: [], encrypted_content: 'opaque' },
        { type: 'message', id: 'msg_earlier', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }] },
      ],
    });
    const before = await p.v6.conversations.items.list(conv.id, { order: 'asc', include: ['reasoning.encrypted_content'] });

    const doc = (await p.v6.get(`/threads/${conv.id}/export`)) as Record<string, unknown> & { messages: { role: string }[]; conversation_items: { item: { id: string } }[] };
    expect(doc.messages.map((m) => m.role)).toEqual(['developer', 'user', 'assistant']);
    expect(doc.conversation_items.map((i) => i.item)).toEqual([before.data[2], before.data[3], before.data[4]]);

    const fresh = (await p.v6.post('/threads/import', { body: doc })) as { thread: { id: string }; id_mapping: Record<string, string>; counts: Record<string, number> };
    expect(fresh.thread.id).toMatch(/^conv_/);
    expect(fresh.counts).toEqual({ messages: 3, runs: 0, run_steps: 0, conversation_items: 3 });
    const copied = await p.v6.conversations.items.list(fresh.thread.id, { order: 'asc', include: ['reasoning.encrypted_content'] });
    expect(copied.data).toEqual(before.data.map((item) => ({ ...item, id: fresh.id_mapping[item.id!] })));

    expect(await p.v6.conversations.delete(conv.id)).toMatchObject({ deleted: true });
    await expectApiError(p.v6.conversations.items.list(conv.id), { status: 404, message: missingConversation(conv.id) });
    // Every id is free again, items included: a restore keeps them all.
    const restored = (await p.v6.post('/threads/import', { body: doc, query: { ids: 'keep' } })) as { thread: { id: string } };
    expect(restored.thread.id).toBe(conv.id);
    expect((await p.v6.conversations.items.list(conv.id, { order: 'asc', include: ['reasoning.encrypted_content'] })).data).toEqual(before.data);
    expectNoContractViolations();
  });
});
