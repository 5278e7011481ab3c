// previous_response_id chains run in one object (docs/responses.md "Chains"): the responses of a chain
// share the chain key in their ids, a continuation's context is the chain as its object holds it (the
// same walk as D1's: oldest first, each link's input then output, a deleted link ends it), and several
// responses of one chain run side by side. Through the official SDK, every body validated.
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect, expectApiError } from '../fixtures.js';
import { MODEL, marker, responsesFixture } from './support.js';

type Message = { role: string; content: unknown };

/** The texts the model was sent by the one upstream request carrying `m`. */
async function sentTexts(m: string): Promise<string[]> {
  const requests = await upstreamRequests(m);
  expect(requests).toHaveLength(1);
  return ((requests[0]!.body as { messages: Message[] }).messages).map((msg) => `${msg.role}: ${String(msg.content)}`);
}

async function settled(client: OpenAI, id: string) {
  for (;;) {
    const r = await client.responses.retrieve(id);
    if (r.status !== 'queued' && r.status !== 'in_progress') return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const chainKey = (id: string) => id.slice(-20);

describe('previous_response_id chains (SDK v7)', () => {
  it('continues in the chain: ids share its key, and each branch sees only its own links', async () => {
    const { client } = await responsesFixture('resp-chain-branch', 'v7');
    const [ma, mb, mc, md] = ['chain-a', 'chain-b', 'chain-c', 'chain-d'].map(marker) as [string, string, string, string];
    await pushScripts(ma, { text: 'A.' });
    const a = await client.responses.create({ model: MODEL, instructions: 'Be brief.', input: `first ${ma}` });
    await pushScripts(mb, { text: 'B.' });
    await pushScripts(mc, { text: 'C.' });
    // Two continuations of the same response at once: two branches of one chain, run by one object.
    const [b, c] = await Promise.all([
      client.responses.create({ model: MODEL, previous_response_id: a.id, input: `second ${mb}` }),
      client.responses.create({ model: MODEL, previous_response_id: a.id, input: `other ${mc}`, instructions: 'Be kind.' }),
    ]);
    await pushScripts(md, { text: 'D.' });
    const d = await client.responses.create({ model: MODEL, previous_response_id: b.id, input: `third ${md}`, stream: false });

    for (const r of [a, b, c, d]) expect(r.id).toMatch(/^resp_[0-9A-Za-z]{44}$/);
    expect(new Set([a, b, c, d].map((r) => chainKey(r.id))).size).toBe(1);
    expect(new Set([a, b, c, d].map((r) => r.id)).size).toBe(4);
    expect([b, c, d].map((r) => r.previous_response_id)).toEqual([a.id, a.id, b.id]);
    expect([a, b, c, d].map((r) => r.output_text)).toEqual(['A.', 'B.', 'C.', 'D.']);
    // Instructions are the request's own, never carried over (OpenAI); the chain's items are.
    expect(await sentTexts(mc)).toEqual(['system: Be kind.', `user: first ${ma}`, 'assistant: A.', `user: other ${mc}`]);
    expect(await sentTexts(md)).toEqual([`user: first ${ma}`, 'assistant: A.', `user: second ${mb}`, 'assistant: B.', `user: third ${md}`]);
    expectNoContractViolations();
  });

  it('starts the context after a deleted link, refuses to continue the deleted one, and keeps projects apart', async () => {
    const { client } = await responsesFixture('resp-chain-deleted', 'v7');
    const other = await responsesFixture('resp-chain-other', 'v7');
    const [ma, mb, mc, md] = ['chdel-a', 'chdel-b', 'chdel-c', 'chdel-d'].map(marker) as [string, string, string, string];
    await pushScripts(ma, { text: 'A.' });
    const a = await client.responses.create({ model: MODEL, input: `one ${ma}` });
    await pushScripts(mb, { text: 'B.' });
    const b = await client.responses.create({ model: MODEL, previous_response_id: a.id, input: `two ${mb}` });
    await pushScripts(mc, { text: 'C.' });
    const c = await client.responses.create({ model: MODEL, previous_response_id: b.id, input: `three ${mc}` });
    await client.responses.delete(b.id);

    await pushScripts(md, { text: 'D.' });
    const d = await client.responses.create({ model: MODEL, previous_response_id: c.id, input: `four ${md}` });
    expect(d.output_text).toBe('D.');
    expect(await sentTexts(md)).toEqual([`user: three ${mc}`, 'assistant: C.', `user: four ${md}`]);
    await expectApiError(client.responses.create({ model: MODEL, previous_response_id: b.id, input: 'x' }), {
      status: 400, code: 'previous_response_not_found', param: 'previous_response_id', message: `Previous response with id '${b.id}' not found.`,
    });
    // Another project holding the id finds nothing, and leaves nothing in the chain.
    await expectApiError(other.client.responses.create({ model: MODEL, previous_response_id: c.id, input: 'x' }), { status: 400, code: 'previous_response_not_found' });
    await expectApiError(other.client.responses.retrieve(c.id), { status: 404 });
    // A function call output with no call in the chain is refused by the chain's object as the route would.
    await expectApiError(client.responses.create({ model: MODEL, previous_response_id: c.id, input: [{ type: 'function_call_output', call_id: 'call_nowhere', output: '1' }] }), {
      status: 400, param: 'input', message: 'No tool call found for function call output with call_id call_nowhere.',
    });
    expectNoContractViolations();
  });

  it('runs responses of one chain side by side: one cancelled mid-answer, the other completes, each replays its own events', async () => {
    const { client } = await responsesFixture('resp-chain-parallel', 'v7');
    const [ma, mslow, mfast] = ['chpar-a', 'chpar-slow', 'chpar-fast'].map(marker) as [string, string, string];
    await pushScripts(ma, { text: 'Root.' });
    const a = await client.responses.create({ model: MODEL, input: `root ${ma}` });
    // The slow answer trickles (a chunk each 400 ms, never idle long enough to be abandoned) while the
    // fast one completes beside it.
    await pushScripts(mslow, { text: 'A slow answer, two letters at a time.', chunkSize: 2, chunkDelayMs: 400 });
    await pushScripts(mfast, { text: 'Quick answer.', chunkSize: 4 });
    const slow = await client.responses.create({ model: MODEL, previous_response_id: a.id, input: `slow ${mslow}`, background: true });
    const fast = await client.responses.create({ model: MODEL, previous_response_id: a.id, input: `fast ${mfast}`, background: true });
    expect(chainKey(slow.id)).toBe(chainKey(fast.id));

    const done = await settled(client, fast.id);
    expect(done).toMatchObject({ status: 'completed', output_text: 'Quick answer.' });
    expect((await upstreamRequests(mslow)).length).toBe(1);
    const cancelled = await client.responses.cancel(slow.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await client.responses.retrieve(fast.id)).status).toBe('completed');

    const fastEvents = await collect(await client.responses.retrieve(fast.id, { stream: true }));
    expect(fastEvents.map((e) => e.sequence_number)).toEqual(fastEvents.map((_, i) => i));
    expect(fastEvents.at(-1)!.type).toBe('response.completed');
    const ids = fastEvents.flatMap((e) => ('response' in e ? [e.response.id] : []));
    expect(new Set(ids)).toEqual(new Set([fast.id]));
    // The cancelled one keeps what it had streamed (OpenAI: a cancelled stream has no final event of its own).
    const slowAfter = await client.responses.retrieve(slow.id);
    expect(slowAfter.status).toBe('cancelled');
    await expectNoStreamErrors();
  });
});
