// file_search in runs, the harder cases (both SDK majors): several searches in one run (markers numbered per
// search: 【0:n】 for the first, 【1:n】 for the second, in one turn or across turns), the assistant's and the
// thread's stores searched together, a run started while its store is still indexing, createAndRun with an
// inline vector store, and a streamed step without include[] carrying no result content.
import { afterAll, describe, expect, it } from 'vitest';
import type { TextContentBlock } from 'openai/resources/beta/threads/messages';
import type { RunStep } from 'openai/resources/beta/threads/runs/steps';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { runsApi } from '../runs/majors.js';
import { marker } from '../runs/run-support.js';
import { MAJORS, vsFixture, type Major } from './vs-support.js';

const OWLS = { name: 'owls.txt', content: 'The snowy owls of Kessel Moor nest on granite ledges and lay exactly five eggs.' };
const BEES = { name: 'bees.txt', content: 'The hives of Orla Valley produce violet honey from heather, about 9 kilos per hive.' };

afterAll(() => expectNoContractViolations());

type FsResults = { file_id: string; file_name: string; content?: unknown }[];
const calls = (s: RunStep) => (s.step_details.type === 'tool_calls' ? (s.step_details.tool_calls as unknown as { type: string; file_search: { results: FsResults } }[]) : []);
const search = (q: string) => ({ name: 'file_search', arguments: JSON.stringify({ queries: [q] }) });

async function setup(label: string, major: Major) {
  const fx = await vsFixture(`fsm-${label}-${major}`);
  const vs = fx.api(major);
  const [owls, bees] = await Promise.all([vs.uploadFile(OWLS), vs.uploadFile(BEES)]);
  const api = runsApi(fx, major);
  const listSteps = async (t: string, r: string) =>
    major === 'v6' ? (await fx.v6.beta.threads.runs.steps.list(r, { thread_id: t, order: 'asc' })).data : ((await fx.v4.beta.threads.runs.steps.list(t, r, { order: 'asc' })).data as unknown as RunStep[]);
  const finalText = async (t: string, runId: string) => ((await api.listMessages(t, { run_id: runId })).data[0]!.content[0] as TextContentBlock).text;
  return { fx, vs, owls, bees, api, listSteps, finalText };
}

describe.each(MAJORS)('file_search, several searches and stores (SDK %s)', (major) => {
  it('two searches in one turn: one step with two calls; 【1:0】 cites the second search', async () => {
    const { fx, vs, owls, bees, api, listSteps, finalText } = await setup('parallel', major);
    const store = await vs.create({ file_ids: [owls.id, bees.id] });
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    const m = marker(`fsm-par-${major}`);
    const answer = 'Owls lay five eggs 【0:0†owls.txt】; hives give 9 kilos 【1:0†bees.txt】.';
    await pushScripts(m, { toolCalls: [search('snowy owl eggs Kessel'), search('violet honey hive kilos Orla')] }, { text: answer });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Owls and bees? ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: asst.id });
    expect(run.status).toBe('completed');

    const steps = await listSteps(thread.id, run.id);
    expect(steps.map((s) => s.type)).toEqual(['tool_calls', 'message_creation']);
    const [first, second] = calls(steps[0]!);
    expect([first!.type, second!.type]).toEqual(['file_search', 'file_search']);
    expect(first!.file_search.results[0]!.file_id).toBe(owls.id);
    expect(second!.file_search.results[0]!.file_id).toBe(bees.id);

    const toolMsgs = (await upstreamRequests(m))[1]!.body.messages.filter((x: any) => x.role === 'tool');
    expect(toolMsgs).toHaveLength(2);
    expect(toolMsgs[0].content).toContain('【0:0†owls.txt】');
    expect(toolMsgs[1].content).toContain('【1:0†bees.txt】');

    const text = await finalText(thread.id, run.id);
    expect(text.annotations.map((a) => [a.text, a.type === 'file_citation' ? a.file_citation.file_id : null])).toEqual([
      ['【0:0†owls.txt】', owls.id],
      ['【1:0†bees.txt】', bees.id],
    ]);
    for (const a of text.annotations) expect(text.value.slice(a.start_index, a.end_index)).toBe(a.text);
  });

  it("searches in two turns: two tool steps; the assistant's and the thread's stores are both searched", async () => {
    const { fx, vs, owls, bees, api, listSteps, finalText } = await setup('turns', major);
    const mine = await vs.create({ file_ids: [owls.id] });
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [mine.id] } } });
    const m = marker(`fsm-turns-${major}`);
    await pushScripts(m, { toolCalls: [search('snowy owl eggs')] }, { toolCalls: [search('violet honey hives')] }, { text: 'Five eggs 【0:0†owls.txt】 and violet honey 【1:0†bees.txt】.' });
    // The thread's own store comes from the attachment.
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Owls, then bees. ${m}`, attachments: [{ file_id: bees.id, tools: [{ type: 'file_search' }] }] }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: asst.id });
    expect(run.status).toBe('completed');
    const steps = await listSteps(thread.id, run.id);
    expect(steps.map((s) => s.type)).toEqual(['tool_calls', 'tool_calls', 'message_creation']);
    expect(calls(steps[0]!)[0]!.file_search.results[0]!.file_id).toBe(owls.id);
    expect(calls(steps[1]!)[0]!.file_search.results[0]!.file_id).toBe(bees.id);
    const text = await finalText(thread.id, run.id);
    expect(text.annotations.map((a) => (a.type === 'file_citation' ? a.file_citation.file_id : null))).toEqual([owls.id, bees.id]);
  });

  it('a run started while its store is still indexing searches the finished index', async () => {
    const { fx, vs, owls, api, finalText } = await setup('indexing', major);
    const store = await vs.create({});
    await vs.files.create(store.id, { file_id: owls.id }); // not polled: the run starts right away
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    const m = marker(`fsm-idx-${major}`);
    await pushScripts(m, { toolCalls: [search('owl eggs')] }, { text: 'Five 【0:0†owls.txt】.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `How many eggs? ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: asst.id });
    expect(run.status).toBe('completed');
    const toolMsg = (await upstreamRequests(m))[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg.content).toContain('exactly five eggs');
    expect((await finalText(thread.id, run.id)).annotations).toHaveLength(1);
  });

  it('createAndRun with tool_resources.file_search.vector_stores: a new store, searched by the run', async () => {
    const { fx, bees, api, finalText } = await setup('car', major);
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }] });
    const m = marker(`fsm-car-${major}`);
    await pushScripts(m, { toolCalls: [search('violet honey')] }, { text: 'Violet 【0:0†bees.txt】.' });
    const run = await api.createAndRunPoll({
      assistant_id: asst.id,
      thread: { messages: [{ role: 'user', content: `Honey colour? ${m}` }], tool_resources: { file_search: { vector_stores: [{ file_ids: [bees.id] }] } } },
    });
    expect(run.status).toBe('completed');
    const text = await finalText(run.thread_id, run.id);
    expect(text.annotations).toEqual([expect.objectContaining({ type: 'file_citation', file_citation: { file_id: bees.id } })]);
  });

  it('streamed without include[]: the completed tool step carries results without content', async () => {
    const { fx, vs, owls, api } = await setup('stream', major);
    const store = await vs.create({ file_ids: [owls.id] });
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    await vs.files.poll(store.id, owls.id);
    const m = marker(`fsm-stream-${major}`);
    await pushScripts(m, { toolCalls: [search('owls')] }, { text: 'Granite ledges 【0:0†owls.txt】.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Where do owls nest? ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: asst.id });
    const done: RunStep[] = [];
    stream.on('runStepDone', (s) => void done.push(s as RunStep));
    expect((await stream.finalRun()).status).toBe('completed');
    await expectNoStreamErrors();
    const results = calls(done.find((s) => s.type === 'tool_calls')!)[0]!.file_search.results;
    expect(results[0]).toMatchObject({ file_id: owls.id, file_name: 'owls.txt' });
    for (const r of results) expect(r).not.toHaveProperty('content');
  });

  it('a run that searches a store makes it active: last_active_at and expires_at move forward', async () => {
    const { fx, vs, owls, api } = await setup('active', major);
    const store = await vs.create({ file_ids: [owls.id], expires_after: { anchor: 'last_active_at', days: 1 } });
    await vs.files.poll(store.id, owls.id);
    const before = await vs.retrieve(store.id);
    const asst = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    await new Promise((r) => setTimeout(r, 1_100)); // timestamps are whole seconds
    const m = marker(`fsm-active-${major}`);
    await pushScripts(m, { toolCalls: [search('owls')] }, { text: 'Ledges.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Owls? ${m}` }] });
    expect((await api.createAndPoll(thread.id, { assistant_id: asst.id })).status).toBe('completed');
    // OpenAI: a store is active when it was last part of a run (docs/openai-behaviour.md §2.7, expires_after anchor).
    const after = await vs.retrieve(store.id);
    expect(after.last_active_at!).toBeGreaterThan(before.last_active_at!);
    expect(after.expires_at).toBe(after.last_active_at! + 86_400);
  });
});
