// Responses streams (docs/responses.md "Events"): OpenAI's semantic events in its order with consecutive
// sequence_numbers, through `create({stream: true})` and the SDK's `responses.stream()` helper. Every event
// is validated against ResponseStreamEvent of OpenAI's document (test/support/clients.ts).
import { describe, expect, it } from 'vitest';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { collect } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

const TEXT_EVENTS = [
  'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
  'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta',
  'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
];

describe.each(RESPONSE_MAJORS)('responses streaming (SDK %s)', (major) => {
  it('create({stream: true}) sends the text events in OpenAI\'s order, numbered from 0', async () => {
    const { client } = await responsesFixture(`resp-stream-${major}`, major);
    const m = marker(`stream-${major}`);
    await pushScripts(m, { text: 'Hello world!', chunkSize: 4, usage: { prompt_tokens: 9, completion_tokens: 3 } });
    const events = await collect(await client.responses.create({ model: MODEL, input: `Hi ${m}`, stream: true }));
    expect(events.map((e) => e.type)).toEqual(TEXT_EVENTS);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e): e is Extract<ResponseStreamEvent, { type: 'response.output_text.delta' }> => e.type === 'response.output_text.delta');
    expect(deltas.map((d) => d.delta).join('')).toBe('Hello world!');
    const created = events[0] as Extract<ResponseStreamEvent, { type: 'response.created' }>;
    expect(created.response).toMatchObject({ status: 'in_progress', output: [] });
    const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>;
    expect(completed.response).toMatchObject({ id: created.response.id, status: 'completed', usage: { input_tokens: 9, output_tokens: 3 } });
    expect(await client.responses.retrieve(created.response.id)).toMatchObject({ status: 'completed', output: completed.response.output });
    await expectNoStreamErrors();
  });

  it('the responses.stream() helper: text deltas, function call arguments, and the final response', async () => {
    const { client } = await responsesFixture(`resp-helper-${major}`, major);
    const m = marker(`helper-${major}`);
    await pushScripts(m, { text: 'Let me check.', toolCalls: [{ name: 'lookup', arguments: '{"q":"paris"}', id: 'call_look1' }], chunkSize: 5 });
    const stream = client.responses.stream({
      model: MODEL, input: `Look up ${m}`,
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }],
    });
    const text: string[] = [];
    const args: string[] = [];
    stream.on('response.output_text.delta', (e) => text.push(e.delta));
    stream.on('response.function_call_arguments.delta', (e) => args.push(e.delta));
    const final = await stream.finalResponse();
    expect(text.join('')).toBe('Let me check.');
    expect(args.join('')).toBe('{"q":"paris"}');
    expect(final.output.map((o) => o.type)).toEqual(['message', 'function_call']);
    expect(final.output[1]).toMatchObject({ call_id: 'call_look1', name: 'lookup', arguments: '{"q":"paris"}', status: 'completed' });
    await expectNoStreamErrors();
  });

  it('an upstream failure ends the stream with response.failed and the error', async () => {
    const { client } = await responsesFixture(`resp-fail-${major}`, major);
    const m = marker(`fail-${major}`);
    await pushScripts(m, { status: 400, body: { error: { message: 'Bad prompt upstream.', type: 'invalid_request_error', param: null, code: null } } });
    const events = await collect(await client.responses.create({ model: MODEL, input: `Fail ${m}`, stream: true }));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    const failed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.failed' }>;
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error).toEqual({ code: expect.any(String), message: expect.stringMatching(/\S/) });
    expect(await client.responses.retrieve(failed.response.id)).toMatchObject({ status: 'failed', error: failed.response.error });
    await expectNoStreamErrors();
  });
});
