// A run's first model request leaves before D1 has answered, built from what the thread object last
// knew (src/durable/run-start-cache.ts, src/durable/model-prefetch.ts; docs/run-lifecycle.md §"Hot
// path"). Whatever that guess holds, the model must see exactly what it would have seen without it:
// the thread as D1 holds it and the assistant as it is now. A stale guess costs one aborted request.
import { describe, expect, it } from 'vitest';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { marker, runFixture } from './run-support.js';

type Sent = { role: string; content: unknown };
const sentMessages = (r: { body?: unknown }) => ((r.body as { messages?: Sent[] })?.messages ?? []).map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
const answerOf = async (v6: Awaited<ReturnType<typeof runFixture>>['v6'], threadId: string) => {
  const list = await v6.beta.threads.messages.list(threadId, { order: 'desc', limit: 1 });
  return (list.data[0]!.content[0] as { text: { value: string } }).text.value;
};

describe('the first model request sent ahead (SDK v6)', () => {
  it('a follow-up run sends one request, with the whole conversation so far', async () => {
    const { v6, assistant } = await runFixture('prefetch-followup');
    const m = marker('prefetch-followup');
    await pushScripts(m, { text: 'First answer.' }, { text: 'Second answer.' });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `one ${m}` }] });
    expect((await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id })).status).toBe('completed');
    await v6.beta.threads.messages.create(thread.id, { role: 'user', content: `two ${m}` });
    const second = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(second.status).toBe('completed');
    expect(await answerOf(v6, thread.id)).toBe('Second answer.');
    const sent = await upstreamRequests(m);
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => !r.aborted)).toBe(true);
    expect(sentMessages(sent[1]!)).toEqual(['system: You are terse.', `user: one ${m}`, 'assistant: First answer.', `user: two ${m}`]);
  });

  // A guessed request that differs is aborted as soon as D1 has answered; it may not even have reached
  // the upstream by then. Either way no request the upstream completed may carry the stale input.
  // (Each request takes a script: both possible requests of the second run get the same one.)
  const second = { text: 'Second answer.', delayMs: 300 };

  it('a message deleted since is never sent, not even in a request that would be aborted', async () => {
    const { v6, assistant } = await runFixture('prefetch-deleted');
    const m = marker('prefetch-deleted');
    await pushScripts(m, { text: 'First answer.' }, second, second);
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `keep ${m}` }] });
    await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const deleted = await v6.beta.threads.messages.create(thread.id, { role: 'user', content: `forget this ${m}` });
    await v6.beta.threads.messages.delete(deleted.id, { thread_id: thread.id });
    await v6.beta.threads.messages.create(thread.id, { role: 'user', content: `and now ${m}` });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    expect(await answerOf(v6, thread.id)).toBe('Second answer.');
    const sent = await upstreamRequests(m);
    // The delete goes through the thread object, which then has no guess to send ahead.
    expect(sent.filter((r) => sentMessages(r).includes(`user: forget this ${m}`))).toEqual([]);
    const completed = sent.filter((r) => !r.aborted);
    expect(completed).toHaveLength(2);
    expect(sentMessages(completed[1]!)).toEqual(['system: You are terse.', `user: keep ${m}`, 'assistant: First answer.', `user: and now ${m}`]);
  });

  it('an assistant updated since: the run is built from it as it is now', async () => {
    const { v6, assistant } = await runFixture('prefetch-updated');
    const m = marker('prefetch-updated');
    await pushScripts(m, { text: 'First answer.' }, second, second);
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `hello ${m}` }] });
    await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    await v6.beta.assistants.update(assistant.id, { instructions: 'You are verbose.', temperature: 0.2 });
    await v6.beta.threads.messages.create(thread.id, { role: 'user', content: `again ${m}` });
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run).toMatchObject({ status: 'completed', instructions: 'You are verbose.', temperature: 0.2 });
    expect(await answerOf(v6, thread.id)).toBe('Second answer.');
    const sent = await upstreamRequests(m);
    const stale = sent.slice(1).filter((r) => sentMessages(r)[0] === 'system: You are terse.');
    expect(stale.every((r) => r.aborted)).toBe(true);
    const completed = sent.filter((r) => !r.aborted);
    expect(completed).toHaveLength(2);
    expect(sentMessages(completed[1]!)[0]).toBe('system: You are verbose.');
    expect((completed[1]!.body as { temperature?: number }).temperature).toBe(0.2);
  });
});
