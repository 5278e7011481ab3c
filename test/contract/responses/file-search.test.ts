// file_search in the Responses API (docs/responses.md "Hosted tools"), with SDK v6 and v7, on vector stores
// created through the SDK. The scripted model first calls the `file_search` function with `{queries}`, then
// answers citing the marker 【0:0†aurora.txt】 it was shown. Checked: the tool offered upstream and the
// passages sent back under markers; the `file_search_call` item (queries, status, results only with
// `include: ["file_search_call.results"]`); the `file_citation` annotation; the echoed tool; the stream
// events of the call (`response.file_search_call.in_progress` / `searching` / `completed`) through
// `create({stream: true})` and `responses.stream()`. Every body and event is validated against the document.
import { afterAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type OpenAI from 'openai';
import type { ResponseFileSearchToolCall, ResponseOutputMessage, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

afterAll(() => expectNoContractViolations());

const AURORA = 'Project Aurora launches on 14 March 2031 from the Kourou spaceport aboard a Vega-C rocket.';
const FILLER = 'Miscellaneous memo: the cafeteria on floor 3 is closed for repairs until further notice.';
const ANSWER = 'Aurora launches on 14 March 2031 【0:0†aurora.txt】 from Kourou.';

/** A vector store with aurora.txt and a filler file, both indexed; the file ids by name. */
async function storeWithDocs(client: OpenAI, attributes?: Record<string, string>) {
  const store = await client.vectorStores.create({ name: 'kb' });
  const ids: Record<string, string> = {};
  for (const [name, text] of [['aurora.txt', AURORA], ['memo.txt', FILLER]] as const) {
    const file = await client.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'assistants' });
    const vsFile = await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id, ...(attributes ? { attributes } : {}) }, { pollIntervalMs: 50 });
    expect(vsFile.status).toBe('completed');
    ids[name] = file.id;
  }
  return { store, ids };
}

const script = (m: string, answer = ANSWER) =>
  pushScripts(m, { toolCalls: [{ name: 'file_search', arguments: JSON.stringify({ queries: ['Aurora launch date'] }), id: 'call_fs1' }], usage: { prompt_tokens: 20, completion_tokens: 5 } }, { text: answer, usage: { prompt_tokens: 50, completion_tokens: 12 } });

const fsItem = (r: { output: unknown[] }) => r.output[0] as ResponseFileSearchToolCall;
const message = (r: { output: unknown[] }) => r.output[1] as ResponseOutputMessage;

describe.each(RESPONSE_MAJORS)('file_search in responses (SDK %s)', (major) => {
  it('create: the model searches the stores, reads passages under markers, and its citation becomes a file_citation', async () => {
    const { client } = await responsesFixture(`resp-fs-${major}`, major);
    const { store, ids } = await storeWithDocs(client);
    const m = marker(`resp-fs-${major}`);
    await script(m);
    const response = await client.responses.create({
      model: MODEL,
      input: `When does Aurora launch? ${m}`,
      tools: [{ type: 'file_search', vector_store_ids: [store.id], max_num_results: 3 }],
      include: ['file_search_call.results'],
    });
    expect(response.status).toBe('completed');
    expect(response.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    const call = fsItem(response);
    expect(call).toMatchObject({ type: 'file_search_call', status: 'completed', queries: ['Aurora launch date'] });
    expect(call.id).toMatch(/^fs_/);
    expect(call.results!.length).toBeGreaterThan(0);
    expect(call.results!.length).toBeLessThanOrEqual(3);
    expect(call.results![0]).toMatchObject({ file_id: ids['aurora.txt'], filename: 'aurora.txt', text: AURORA });
    expect(typeof call.results![0]!.score).toBe('number');
    const text = message(response).content[0] as { text: string; annotations: unknown[] };
    expect(text.text).toBe(ANSWER);
    expect(text.annotations).toEqual([{ type: 'file_citation', file_id: ids['aurora.txt'], filename: 'aurora.txt', index: ANSWER.indexOf('【') }]);
    expect(response.output_text).toBe(ANSWER);
    // The tool echoed with OpenAI's defaults; the usage of both model calls.
    expect(response.tools).toEqual([{ type: 'file_search', vector_store_ids: [store.id], max_num_results: 3, filters: null, ranking_options: { ranker: 'auto', score_threshold: 0 } }]);
    expect(response.usage).toMatchObject({ input_tokens: 70, output_tokens: 17, total_tokens: 87 });

    // Upstream: the tool offered as a function; the passages back in a role:"tool" message under markers.
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    const offered = (reqs[0]!.body.tools as { function: { name: string; parameters: any } }[]).find((t) => t.function.name === 'file_search');
    expect(offered?.function.parameters.properties.queries.type).toBe('array');
    const callMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'assistant' && x.tool_calls);
    expect(callMsg.tool_calls[0]).toMatchObject({ id: 'call_fs1', function: { name: 'file_search' } });
    const toolMsg = reqs[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg.tool_call_id).toBe('call_fs1');
    expect(toolMsg.content).toContain('【0:0†aurora.txt】');
    expect(toolMsg.content).toContain('14 March 2031');

    // Stored: retrieve returns the same output.
    const again = await client.responses.retrieve(response.id);
    expect(again.output).toEqual(response.output);
  });

  it('without include the call has no results; an attribute filter that matches nothing finds nothing', async () => {
    const { client } = await responsesFixture(`resp-fs-noinc-${major}`, major);
    const { store } = await storeWithDocs(client, { team: 'space' });
    const m = marker(`resp-fs-noinc-${major}`);
    await script(m);
    const plain = await client.responses.create({ model: MODEL, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }] });
    expect(fsItem(plain)).toMatchObject({ status: 'completed', queries: ['Aurora launch date'], results: null });
    expect((message(plain).content[0] as { annotations: unknown[] }).annotations).toHaveLength(1);

    const m2 = marker(`resp-fs-filter-${major}`);
    await script(m2, 'Nothing found.');
    const filtered = await client.responses.create({
      model: MODEL,
      input: `Aurora? ${m2}`,
      tools: [{ type: 'file_search', vector_store_ids: [store.id], filters: { type: 'eq', key: 'team', value: 'cafeteria' } }],
      include: ['file_search_call.results'],
    });
    expect(fsItem(filtered).results).toEqual([]);
    const toolMsg = (await upstreamRequests(m2))[1]!.body.messages.find((x: any) => x.role === 'tool');
    expect(toolMsg.content).toBe('No relevant passages were found in the provided files.');
  });

  it('create({stream: true}): the call\'s events between output_item.added and output_item.done, then the cited answer', async () => {
    const { client } = await responsesFixture(`resp-fs-stream-${major}`, major);
    const { store, ids } = await storeWithDocs(client);
    const m = marker(`resp-fs-stream-${major}`);
    await script(m);
    const events = await collect(await client.responses.create({ model: MODEL, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }], stream: true }));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 7)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added',
      'response.file_search_call.in_progress', 'response.file_search_call.searching', 'response.file_search_call.completed',
      'response.output_item.done',
    ]);
    expect(types.slice(7, 9)).toEqual(['response.output_item.added', 'response.content_part.added']);
    expect(types.at(-1)).toBe('response.completed');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const added = events[2] as Extract<ResponseStreamEvent, { type: 'response.output_item.added' }>;
    expect(added.item).toMatchObject({ type: 'file_search_call', status: 'in_progress', queries: ['Aurora launch date'] });
    const searching = events[4] as Extract<ResponseStreamEvent, { type: 'response.file_search_call.searching' }>;
    expect(searching).toMatchObject({ output_index: 0, item_id: added.item.id });
    const done = events[6] as Extract<ResponseStreamEvent, { type: 'response.output_item.done' }>;
    expect(done.item).toMatchObject({ id: added.item.id, type: 'file_search_call', status: 'completed', results: null });
    const partDone = events.find((e) => e.type === 'response.content_part.done') as Extract<ResponseStreamEvent, { type: 'response.content_part.done' }>;
    expect(partDone.part).toMatchObject({ text: ANSWER, annotations: [{ type: 'file_citation', file_id: ids['aurora.txt'], filename: 'aurora.txt', index: ANSWER.indexOf('【') }] });
    await expectNoStreamErrors();
  });

  it('the responses.stream() helper: the final response has the call and the cited answer', async () => {
    const { client } = await responsesFixture(`resp-fs-helper-${major}`, major);
    const { store, ids } = await storeWithDocs(client);
    const m = marker(`resp-fs-helper-${major}`);
    await script(m);
    const stream = client.responses.stream({ model: MODEL, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }], include: ['file_search_call.results'] });
    const seen: string[] = [];
    stream.on('response.file_search_call.searching', (e) => seen.push(e.type));
    stream.on('response.file_search_call.completed', (e) => seen.push(e.type));
    const final = await stream.finalResponse();
    expect(seen).toEqual(['response.file_search_call.searching', 'response.file_search_call.completed']);
    expect(final.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    expect(fsItem(final).results![0]).toMatchObject({ file_id: ids['aurora.txt'], filename: 'aurora.txt' });
    expect(final.output_text).toBe(ANSWER);
    expect((message(final).content[0] as { annotations: unknown[] }).annotations).toEqual([{ type: 'file_citation', file_id: ids['aurora.txt'], filename: 'aurora.txt', index: ANSWER.indexOf('【') }]);
    await expectNoStreamErrors();
  });

  it('a turn calling file_search and a client function: the search is answered and the function call is the client\'s', async () => {
    const { client } = await responsesFixture(`resp-fs-mixed-${major}`, major);
    const { store } = await storeWithDocs(client);
    const m = marker(`resp-fs-mixed-${major}`);
    await pushScripts(m, { toolCalls: [{ name: 'file_search', arguments: '{"queries":["Aurora"]}', id: 'call_fs' }, { name: 'lookup', arguments: '{"q":"x"}', id: 'call_lookup' }] });
    const response = await client.responses.create({
      model: MODEL,
      input: `Aurora? ${m}`,
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }, { type: 'file_search', vector_store_ids: [store.id] }],
    });
    expect(response.status).toBe('completed');
    expect(response.output.map((o) => [o.type, (o as { status?: string }).status])).toEqual([['function_call', 'completed'], ['file_search_call', 'completed']]);
    expect(response.output[0]).toMatchObject({ call_id: 'call_lookup', name: 'lookup' });
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('tool_choice {type: "file_search"} forces the search once, then lets the model answer', async () => {
    const { client } = await responsesFixture(`resp-fs-choice-${major}`, major);
    const { store } = await storeWithDocs(client);
    const m = marker(`resp-fs-choice-${major}`);
    await script(m);
    const response = await client.responses.create({ model: MODEL, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }], tool_choice: { type: 'file_search' } });
    expect(response.tool_choice).toEqual({ type: 'file_search' });
    expect(response.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    const reqs = await upstreamRequests(m);
    expect(reqs.map((r) => r.body.tool_choice)).toEqual([{ type: 'function', function: { name: 'file_search' } }, 'auto']);
  });

  it('a file_search tool without vector_store_ids, or with another project\'s store, is a 400', async () => {
    const { client } = await responsesFixture(`resp-fs-bad-${major}`, major);
    await expect(client.responses.create({ model: MODEL, input: 'x', tools: [{ type: 'file_search' } as never] })).rejects.toMatchObject({ status: 400 });
    // Another project's store (or none) is refused before the model is called.
    const other = await responsesFixture(`resp-fs-bad-other-${major}`, major);
    const foreign = await other.client.vectorStores.create({ name: 'theirs' });
    const err = await client.responses.create({ model: MODEL, input: 'x', tools: [{ type: 'file_search', vector_store_ids: [foreign.id] }] }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, param: 'tools[0].vector_store_ids', error: { message: `Vector store with id '${foreign.id}' not found.` } });
  });
});

describe.each(RESPONSE_MAJORS)('file_search responses continued (SDK %s)', (major) => {
  it('the output (the call and the cited answer) replayed as input, and through previous_response_id', async () => {
    const { client } = await responsesFixture(`resp-fs-cont-${major}`, major);
    const { store } = await storeWithDocs(client);
    const m = marker(`resp-fs-cont-${major}`);
    await script(m);
    const first = await client.responses.create({ model: MODEL, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }] });
    await pushScripts(m, { text: 'You are welcome.' }, { text: 'Again welcome.' });
    const replayed = await client.responses.create({ model: MODEL, input: [{ role: 'user', content: `Aurora? ${m}` }, ...(first.output as never[]), { role: 'user', content: 'Thanks!' }] });
    expect(replayed.output_text).toBe('You are welcome.');
    const items = await client.responses.inputItems.list(replayed.id, { order: 'asc' });
    // Listed by id (ids sort by prefix first: a pre-existing trait of input_items with mixed item types).
    expect(items.data.map((i) => i.type).sort()).toEqual(['file_search_call', 'message', 'message', 'message']);
    const replayedCall = items.data.find((i) => i.type === 'file_search_call')!;
    expect(replayedCall).toMatchObject({ queries: ['Aurora launch date'], status: 'completed' });
    expect(replayedCall.id).not.toBe(first.output[0]!.id);
    const chained = await client.responses.create({ model: MODEL, previous_response_id: first.id, input: 'Thanks again!' });
    expect(chained.output_text).toBe('Again welcome.');
    // The model reads the cited answer (the search call itself is not sent on, as for runs' calls).
    const reqs = await upstreamRequests(m);
    for (const req of reqs.slice(2)) {
      expect(req.body.messages.some((x: any) => x.role === 'assistant' && x.content === ANSWER)).toBe(true);
      expect(req.body.messages.some((x: any) => x.role === 'tool')).toBe(false);
    }
  });

  it('on a conversation: the answer is added to it after the response', async () => {
    const { client } = await responsesFixture(`resp-fs-conv-${major}`, major);
    const { store } = await storeWithDocs(client);
    const conversation = await client.conversations.create({});
    const m = marker(`resp-fs-conv-${major}`);
    await script(m);
    const response = await client.responses.create({ model: MODEL, conversation: conversation.id, input: `Aurora? ${m}`, tools: [{ type: 'file_search', vector_store_ids: [store.id] }] });
    expect(response.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    const items = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data.map((i) => i.type)).toEqual(['message', 'message']);
    const answer = items.data[1] as { role: string; content: { text: string }[] };
    expect(answer.role).toBe('assistant');
    expect(answer.content[0]!.text).toBe(ANSWER);
  });
});
