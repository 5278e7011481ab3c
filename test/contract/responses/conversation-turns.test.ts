// Conversation turns run in the conversation's object, which sends a turn's model request ahead from
// the history it last knew and adopts it only if the thread object's real history builds the same
// request (docs/responses.md "Conversation turns"): a fresh guess costs one upstream request, a stale
// one is aborted and the turn answers from the real history, a refused turn aborts it.
import { describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError } from '../fixtures.js';
import { MODEL, marker, responsesFixture } from './support.js';

type Sent = { body: { messages: { role: string; content: unknown }[] }; aborted?: boolean };
const said = (r: Sent) => r.body.messages.map((x) => `${x.role}: ${String(x.content)}`);

/** Waits until every upstream request carrying `m` has ended (an aborted one is recorded as such). */
async function requestsOf(m: string, count: number): Promise<Sent[]> {
  for (let i = 0; ; i++) {
    const requests = (await upstreamRequests(m)) as unknown as Sent[];
    if (requests.length >= count || i > 100) return requests;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A project, an empty conversation and its first turn (answered `One.`): its object now knows the history. */
async function afterOneTurn(name: string, m1: string) {
  const { client } = await responsesFixture(name, 'v7');
  const conv = await client.conversations.create({});
  await pushScripts(m1, { text: 'One.' });
  await client.responses.create({ model: MODEL, conversation: conv.id, input: `first ${m1}` });
  return { client, conv };
}

describe('conversation turns in the conversation\'s object (SDK v7)', () => {
  it('runs every turn of a conversation in one object; a later turn costs one upstream request', async () => {
    const { client } = await responsesFixture('resp-turns-fresh', 'v7');
    const [m1, m2] = ['turns-1', 'turns-2'].map(marker) as [string, string];
    const conv = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'Earlier.' }] });
    await pushScripts(m1, { text: 'One.' });
    const first = await client.responses.create({ model: MODEL, conversation: conv.id, input: `first ${m1}` });
    await pushScripts(m2, { text: 'Two.' });
    const second = await client.responses.create({ model: MODEL, conversation: conv.id, input: `second ${m2}` });
    expect([first.output_text, second.output_text]).toEqual(['One.', 'Two.']);
    expect(first.id.slice(-20)).toBe(second.id.slice(-20));
    const sent = await requestsOf(m2, 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.aborted).toBeFalsy();
    expect(said(sent[0]!)).toEqual(['user: Earlier.', `user: first ${m1}`, 'assistant: One.', `user: second ${m2}`]);
    expectNoContractViolations();
  });

  it('answers from the real history when the guess is stale (an item added through the Conversations API)', async () => {
    const [m1, m2, added] = ['stale-1', 'stale-2', 'stale-added'].map(marker) as [string, string, string];
    const { client, conv } = await afterOneTurn('resp-turns-stale', m1);
    await client.conversations.items.create(conv.id, { items: [{ type: 'message', role: 'user', content: `Added meanwhile ${added}` }] });
    // Only a request that carries the added item gets the real answer; the guess (sent ahead from the
    // history the object knew) would get the other one, and is aborted, perhaps before it arrives.
    await pushScripts(added, { text: 'From the real history.' });
    await pushScripts(m2, { text: 'From the guess.', delayMs: 1000 });
    const second = await client.responses.create({ model: MODEL, conversation: conv.id, input: `second ${m2}` });
    expect(second.output_text).toBe('From the real history.');
    const answered = (await upstreamRequests(added)) as unknown as Sent[];
    expect(answered).toHaveLength(1);
    expect(said(answered[0]!)).toEqual([`user: first ${m1}`, 'assistant: One.', `user: Added meanwhile ${added}`, `user: second ${m2}`]);
    // Any other request of this turn is the guess, aborted.
    const guesses = ((await upstreamRequests(m2)) as unknown as Sent[]).filter((r) => !said(r).includes(`user: Added meanwhile ${added}`));
    expect(guesses.length).toBeLessThanOrEqual(1);
    for (const guess of guesses) expect(said(guess)).toEqual([`user: first ${m1}`, 'assistant: One.', `user: second ${m2}`]);
    const items = await client.conversations.items.list(conv.id, { order: 'asc' });
    expect(items.data.map((i) => (i as { content: { text: string }[] }).content[0]!.text)).toEqual([`first ${m1}`, 'One.', `Added meanwhile ${added}`, `second ${m2}`, 'From the real history.']);
  });

  it('never answers a refused turn (another response holds the conversation) from its guess', async () => {
    const [m1, m2, m3] = ['refused-1', 'refused-2', 'refused-3'].map(marker) as [string, string, string];
    const { client, conv } = await afterOneTurn('resp-turns-refused', m1);
    await pushScripts(m2, { text: 'A slow answer, a little at a time.', chunkSize: 2, chunkDelayMs: 300 });
    const holding = await client.responses.create({ model: MODEL, conversation: conv.id, input: `second ${m2}`, background: true });
    await requestsOf(m2, 1);
    await pushScripts(m3, { text: 'Never used.', delayMs: 500 });
    await expectApiError(client.responses.create({ model: MODEL, conversation: conv.id, input: `third ${m3}` }), {
      status: 400, message: `Conversation ${conv.id} already has an active response ${holding.id}.`,
    });
    // The guess, if it reached the upstream before it was aborted, was aborted.
    await new Promise((resolve) => setTimeout(resolve, 700));
    for (const r of (await upstreamRequests(m3)) as unknown as Sent[]) expect(r.aborted).toBe(true);
    await client.responses.cancel(holding.id);
  });
});
