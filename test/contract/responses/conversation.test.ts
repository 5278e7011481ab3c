// POST /v1/responses with `conversation` (docs/responses.md "Conversation state"): the conversation's
// items go to the model before the input, the response's input and output items are added to it when it
// completes, `conversation: {id}` is echoed; the conversation is locked meanwhile and always released.
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect, expectApiError, missingId } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

async function settled(client: OpenAI, id: string) {
  for (;;) {
    const r = await client.responses.retrieve(id);
    if (r.status !== 'queued' && r.status !== 'in_progress') return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const texts = (items: { type: string; role?: string; content?: unknown }[]) =>
  items.map((i) => [i.role, (i.content as { text: string }[])[0]!.text]);

describe.each(RESPONSE_MAJORS)('responses.create with conversation (SDK %s)', (major) => {
  it('continues a conv_ conversation twice in a row: the second response sees the first one\'s turn', async () => {
    const { client } = await responsesFixture(`resp-conv-${major}`, major);
    const m = marker(`conv-${major}`);
    const conv = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: `My name is Ada. ${m}` }] });
    await pushScripts(m, { text: 'Hello Ada.' }, { text: 'Your name is Ada.' });

    const first = await client.responses.create({ model: MODEL, conversation: conv.id, input: 'Greet me.', instructions: 'Be brief.' });
    expect(first).toMatchObject({ status: 'completed', conversation: { id: conv.id }, instructions: 'Be brief.' });
    const second = await client.responses.create({ model: MODEL, conversation: { id: conv.id }, input: [{ role: 'user', content: 'What is my name?' }] });
    expect(second).toMatchObject({ status: 'completed', conversation: { id: conv.id } });

    const [req1, req2] = await upstreamRequests(m);
    expect(req1!.body.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `My name is Ada. ${m}` }, { role: 'user', content: 'Greet me.' }]);
    // Instructions are not carried over; the first response's input and output are.
    expect(req2!.body.messages).toEqual([
      { role: 'user', content: `My name is Ada. ${m}` }, { role: 'user', content: 'Greet me.' },
      { role: 'assistant', content: 'Hello Ada.' }, { role: 'user', content: 'What is my name?' },
    ]);
    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(texts(items.data as never)).toEqual([
      ['user', `My name is Ada. ${m}`], ['user', 'Greet me.'], ['assistant', 'Hello Ada.'], ['user', 'What is my name?'], ['assistant', 'Your name is Ada.'],
    ]);
    // Each response lists only its own input items.
    expect(texts((await client.responses.inputItems.list(second.id)).data as never)).toEqual([['user', 'What is my name?']]);
    expectNoContractViolations();
  });

  it('adds a function call and its output to the conversation, streams and runs in the background alike', async () => {
    const { client } = await responsesFixture(`resp-conv-fn-${major}`, major);
    const m = marker(`conv-fn-${major}`);
    const conv = await client.conversations.create({});
    const tool = { type: 'function' as const, name: 'lookup', parameters: { type: 'object', properties: {} }, strict: false };
    await pushScripts(m, { toolCalls: [{ name: 'lookup', arguments: '{}', id: 'call_conv1' }] }, { text: 'Found it.' });
    const events = await collect(await client.responses.create({ model: MODEL, conversation: conv.id, tools: [tool], input: `Look it up ${m}`, stream: true }));
    const completed = events.at(-1) as { type: string; response: { conversation?: { id: string } } };
    expect(completed).toMatchObject({ type: 'response.completed', response: { conversation: { id: conv.id } } });

    const queued = await client.responses.create({ model: MODEL, conversation: conv.id, tools: [tool], background: true,
      input: [{ type: 'function_call_output', call_id: 'call_conv1', output: '{"found":true}' }] });
    expect(queued).toMatchObject({ status: 'queued', conversation: { id: conv.id } });
    expect((await settled(client, queued.id)).status).toBe('completed');
    const requests = await upstreamRequests(m);
    expect(requests[1]!.body.messages.map((x: { role: string }) => x.role)).toEqual(['user', 'assistant', 'tool']);
    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(items.data.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(items.data[1]).toMatchObject({ call_id: 'call_conv1', name: 'lookup', arguments: '{}' });
    expect(items.data[2]).toMatchObject({ call_id: 'call_conv1', output: '{"found":true}' });
    expectNoContractViolations();
  });

  it('releases the lock after a failed upstream call (nothing added), refuses a response while another holds it', async () => {
    const { client } = await responsesFixture(`resp-conv-lock-${major}`, major);
    const m = marker(`conv-lock-${major}`);
    const conv = await client.conversations.create({ items: [{ role: 'user', content: `Context ${m}` }] });
    await pushScripts(m, { status: 500, body: { error: { message: 'Upstream broke.', type: 'server_error', param: null, code: null } } }, { text: 'Recovered.' });
    const failed = await client.responses.create({ model: MODEL, conversation: conv.id, input: 'First try' });
    expect(failed).toMatchObject({ status: 'failed', conversation: { id: conv.id } });
    const ok = await client.responses.create({ model: MODEL, conversation: conv.id, input: 'Second try' });
    expect(ok.output_text).toBe('Recovered.');
    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(texts(items.data as never)).toEqual([['user', `Context ${m}`], ['user', 'Second try'], ['assistant', 'Recovered.']]);

    // A background response in progress holds the conversation until it is cancelled.
    await pushScripts(m, { hang: true }, { text: 'After the cancel.' });
    const hanging = await client.responses.create({ model: MODEL, conversation: conv.id, input: 'Hang', background: true });
    await expectApiError(client.responses.create({ model: MODEL, conversation: conv.id, input: 'Too early' }), {
      status: 400, message: `Conversation ${conv.id} already has an active response ${hanging.id}.`,
    });
    await expectApiError(client.conversations.items.create(conv.id, { items: [{ role: 'user', content: 'x' }] }), {
      status: 400, message: `Can't add items to ${conv.id} while a response ${hanging.id} is active.`,
    });
    expect((await client.responses.cancel(hanging.id)).status).toBe('cancelled');
    const after = await client.responses.create({ model: MODEL, conversation: conv.id, input: 'Now' });
    expect(after.output_text).toBe('After the cancel.');
    expect((await client.conversations.items.list(conv.id, { order: 'asc' })).data).toHaveLength(5);
    expectNoContractViolations();
  });

  it('store: false still adds the turn to the conversation; the response itself is not kept', async () => {
    const { client } = await responsesFixture(`resp-conv-nostore-${major}`, major);
    const m = marker(`conv-nostore-${major}`);
    const conv = await client.conversations.create({});
    await pushScripts(m, { text: 'Unstored answer.' });
    const response = await client.responses.create({ model: MODEL, conversation: conv.id, input: `Hi ${m}`, store: false });
    expect(response).toMatchObject({ status: 'completed', store: false, conversation: { id: conv.id } });
    await expectApiError(client.responses.retrieve(response.id), { status: 404 });
    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(texts(items.data as never)).toEqual([['user', `Hi ${m}`], ['assistant', 'Unstored answer.']]);
    expectNoContractViolations();
  });

  it('refuses an unknown or another project\'s conversation (404), with previous_response_id (400), and compaction with a conversation', async () => {
    const { client } = await responsesFixture(`resp-conv-bad-${major}`, major);
    const other = await responsesFixture(`resp-conv-other-${major}`, major);
    const foreign = await other.client.conversations.create({});
    const missing = missingId('conv_');
    for (const id of [missing, foreign.id, 'nope']) {
      await expectApiError(client.responses.create({ model: MODEL, conversation: id, input: 'x' }), { status: 404, message: `Conversation with id '${id}' not found.` });
    }
    await expectApiError(client.responses.create({ model: MODEL, conversation: foreign.id, previous_response_id: 'resp_x', input: 'x' }), {
      status: 400, code: 'mutually_exclusive_parameters', param: 'conversation',
    });
    // An input the conversation cannot hold is refused before the model is called, and the lock is released.
    const conv = await client.conversations.create({});
    await expectApiError(client.responses.create({ model: MODEL, conversation: conv.id, input: [{ role: 'user', content: [{ type: 'input_file', file_data: 'data:text/plain;base64,aGk=', filename: 'a.txt' }] }] }), {
      status: 400, param: 'input[0]',
    });
    await client.conversations.items.create(conv.id, { items: [{ role: 'user', content: 'still writable' }] });
    // Compaction takes no conversation (CompactResponseMethodPublicBody has none): an unknown parameter.
    await expectApiError(client.post('/responses/compact', { body: { model: MODEL, input: 'x', conversation: conv.id } }), {
      status: 400, message: "Unknown parameter: 'conversation'.", param: 'conversation',
    });
    expectNoContractViolations();
  });
});
