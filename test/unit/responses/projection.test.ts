import { describe, expect, it } from 'vitest';
import type { ResponseCreateParams } from '../../../src/contract/responses';
import { ResponseProjection } from '../../../src/domain/responses/projection';
import { initialResponse } from '../../../src/domain/responses/request';
import type { ChatChunk } from '../../../src/domain/ports';
import type { ResponseStreamEvent } from '../../../src/domain/responses/types';
import { validateResponseStreamEvent, validateSchema } from '../../support/openapi';

function projection(params: Partial<ResponseCreateParams> = {}) {
  let n = 0;
  const response = initialResponse({ model: 'gpt-test', ...params }, { id: 'resp_1', createdAt: 1_700_000_000, status: 'in_progress' });
  return new ResponseProjection(response, { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` });
}

function run(p: ResponseProjection, chunks: ChatChunk[]): ResponseStreamEvent[] {
  return [...p.start(), ...chunks.flatMap((c) => p.push(c)), ...p.finish(1_700_000_005)];
}

function expectValid(events: ResponseStreamEvent[]): void {
  for (const e of events) expect(validateResponseStreamEvent(e.type, e), e.type).toEqual([]);
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
}

describe('ResponseProjection', () => {
  it('projects text into one message item with OpenAI\'s event order, numbered from 0', () => {
    const p = projection();
    const events = run(p, [
      { type: 'text', delta: 'Hel' }, { type: 'text', delta: 'lo' },
      { type: 'usage', promptTokens: 7, completionTokens: 2 }, { type: 'finish', reason: 'stop' },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done',
      'response.output_item.done', 'response.completed',
    ]);
    expectValid(events);
    const done = events.at(-1)!.response as typeof p.response;
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBe(1_700_000_005);
    expect(done.output).toEqual([{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }] }]);
    expect(done.usage).toMatchObject({ input_tokens: 7, output_tokens: 2, total_tokens: 9 });
    expect(validateSchema('Response', done, 'responses')).toEqual([]);
    // The created snapshot is not mutated by later events.
    expect((events[0]!.response as typeof p.response).output).toEqual([]);
  });

  it('projects parallel tool calls into one function_call item each', () => {
    const p = projection({ tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] });
    const events = run(p, [
      { type: 'text', delta: 'Checking.' },
      { type: 'tool_call', index: 0, id: 'call_a', name: 'get_weather', argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'get_weather', argumentsDelta: '{"city":"Oslo"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expectValid(events);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'response.output_item.added')).toHaveLength(3);
    expect(types.filter((t) => t === 'response.function_call_arguments.done')).toHaveLength(2);
    const out = p.response.output;
    expect(out.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call']);
    expect(out[1]).toMatchObject({ call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' });
    expect(out[2]).toMatchObject({ call_id: 'call_b', arguments: '{"city":"Oslo"}' });
    expect(validateSchema('Response', p.response, 'responses')).toEqual([]);
  });

  it('ends incomplete with max_output_tokens when the model is cut off', () => {
    const p = projection({ max_output_tokens: 16 });
    const events = run(p, [{ type: 'text', delta: 'Long' }, { type: 'finish', reason: 'length' }]);
    expectValid(events);
    expect(events.at(-1)!.type).toBe('response.incomplete');
    expect(p.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null });
    expect(p.response.output[0]!.status).toBe('incomplete');
  });

  it('fails with the error and closes the open item', () => {
    const p = projection();
    const events = [...p.start(), ...p.push({ type: 'text', delta: 'Hi' }), ...p.fail({ code: 'server_error', message: 'boom' })];
    expectValid(events);
    expect(events.at(-1)!.type).toBe('response.failed');
    expect(p.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'boom' } });
  });

  it('continues numbering from a given sequence (resumed streams)', () => {
    let n = 0;
    const response = initialResponse({ model: 'm' }, { id: 'resp_2', createdAt: 1, status: 'queued' });
    const p = new ResponseProjection(response, { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` }, 5);
    expect(p.start().map((e) => e.sequence_number)).toEqual([5, 6]);
  });

  it('resumes from stored events: the item left open is closed by fail(), numbering continues', () => {
    const first = projection({ tools: [{ type: 'function', name: 'f', parameters: {} }] });
    const before = [
      ...first.start(),
      ...first.push({ type: 'text', delta: 'Half ' }),
      ...first.push({ type: 'text', delta: 'done' }),
      ...first.push({ type: 'tool_call', index: 0, id: 'call_1', name: 'f', argumentsDelta: '{"a"' }),
    ];
    // A new instance: only the initial Response and the stored events survive.
    let n = 100;
    const again = initialResponse({ model: 'gpt-test', tools: [{ type: 'function', name: 'f', parameters: {} }] }, { id: 'resp_1', createdAt: 1_700_000_000, status: 'in_progress' });
    const p = new ResponseProjection(again, { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` }, before.length);
    p.resumeFrom(before);
    const after = p.fail({ code: 'server_error', message: 'interrupted' });
    expectValid([...before, ...after]);
    expect(after.map((e) => e.type)).toEqual(['response.function_call_arguments.done', 'response.output_item.done', 'response.failed']);
    expect(p.response.output).toEqual([
      { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Half done', annotations: [], logprobs: [] }] },
      { type: 'function_call', id: 'fc_2', call_id: 'call_1', name: 'f', arguments: '{"a"', status: 'incomplete' },
    ]);
    expect(validateSchema('Response', p.response, 'responses')).toEqual([]);
  });
});
