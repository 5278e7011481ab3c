// The thread object's conversation methods the Responses API uses (docs/conversations.md §5), over
// RPC as a route or the Responses side calls them: appendConversationItems with a response id,
// conversationHistory oldest first, and the response lock (begin/end) against items from anyone else.
import { describe, expect, it } from 'vitest';
import { runInDurableObject } from 'cloudflare:test';
import type { ThreadObject } from '../../src/durable/thread-object';
import { api, threadStub } from './support';

const PROJECT = 'proj_default';

describe('conversation methods of the thread object', () => {
  it('appends a response\'s items under its lock, refuses others meanwhile, and reads the history in order', async () => {
    const conv = await api('POST', '/conversations', { items: [{ role: 'user', content: 'Hi' }] });
    expect(conv.status).toBe(200);
    const id = conv.body.id as string;
    const stub = threadStub(id);

    // The lock comes with the history the response starts from (one object call).
    const begun = await stub.beginConversationResponse(PROJECT, id, 'resp_A');
    expect(begun).toMatchObject({ ok: true, value: { locked: true, history: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }] } });
    const second = await stub.beginConversationResponse(PROJECT, id, 'resp_B');
    expect(second).toMatchObject({ ok: false, error: { status: 400, message: `Conversation ${id} already has an active response resp_A.` } });
    const refused = await api('POST', `/conversations/${id}/items`, { items: [{ role: 'user', content: 'meanwhile' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(`Can't add items to ${id} while a response resp_A is active.`);
    // The threads API sees the same lock: no message, no run while the response holds the conversation.
    const message = await api('POST', `/threads/${id}/messages`, { role: 'user', content: 'meanwhile' });
    expect(message.status).toBe(400);
    expect(message.body.error.message).toBe(`Can't add messages to ${id} while a response resp_A is active.`);
    const assistant = await api('POST', '/assistants', { model: 'gpt-4o-mini' });
    const run = await api('POST', `/threads/${id}/runs`, { assistant_id: assistant.body.id });
    expect(run.status).toBe(400);
    expect(run.body.error.message).toBe(`Thread ${id} already has an active response resp_A.`);

    const appended = await stub.appendConversationItems(PROJECT, id, [
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
    ], 'resp_A');
    expect(appended.ok).toBe(true);
    await stub.endConversationResponse(PROJECT, id, 'resp_A');

    const after = await api('POST', `/conversations/${id}/items`, { items: [{ role: 'user', content: 'Thanks' }] });
    expect(after.status).toBe(200);
    const history = (await stub.conversationHistory(PROJECT, id)) as { ok: boolean; value?: { type: string; role?: string }[] };
    expect(history.ok).toBe(true);
    expect(history.value!.map((i) => [i.type, i.role ?? null])).toEqual([
      ['message', 'user'], ['function_call', null], ['function_call_output', null], ['message', 'assistant'], ['message', 'user'],
    ]);
    // Another project sees nothing.
    expect(await stub.conversationHistory('proj_other', id)).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('a response lock that was never released expires: its holder cannot keep the conversation locked', async () => {
    const conv = await api('POST', '/conversations', {});
    const id = conv.body.id as string;
    const stub = threadStub(id);
    expect((await stub.beginConversationResponse(PROJECT, id, 'resp_lost')).ok).toBe(true);
    expect((await api('POST', `/conversations/${id}/items`, { items: [{ role: 'user', content: 'x' }] })).status).toBe(400);
    // The holder's object is gone and never calls endConversationResponse: let the lock's expiry pass.
    await runInDurableObject(stub, async (_o: ThreadObject, state) => {
      state.storage.sql.exec('UPDATE conversation_response_locks SET expires_at = ? WHERE response_id = ?', Date.now() - 1, 'resp_lost');
    });
    expect((await api('POST', `/conversations/${id}/items`, { items: [{ role: 'user', content: 'x' }] })).status).toBe(200);
    expect((await stub.beginConversationResponse(PROJECT, id, 'resp_next')).ok).toBe(true);
  });
});
