// client.beta.assistants.list: cursor pagination as the SDK drives it (docs/openai-behaviour.md §3). Each SDK major gets
// its own project holding exactly the assistants created here, most of them in the same second, so that the
// order has to come from a stable tiebreaker and cursors have to be total.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from 'openai/resources/beta/assistants';
import { collect, MAJORS, newProject, type Sdk, type TestProject } from './fixtures.js';

const PARALLEL = 25; // > 20 = one default page
const SEQUENTIAL = 3;
const TOTAL = PARALLEL + SEQUENTIAL;

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe.each(MAJORS)('listing assistants (SDK %s)', (major) => {
  let p: TestProject;
  let sdk: Sdk;
  let parallel: Assistant[];
  let sequential: Assistant[];
  /** The reference order: one page of everything, default order (desc). */
  let desc: string[];

  beforeAll(async () => {
    p = await newProject(`assistants-list-${major}`);
    sdk = p.sdk[major];
    parallel = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => sdk.assistants.create({ model: 'gpt-4o', name: `bulk ${i}` })));
    sequential = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await sdk.assistants.create({ model: 'gpt-4o', name: `seq ${i}` }));
    desc = ids((await sdk.assistants.list({ limit: 100 })).data);
  });

  it('the bulk really shares created_at seconds (precondition for the tiebreaker checks)', () => {
    const seconds = new Set(parallel.map((a) => a.created_at));
    expect(seconds.size).toBeLessThan(PARALLEL);
  });

  it('one page of 100 holds every assistant exactly once, sorted by created_at desc', async () => {
    expect(desc).toHaveLength(TOTAL);
    expect(new Set(desc).size).toBe(TOTAL);
    expect(new Set(desc)).toEqual(new Set(ids([...parallel, ...sequential])));
    const page = await sdk.assistants.list({ limit: 100 });
    const created = page.data.map((a) => a.created_at);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(page.has_more).toBe(false);
  });

  it('newest first by default: the last ones created are data[0..]', async () => {
    expect(desc.slice(0, SEQUENTIAL)).toEqual(ids(sequential).reverse());
  });

  it('the default page is 20 items, order desc, has_more true', async () => {
    const page = await sdk.assistants.list();
    expect(ids(page.data)).toEqual(desc.slice(0, 20));
    expect(page.has_more).toBe(true);
  });

  it('the order is stable: listing again gives the same sequence', async () => {
    expect(ids((await sdk.assistants.list({ limit: 100 })).data)).toEqual(desc);
    expect(ids((await sdk.assistants.list({ limit: 100, order: 'desc' })).data)).toEqual(desc);
  });

  it("order 'asc' is the exact reverse", async () => {
    const asc = ids((await sdk.assistants.list({ limit: 100, order: 'asc' })).data);
    expect(asc).toEqual([...desc].reverse());
  });

  it.each([1, 4, 7, 20])('for await auto-pagination with limit %i yields everything once, in order', async (limit) => {
    const seen = ids(await collect(sdk.assistants.list({ limit })));
    expect(seen).toEqual(desc);
  });

  it('for await auto-pagination in asc order', async () => {
    const seen = ids(await collect(sdk.assistants.list({ limit: 6, order: 'asc' })));
    expect(seen).toEqual([...desc].reverse());
  });

  it('has_more is exact at the boundary', async () => {
    expect((await sdk.assistants.list({ limit: TOTAL })).has_more).toBe(false);
    expect((await sdk.assistants.list({ limit: TOTAL - 1 })).has_more).toBe(true);
    expect((await sdk.assistants.list({ limit: 10, after: desc[TOTAL - 11] })).has_more).toBe(false);
    expect((await sdk.assistants.list({ limit: 10, after: desc[TOTAL - 12] })).has_more).toBe(true);
  });

  it('after=<id> returns the items that follow it in the requested order', async () => {
    const after = await sdk.assistants.list({ limit: 5, after: desc[9] });
    expect(ids(after.data)).toEqual(desc.slice(10, 15));
    const asc = [...desc].reverse();
    const afterAsc = await sdk.assistants.list({ limit: 5, order: 'asc', after: asc[3] });
    expect(ids(afterAsc.data)).toEqual(asc.slice(4, 9));
  });

  it('before=<id> returns the items immediately before it, still in the requested order', async () => {
    const before = await sdk.assistants.list({ limit: 3, before: desc[10] });
    expect(ids(before.data)).toEqual(desc.slice(7, 10));
    const asc = [...desc].reverse();
    const beforeAsc = await sdk.assistants.list({ limit: 3, order: 'asc', before: asc[10] });
    expect(ids(beforeAsc.data)).toEqual(asc.slice(7, 10));
  });

  it('after and before together bound a window', async () => {
    const page = await sdk.assistants.list({ limit: 100, after: desc[2], before: desc[8] });
    expect(ids(page.data)).toEqual(desc.slice(3, 8));
  });

  it('after the last item: an empty page with null cursors and has_more false', async () => {
    const res = await p.raw(`/assistants?after=${desc[TOTAL - 1]}`, { headers: { 'openai-beta': 'assistants=v2' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  it('the wire envelope: object list, first_id/last_id = ids of data[0] and data[-1]', async () => {
    const res = await p.raw('/assistants?limit=4&order=asc', { headers: { 'openai-beta': 'assistants=v2' } });
    const body = (await res.json()) as { object: string; data: { id: string }[]; first_id: string; last_id: string; has_more: boolean };
    const asc = [...desc].reverse();
    expect(body).toMatchObject({ object: 'list', first_id: asc[0], last_id: asc[3], has_more: true });
    expect(ids(body.data)).toEqual(asc.slice(0, 4));
  });

  it('a project with no assistants lists an empty page', async () => {
    const empty = await newProject(`assistants-empty-${major}`);
    const page = await empty.sdk[major].assistants.list();
    expect(page.data).toEqual([]);
    expect(page.has_more).toBe(false);
    expect(await collect(empty.sdk[major].assistants.list())).toEqual([]);
    const res = await empty.raw('/assistants', { headers: { 'openai-beta': 'assistants=v2' } });
    expect(await res.json()).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });
});
