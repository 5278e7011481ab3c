// The file_search tool in runs, with both SDK majors (docs/openai-behaviour.md §2.4, §2.6, §5, §6.5). The scripted model
// first calls the `file_search` function with `{queries}`, then answers citing the passage marker
// 【0:0†<filename>】 it was shown. Checked: what goes upstream (the tool offered; passages under markers in a
// role:"tool" message), the run step (a `file_search` tool call with ranking_options and results, `content` only
// with include[]), the `file_citation` annotation spanning exactly the marker, the assistant's own
// max_num_results / score_threshold, a thread store from a message attachment, and the same run streamed.
import { afterAll, describe, expect, it } from 'vitest';
import type { Message, TextContentBlock } from 'openai/resources/beta/threads/messages';
import type { RunStep } from 'openai/resources/beta/threads/runs/steps';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { runsApi } from '../runs/majors.js';
import { marker } from '../runs/run-support.js';
import { MAJORS, vsFixture, type Doc, type Major } from './vs-support.js';

const INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content' as const;
const AURORA: Doc = { name: 'aurora.txt', content: 'Project Aurora launches on 14 March 2031 from the Kourou spaceport aboard a Vega-C rocket.' };
const FILLER: Doc[] = Array.from({ length: 4 }, (_, i) => ({ name: `misc-${i}.txt`, content: `Miscellaneous memo ${i}: the cafeteria on floor ${i} is closed for repairs.` }));

afterAll(() => expectNoContractViolations());

type FsCall = { id: string; type: string; file_search: { ranking_options?: { ranker: string; score_threshold: number }; results?: { file_id: string; file_name: string; score: number; content?: { type: string; text: string }[] }[] } };
const toolCalls = (s: RunStep) => (s.step_details.type === 'tool_calls' ? (s.step_details.tool_calls as unknown as FsCall[]) : []);
const textOf = (m: Message) => (m.content[0] as TextContentBlock).text;

async function setup(label: string, major: Major, tool: Record<string, unknown> = { type: 'file_search' }, docs: Doc[] = [AURORA]) {
  const fx = await vsFixture(`fsr-${label}-${major}`);
  const vs = fx.api(major);
  const store = await vs.create({ name: 'kb' });
  const batch = await vs.batches.uploadAndPoll(store.id, docs);
  expect(batch.file_counts.completed).toBe(docs.length);
  const files = await vs.batches.listFiles(store.id, batch.id);
  const names = await Promise.all(files.data.map((f) => fx.v6.files.retrieve(f.id)));
  const idOf = Object.fromEntries(names.map((f) => [f.filename, f.id]));
  const assistant = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [tool as never], tool_resources: { file_search: { vector_store_ids: [store.id] } } });
  const api = runsApi(fx, major);
  const steps = {
    list: async (t: string, r: string, include?: boolean): Promise<RunStep[]> => {
      const q = { order: 'asc' as const, ...(include ? { include: [INCLUDE] } : {}) };
      return major === 'v6' ? (await fx.v6.beta.threads.runs.steps.list(r, { thread_id: t, ...q })).data : ((await fx.v4.beta.threads.runs.steps.list(t, r, q)).data as never);
    },
    retrieve: async (t: string, r: string, s: string, include?: boolean): Promise<RunStep> => {
      const q = include ? { include: [INCLUDE] } : {};
      return major === 'v6' ? fx.v6.beta.threads.runs.steps.retrieve(s, { thread_id: t, run_id: r, ...q }) : (fx.v4.beta.threads.runs.steps.retrieve(t, r, s, q) as never);
    },
  };
  return { fx, vs, store, idOf, assistant, api, steps };
}

const script = (m: string, query: string, answer: string) =>
  pushScripts(m, { toolCalls: [{ name: 'file_search', arguments: JSON.stringify({ queries: [query] }) }] }, { text: answer });

describe.each(MAJORS)('file_search in runs (SDK %s)', (major) => {
  it('createAndPoll: the model searches, reads passages under markers, and its citation becomes a file_citation', async () => {
    const { store, idOf, assistant, api, steps } = await setup('poll', major);
    const m = marker(`fsr-poll-${major}`);
    const answer = 'Aurora launches on 14 March 2031 【0:0†aurora.txt】 from Kourou.';
    await script(m, 'Aurora launch date', answer);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `When does Aurora launch? ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    expect(run.tools.map((t) => t.type)).toEqual(['file_search']);

    // Upstream: the tool offered as a function; the passages back in a role:"tool" message under markers.
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const offered = (reqs[0]!.body.tools as { type: string; function: { name: string; parameters: any } }[]).find((t) => t.function.name === 'file_search');
    expect(offered?.function.parameters.properties.queries.type).toBe('array');
    const callMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'assistant' && x.tool_calls);
    const toolMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg.tool_call_id).toBe(callMsg.tool_calls[0].id);
    expect(toolMsg.content).toContain('【0:0†aurora.txt】');
    expect(toolMsg.content).toContain('14 March 2031');

    // Steps: the file_search call, then the message.
    const list = await steps.list(thread.id, run.id);
    expect(list.map((s) => s.type)).toEqual(['tool_calls', 'message_creation']);
    const [toolStep, msgStep] = list;
    expect(toolStep).toMatchObject({ status: 'completed', run_id: run.id, thread_id: thread.id, assistant_id: assistant.id, last_error: null });
    const calls = toolCalls(toolStep!);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.id).toMatch(/^call_[A-Za-z0-9]+$/);
    expect(call.type).toBe('file_search');
    expect(call.file_search.ranking_options).toEqual({ ranker: expect.any(String), score_threshold: 0 });
    const results = call.file_search.results!;
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]).toEqual({ file_id: idOf['aurora.txt'], file_name: 'aurora.txt', score: expect.any(Number) });
    for (const r of results) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r).not.toHaveProperty('content');
    }
    expect(await steps.retrieve(thread.id, run.id, toolStep!.id)).toEqual(toolStep);

    // include[] adds each result's content, on list and retrieve.
    const included = toolCalls((await steps.list(thread.id, run.id, true))[0]!)[0]!.file_search.results!;
    expect(included[0]!.content).toEqual([{ type: 'text', text: expect.stringContaining('Kourou spaceport') }]);
    const one = toolCalls(await steps.retrieve(thread.id, run.id, toolStep!.id, true))[0]!.file_search.results!;
    expect(one.map(({ content: _c, ...rest }) => rest)).toEqual(results);
    expect(one[0]!.content![0]!.text).toContain('14 March 2031');

    // The answer keeps the marker; the annotation spans exactly it and names the cited file.
    const msgId = msgStep!.step_details.type === 'message_creation' ? msgStep!.step_details.message_creation.message_id : '';
    const msg = await api.retrieveMessage(thread.id, msgId);
    const text = textOf(msg);
    expect(text.value).toBe(answer);
    expect(text.annotations).toEqual([
      { type: 'file_citation', text: '【0:0†aurora.txt】', start_index: answer.indexOf('【'), end_index: answer.indexOf('】') + 1, file_citation: { file_id: idOf['aurora.txt'] } },
    ]);
    const a = text.annotations[0]!;
    expect(text.value.slice(a.start_index, a.end_index)).toBe(a.text);
    expect((await api.listMessages(thread.id, { run_id: run.id })).data[0]).toEqual(msg);
    expect(store.id).toMatch(/^vs_/);
  });

  it('runs.stream: the same run streamed; finalMessages() carries the annotation; no stream errors', async () => {
    const { idOf, assistant, api } = await setup('stream', major);
    const m = marker(`fsr-stream-${major}`);
    const answer = 'It launches from Kourou 【0:0†aurora.txt】.';
    await script(m, 'Aurora launch site', answer);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Where does Aurora launch from? ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id, include: [INCLUDE] });
    const created: string[] = [];
    const doneSteps: RunStep[] = [];
    stream.on('toolCallCreated', (tc) => void created.push(tc.type));
    stream.on('runStepDone', (s) => void doneSteps.push(s as RunStep));
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    const [msg] = await stream.finalMessages();
    const text = textOf(msg!);
    expect(text.value).toBe(answer);
    expect(text.annotations).toHaveLength(1);
    const a = text.annotations[0]!;
    expect(a).toMatchObject({ type: 'file_citation', text: '【0:0†aurora.txt】', file_citation: { file_id: idOf['aurora.txt'] } });
    expect(text.value.slice(a.start_index, a.end_index)).toBe(a.text);
    expect(created).toEqual(['file_search']);
    const toolStep = doneSteps.find((s) => s.type === 'tool_calls')!;
    expect(toolCalls(toolStep)[0]!.file_search.results![0]).toMatchObject({ file_id: idOf['aurora.txt'], file_name: 'aurora.txt' });
    await expectNoStreamErrors();
    const stored = textOf((await api.listMessages(thread.id, { run_id: run.id })).data[0]!);
    expect(stored.annotations).toEqual([{ type: 'file_citation', text: a.text, start_index: a.start_index, end_index: a.end_index, file_citation: { file_id: idOf['aurora.txt'] } }]);
  });

  it("the assistant's max_num_results and ranking_options shape the step's results", async () => {
    const tool = { type: 'file_search', file_search: { max_num_results: 2, ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0.3 } } };
    const { assistant, api, steps } = await setup('options', major, tool, [AURORA, ...FILLER]);
    const m = marker(`fsr-opts-${major}`);
    await script(m, 'cafeteria memo repairs floor', 'Several cafeterias are closed.');
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Which cafeterias are closed? ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    const call = toolCalls((await steps.list(thread.id, run.id))[0]!)[0]!;
    expect(call.file_search.ranking_options).toEqual({ ranker: 'default_2024_08_21', score_threshold: 0.3 });
    expect(call.file_search.results!.length).toBeGreaterThan(0);
    expect(call.file_search.results!.length).toBeLessThanOrEqual(2);
    for (const r of call.file_search.results!) expect(r.score).toBeGreaterThanOrEqual(0.3);
    // No citation marker in the answer: no annotations.
    const msg = (await api.listMessages(thread.id, { run_id: run.id })).data[0]!;
    expect(textOf(msg).annotations).toEqual([]);
  });

  it('a file attached to the message is searched through the thread store and cited', async () => {
    const fx = await vsFixture(`fsr-attach-${major}`);
    const file = await fx.api(major).uploadFile({ name: 'menu.txt', content: 'On Fridays the Brackwater canteen serves smoked eel with rhubarb.' });
    const assistant = await fx.v6.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }] });
    const api = runsApi(fx, major);
    const m = marker(`fsr-attach-${major}`);
    await script(m, 'Friday canteen dish', 'Smoked eel with rhubarb 【0:0†menu.txt】.');
    const thread = await api.createThread({
      messages: [{ role: 'user', content: `What is served on Fridays? ${m}`, attachments: [{ file_id: file.id, tools: [{ type: 'file_search' }] }] }],
    });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    const text = textOf((await api.listMessages(thread.id, { run_id: run.id })).data[0]!);
    expect(text.annotations).toEqual([expect.objectContaining({ type: 'file_citation', text: '【0:0†menu.txt】', file_citation: { file_id: file.id } })]);
  });

  it('a marker that names no retrieved passage stays plain text (no annotation)', async () => {
    const { assistant, api } = await setup('stray', major);
    const m = marker(`fsr-stray-${major}`);
    const answer = 'Maybe 【7:3†nowhere.txt】 says so.';
    await script(m, 'Aurora', answer);
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Tell me about Aurora ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run.status).toBe('completed');
    const text = textOf((await api.listMessages(thread.id, { run_id: run.id })).data[0]!);
    expect(text.value).toBe(answer);
    expect(text.annotations).toEqual([]);
  });
});
