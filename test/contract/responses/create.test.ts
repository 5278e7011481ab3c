// POST /v1/responses through the official SDKs (v6, v7): string and item input, function calls continued
// through previous_response_id, text.format, store:false, max_output_tokens; retrieve, delete, input items,
// input tokens (docs/responses.md). Every body is validated against OpenAI's Responses document.
import { describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect, expectApiError } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

describe.each(RESPONSE_MAJORS)('responses.create (SDK %s)', (major) => {
  it('answers a string input with a completed response holding one output_text message and usage', async () => {
    const { client } = await responsesFixture(`resp-string-${major}`, major);
    const m = marker(`string-${major}`);
    await pushScripts(m, { text: 'Hello there.', usage: { prompt_tokens: 12, completion_tokens: 3 } });
    const response = await client.responses.create({
      model: MODEL, input: `Say hello ${m}`, instructions: 'Be brief.', metadata: { k: 'v' },
      user: 'user-1', safety_identifier: 'sid-1', include: ['message.output_text.logprobs'], reasoning: { effort: 'low' },
    });
    expect(response).toMatchObject({
      object: 'response', status: 'completed', model: MODEL, instructions: 'Be brief.', error: null, incomplete_details: null,
      metadata: { k: 'v' }, store: true, background: false, tools: [], tool_choice: 'auto', truncation: 'disabled',
      temperature: 1, top_p: 1, parallel_tool_calls: true, previous_response_id: null,
      user: 'user-1', safety_identifier: 'sid-1', reasoning: { effort: 'low', summary: null }, service_tier: 'default',
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toEqual([{
      type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant',
      content: [{ type: 'output_text', text: 'Hello there.', annotations: [], logprobs: [] }],
    }]);
    expect(response.output_text).toBe('Hello there.');
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } });
    expect(response.completed_at).toBeGreaterThanOrEqual(response.created_at);
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Say hello ${m}` }]);
    expect(upstream!.body.reasoning_effort).toBe('low');

    const again = await client.responses.retrieve(response.id);
    expect(again).toEqual({ ...response, output_text: undefined, ...(again.output_text !== undefined ? { output_text: again.output_text } : {}) });
    const items = await client.responses.inputItems.list(response.id);
    expect(items.data).toEqual([{ id: expect.stringMatching(/^msg_/), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: `Say hello ${m}` }] }]);
    expectNoContractViolations();
  });

  it('calls a function, then continues with its output through previous_response_id (instructions not carried over)', async () => {
    const { client } = await responsesFixture(`resp-fn-${major}`, major);
    const m = marker(`fn-${major}`);
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}', id: 'call_paris1' }], chunkSize: 4, usage: { prompt_tokens: 30, completion_tokens: 8 } },
      { text: 'Sunny in Paris.', usage: { prompt_tokens: 50, completion_tokens: 4 } });
    const first = await client.responses.create({
      model: MODEL, instructions: 'Use tools.', tools: [WEATHER], input: [{ role: 'user', content: `Weather in Paris? ${m}` }],
    });
    expect(first.status).toBe('completed');
    expect(first.tools).toEqual([WEATHER]);
    expect(first.output).toEqual([{ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_paris1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }]);

    const second = await client.responses.create({
      model: MODEL, previous_response_id: first.id, tools: [WEATHER],
      input: [{ type: 'function_call_output', call_id: 'call_paris1', output: '{"sky":"clear"}' }],
    });
    expect(second).toMatchObject({ status: 'completed', previous_response_id: first.id, instructions: null });
    expect(second.output_text).toBe('Sunny in Paris.');
    const requests = await upstreamRequests(m);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER.parameters, strict: true } }]);
    expect(requests[1]!.body.messages).toEqual([
      { role: 'user', content: `Weather in Paris? ${m}` },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_paris1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_paris1', content: '{"sky":"clear"}' },
    ].map((msg) => (msg.content === null ? expect.objectContaining({ role: 'assistant', tool_calls: msg.tool_calls }) : msg)));
    expectNoContractViolations();
  });

  it('passes text.format json_schema as response_format and returns the JSON text', async () => {
    const { client } = await responsesFixture(`resp-json-${major}`, major);
    const m = marker(`json-${major}`);
    await pushScripts(m, { text: '{"answer":42}' });
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false };
    const response = await client.responses.create({
      model: MODEL, input: `The answer? ${m}`, text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } },
    });
    expect(response.text?.format).toEqual({ type: 'json_schema', name: 'answer', schema, strict: true });
    expect(JSON.parse(response.output_text)).toEqual({ answer: 42 });
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
  });

  it('store:false keeps nothing: retrieve answers 404, and it cannot be continued', async () => {
    const { client } = await responsesFixture(`resp-nostore-${major}`, major);
    const m = marker(`nostore-${major}`);
    await pushScripts(m, { text: 'Ephemeral.' });
    const response = await client.responses.create({ model: MODEL, input: `Hi ${m}`, store: false });
    expect(response).toMatchObject({ status: 'completed', store: false });
    await expectApiError(client.responses.retrieve(response.id), { status: 404, message: `Response with id '${response.id}' not found.` });
    await expectApiError(client.responses.create({ model: MODEL, input: 'again', previous_response_id: response.id }), {
      status: 400, code: 'previous_response_not_found', param: 'previous_response_id',
      message: `Previous response with id '${response.id}' not found.`,
    });
  });

  it('max_output_tokens: a cut-off answer is incomplete with reason max_output_tokens', async () => {
    const { client } = await responsesFixture(`resp-max-${major}`, major);
    const m = marker(`max-${major}`);
    await pushScripts(m, { text: 'A long story that', finishReason: 'length' });
    const response = await client.responses.create({ model: MODEL, input: `Tell a story ${m}`, max_output_tokens: 16 });
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 16 });
    expect(response.output[0]).toMatchObject({ type: 'message', status: 'incomplete' });
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.max_completion_tokens ?? upstream!.body.max_tokens).toBe(16);
  });

  it('deletes a response; then it is not found', async () => {
    const { client, raw } = await responsesFixture(`resp-del-${major}`, major);
    const m = marker(`del-${major}`);
    await pushScripts(m, { text: 'Bye.' }, { text: 'Bye again.' });
    const response = await client.responses.create({ model: MODEL, input: `Bye ${m}` });
    await client.responses.delete(response.id);
    await expectApiError(client.responses.retrieve(response.id), { status: 404 });
    // The body as OpenAI's example has it (the document gives the 200 no schema).
    const other = await client.responses.create({ model: MODEL, input: `Bye again ${m}` });
    const res = await raw(`/responses/${other.id}`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ id: other.id, object: 'response', deleted: true });
    await expectApiError(client.responses.retrieve(response.id), { status: 404 });
    await expectApiError(client.responses.delete(response.id), { status: 404 });
  });

  it('lists input items through the pagination helper (newest first by default, auto-paginated)', async () => {
    const { client } = await responsesFixture(`resp-items-${major}`, major);
    const m = marker(`items-${major}`);
    await pushScripts(m, { text: 'Ok.' });
    const input = [
      { role: 'developer' as const, content: 'Rules.' },
      { role: 'user' as const, content: [{ type: 'input_text' as const, text: `One ${m}` }, { type: 'input_image' as const, image_url: 'https://example.test/a.png', detail: 'low' as const }] },
      { role: 'assistant' as const, content: 'Earlier answer.' },
      { role: 'user' as const, content: 'Two' },
    ];
    const response = await client.responses.create({ model: MODEL, input });
    const page = await client.responses.inputItems.list(response.id, { limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(page.has_more).toBe(true);
    const all = await collect(client.responses.inputItems.list(response.id, { limit: 1 }));
    expect(all.map((i) => (i as { role: string }).role)).toEqual(['user', 'assistant', 'user', 'developer']);
    const asc = await collect(client.responses.inputItems.list(response.id, { order: 'asc', limit: 2 }));
    expect(asc.map((i) => i.id)).toEqual([...all].reverse().map((i) => i.id));
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.messages[1].content[1]).toEqual({ type: 'image_url', image_url: { url: 'https://example.test/a.png', detail: 'low' } });
  });

  it('lists input items of several kinds in input order, across pages both ways', async () => {
    const { client } = await responsesFixture(`resp-mixed-${major}`, major);
    const m = marker(`mixed-${major}`);
    await pushScripts(m, { text: 'Sunny, as said.' });
    const input = [
      { role: 'user' as const, content: `Weather in Oslo? ${m}` },
      { type: 'function_call' as const, call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output' as const, call_id: 'call_w1', output: 'sunny' },
      { role: 'assistant' as const, content: 'It is sunny.' },
      { role: 'user' as const, content: 'Thanks. Repeat it.' },
    ];
    const response = await client.responses.create({ model: MODEL, input, tools: [WEATHER] });
    const kind = (i: { type: string; role?: string }) => (i.type === 'message' ? i.role! : i.type);
    const expected = ['user', 'function_call', 'function_call_output', 'assistant', 'user'];
    const asc = await collect(client.responses.inputItems.list(response.id, { order: 'asc', limit: 2 }));
    expect(asc.map(kind)).toEqual(expected);
    const desc = await collect(client.responses.inputItems.list(response.id, { limit: 2 }));
    expect(desc.map(kind)).toEqual([...expected].reverse());
    expect(desc.map((i) => i.id)).toEqual(asc.map((i) => i.id).reverse());
  });

  it('sends an uploaded image (input_image file_id) to the model as a data URL', async () => {
    const { client } = await responsesFixture(`resp-img-${major}`, major);
    const m = marker(`img-${major}`);
    await pushScripts(m, { text: 'A pixel.' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8b1f50000000049454e44ae426082', 'hex');
    const file = await client.files.create({ file: await toFile(png, 'pixel.png'), purpose: 'vision' });
    await client.responses.create({
      model: MODEL,
      input: [{ role: 'user', content: [{ type: 'input_text', text: `What is it? ${m}` }, { type: 'input_image', file_id: file.id, detail: 'low' }] }],
    });
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.messages[0].content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}`, detail: 'low' } });
  });

  it('sends an uploaded image of several MB (over one storage row) to the model whole', async () => {
    const { client } = await responsesFixture(`resp-bigimg-${major}`, major);
    const m = marker(`bigimg-${major}`);
    await pushScripts(m, { text: 'A big picture.' });
    // 3 MB of bytes behind a PNG signature: its data URL (4 MB) is more than a SQLite row holds (2 MB).
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    Buffer.from('89504e470d0a1a0a', 'hex').copy(big);
    const file = await client.files.create({ file: await toFile(big, 'big.png'), purpose: 'vision' });
    const response = await client.responses.create({
      model: MODEL,
      input: [{ role: 'user', content: [{ type: 'input_text', text: `What is it? ${m}` }, { type: 'input_image', file_id: file.id, detail: 'low' }] }],
    });
    expect(response.status).toBe('completed');
    const [upstream] = await upstreamRequests(m);
    expect(upstream!.body.messages[0].content[1].image_url.url).toBe(`data:image/png;base64,${big.toString('base64')}`);
  });

  it('counts the response\'s model call in the project\'s usage, under its key', async () => {
    const { client, key, raw } = await responsesFixture(`resp-usage-${major}`, major);
    const m = marker(`usage-${major}`);
    const start_time = Math.floor(Date.now() / 1000) - 60;
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], usage: { prompt_tokens: 40, completion_tokens: 7 } });
    await client.responses.create({ model: MODEL, input: `Weather? ${m}`, tools: [WEATHER] });
    type Page = { data: { results: { input_tokens: number; output_tokens: number; num_model_requests: number; api_key_id?: string | null }[] }[] };
    const page = (await (await raw(`/organization/usage/completions?start_time=${start_time}&end_time=${start_time + 3600}&bucket_width=1d&group_by=api_key_id`)).json()) as Page;
    expect(page.data.flatMap((b) => b.results), JSON.stringify(page)).toEqual([expect.objectContaining({ api_key_id: key.keyId, input_tokens: 40, output_tokens: 7, num_model_requests: 1 })]);
  });

  it('counts input tokens', async () => {
    const { client } = await responsesFixture(`resp-tokens-${major}`, major);
    const short = await client.responses.inputTokens.count({ model: MODEL, input: 'Hi' });
    const long = await client.responses.inputTokens.count({ model: MODEL, input: 'Hi '.repeat(400), tools: [WEATHER] });
    expect(short).toEqual({ object: 'response.input_tokens', input_tokens: expect.any(Number) });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
  });
});
