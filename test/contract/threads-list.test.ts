// GET /v1/threads (our extension: OpenAI never let an API key list threads) driven through the SDK's own
// cursor pagination (`getAPIList` with CursorPage, as the SDK's list methods do): limit/order/after/
// before, auto-pagination, metadata / created_at / last-assistant filters, project scoping, bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { CursorPage } from 'openai/pagination';
import type { Thread } from 'openai/resources/beta/threads/threads';
import { collect, expectApiError, newProject, type TestProject } from './fixtures.js';

describe('GET /v1/threads', () => {
  let p: TestProject;
  let other: TestProject;
  let made: Thread[];
  const list = (project: TestProject, query: Record<string, unknown> = {}) =>
    project.v6.getAPIList<Thread, CursorPage<Thread>>('/threads', CursorPage<Thread>, { query, headers: { 'OpenAI-Beta': 'assistants=v2' } });

  beforeAll(async () => {
    [p, other] = await Promise.all([newProject('threads-list'), newProject('threads-list-other')]);
    made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await p.v6.beta.threads.create({ metadata: { n: String(i), topic: i % 2 === 0 ? 'even' : 'odd' } }));
    }
    await other.v6.beta.threads.create({ metadata: { topic: 'even' } });
  });

  it('lists the project\'s threads newest first, as thread objects', async () => {
    const page = await list(p);
    expect(page.data.map((t) => t.id)).toEqual([...made].reverse().map((t) => t.id));
    expect(page.data[0]).toEqual(made[4]);
    expect(page.has_more).toBe(false);
  });

  it('paginates with limit/after/before and auto-pagination in both orders', async () => {
    const first = await list(p, { limit: 2, order: 'asc' });
    expect(first.data.map((t) => t.id)).toEqual([made[0]!.id, made[1]!.id]);
    expect(first.has_more).toBe(true);
    const next = await first.getNextPage();
    expect(next.data.map((t) => t.id)).toEqual([made[2]!.id, made[3]!.id]);
    const before = await list(p, { order: 'asc', before: made[3]!.id, limit: 2 });
    expect(before.data.map((t) => t.id)).toEqual([made[1]!.id, made[2]!.id]);
    const all = await collect(list(p, { limit: 2 }));
    expect(all.map((t) => t.id)).toEqual([...made].reverse().map((t) => t.id));
  });

  it('filters by metadata (all pairs must match) and creation time', async () => {
    const even = await list(p, { 'metadata[topic]': 'even' });
    expect(even.data.map((t) => t.metadata)).toEqual([
      { n: '4', topic: 'even' },
      { n: '2', topic: 'even' },
      { n: '0', topic: 'even' },
    ]);
    const both = await list(p, { 'metadata[topic]': 'odd', 'metadata[n]': '3' });
    expect(both.data.map((t) => t.id)).toEqual([made[3]!.id]);
    const none = await list(p, { 'metadata[topic]': 'neither' });
    expect(none.data).toEqual([]);
    const created = made[2]!.created_at;
    const after = await list(p, { created_after: created });
    expect(after.data.every((t) => t.created_at >= created)).toBe(true);
    expect(after.data.map((t) => t.id)).toContain(made[4]!.id);
    const beforeAll = await list(p, { created_before: made[0]!.created_at - 1 });
    expect(beforeAll.data).toEqual([]);
  });

  it('filters by the assistant the thread was last run with', async () => {
    const a = await p.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    const b = await p.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    const run1 = await p.v6.beta.threads.runs.createAndPoll(made[1]!.id, { assistant_id: a.id });
    expect(run1.status).toBe('completed');
    const run2 = await p.v6.beta.threads.runs.createAndPoll(made[3]!.id, { assistant_id: a.id });
    expect(run2.status).toBe('completed');
    const created = await p.v6.beta.threads.createAndRunPoll({ assistant_id: b.id, thread: { metadata: { via: 'createAndRun' } } });
    expect((await list(p, { assistant_id: a.id })).data.map((t) => t.id)).toEqual([made[3]!.id, made[1]!.id]);
    expect((await list(p, { assistant_id: b.id })).data.map((t) => t.id)).toEqual([created.thread_id]);
    // The latest run wins: thread 1 run again with b moves to b's list.
    await p.v6.beta.threads.runs.createAndPoll(made[1]!.id, { assistant_id: b.id });
    expect((await list(p, { assistant_id: a.id })).data.map((t) => t.id)).toEqual([made[3]!.id]);
    // Another project's list and filters never see these threads.
    expect((await list(other, { assistant_id: a.id })).data).toEqual([]);
  });

  it('never shows another project\'s threads', async () => {
    const mine = await collect(list(other));
    expect(mine).toHaveLength(1);
    expect(mine.map((t) => t.id)).not.toContain(made[0]!.id);
  });

  it('rejects malformed queries with OpenAI\'s envelope', async () => {
    await expectApiError(list(p, { limit: 0 }), { status: 400, param: 'limit' });
    await expectApiError(list(p, { limit: 'many' }), { status: 400, param: 'limit' });
    await expectApiError(list(p, { order: 'sideways' }), { status: 400, param: 'order' });
    await expectApiError(list(p, { created_after: 'yesterday' }), { status: 400, param: 'created_after' });
    await expectApiError(list(p, { assistant_id: 'thread_abc' }), { status: 400, param: 'assistant_id' });
    await expectApiError(list(p, { 'metadata[a"b]': 'x' }), { status: 400, param: 'metadata[a"b]' });
  });
});
