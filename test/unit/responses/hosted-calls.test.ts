import { describe, expect, it } from 'vitest';
import { ResponseProjection } from '../../../src/domain/responses/projection';
import { initialResponse } from '../../../src/domain/responses/request';
import { fileSearchCallDone, fileSearchCallStarted, responseFileCitations, FILE_SEARCH_RESULTS_INCLUDE } from '../../../src/domain/responses/hosted-calls';
import type { ResponseStreamEvent } from '../../../src/domain/responses/types';
import { validateResponseStreamEvent, validateSchema } from '../../support/openapi';

const PASSAGES = [[{ fileId: 'file-a', filename: 'a.txt', text: 'alpha' }, { fileId: 'file-b', filename: 'b.txt', text: 'beta' }]];
const RESULTS = [{ file_id: 'file-a', filename: 'a.txt', score: 0.9, text: 'alpha', attributes: null }];

function projection() {
  let n = 0;
  const response = initialResponse(
    { model: 'gpt-test', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] },
    { id: 'resp_1', createdAt: 1_700_000_000, status: 'in_progress' },
  );
  const p = new ResponseProjection(response, { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` });
  p.useHosted({ functions: new Set(['file_search']), annotate: (text) => responseFileCitations(text, PASSAGES) });
  return p;
}

const expectValid = (events: ResponseStreamEvent[]) => {
  for (const e of events) expect(validateResponseStreamEvent(e.type, e), e.type).toEqual([]);
};

describe('hosted calls in a response', () => {
  it('file_search_call items: queries from the arguments, results only with include', () => {
    const started = fileSearchCallStarted('fs_1', '{"queries":["launch date"," Aurora "]}');
    expect(started).toEqual({ type: 'file_search_call', id: 'fs_1', status: 'in_progress', queries: ['launch date', 'Aurora'], results: null });
    expect(fileSearchCallDone(started, RESULTS, [])).toMatchObject({ status: 'completed', results: null });
    expect(fileSearchCallDone(started, RESULTS, [FILE_SEARCH_RESULTS_INCLUDE]).results).toEqual(RESULTS);
    for (const item of [started, fileSearchCallDone(started, RESULTS, [FILE_SEARCH_RESULTS_INCLUDE])]) {
      expect(validateSchema('FileSearchToolCall', item, 'responses')).toEqual([]);
    }
  });

  it('file_citation annotations: each marker naming a known passage, at its index, with the filename', () => {
    const text = 'Alpha 【0:0†a.txt】 and beta【0:1†b.txt】, not 【0:7†x.txt】 nor 【3:0†y】.';
    const citations = responseFileCitations(text, PASSAGES);
    expect(citations).toEqual([
      { type: 'file_citation', file_id: 'file-a', filename: 'a.txt', index: text.indexOf('【0:0') },
      { type: 'file_citation', file_id: 'file-b', filename: 'b.txt', index: text.indexOf('【0:1') },
    ]);
    for (const c of citations) expect(validateSchema('FileCitationBody', c, 'responses')).toEqual([]);
  });

  it('the projection collects hosted calls instead of showing function calls, then shows the tool item and its events', () => {
    const p = projection();
    const events = [...p.start()];
    events.push(...p.push({ type: 'tool_call', index: 0, id: 'call_1', name: 'file_search', argumentsDelta: '{"queries":' }));
    events.push(...p.push({ type: 'tool_call', index: 0, argumentsDelta: '["x"]}' }));
    events.push(...p.push({ type: 'usage', promptTokens: 10, completionTokens: 2 }));
    events.push(...p.push({ type: 'finish', reason: 'tool_calls' }));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
    const { calls } = p.takeHostedCalls();
    expect(calls).toEqual([{ callId: 'call_1', name: 'file_search', arguments: '{"queries":["x"]}' }]);
    expect(p.takeHostedCalls().calls).toEqual([]);

    const started = p.hostedCallStarted(fileSearchCallStarted('fs_1', calls[0]!.arguments));
    events.push(...started.events, ...p.hostedCallEnded(started.index, fileSearchCallDone(p.response.output[0] as never, RESULTS, [])));
    events.push(...p.push({ type: 'text', delta: 'See 【0:0†a.txt】.' }), ...p.push({ type: 'usage', promptTokens: 30, completionTokens: 4 }));
    events.push(...p.push({ type: 'finish', reason: 'stop' }), ...p.finish(1_700_000_005));
    expect(events.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.file_search_call.in_progress', 'response.file_search_call.searching',
      'response.file_search_call.completed', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done',
      'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expectValid(events);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const done = events.at(-1)!.response as typeof p.response;
    expect(done.output.map((o) => [o.type, o.status])).toEqual([['file_search_call', 'completed'], ['message', 'completed']]);
    expect(done.output[1]).toMatchObject({ content: [{ annotations: [{ type: 'file_citation', file_id: 'file-a', filename: 'a.txt', index: 4 }] }] });
    // Both model calls' usage.
    expect(done.usage).toMatchObject({ input_tokens: 40, output_tokens: 6, total_tokens: 46 });
    expect(validateSchema('Response', done, 'responses')).toEqual([]);
  });

  it('a function call of the same turn is still shown as a function_call item', () => {
    const p = projection();
    p.start();
    const events = [
      ...p.push({ type: 'tool_call', index: 0, id: 'call_1', name: 'file_search', argumentsDelta: '{}' }),
      ...p.push({ type: 'tool_call', index: 1, id: 'call_2', name: 'lookup', argumentsDelta: '{}' }),
    ];
    expect(events.map((e) => e.type)).toEqual(['response.output_item.added', 'response.function_call_arguments.delta']);
    expect(p.takeHostedCalls().calls.map((c) => c.callId)).toEqual(['call_1']);
    expect(p.response.output.map((o) => o.type)).toEqual(['function_call']);
  });

  it('a failure while a hosted call runs ends it incomplete, also when picked up from the stored events', () => {
    const p = projection();
    const events = [...p.start()];
    p.push({ type: 'tool_call', index: 0, id: 'call_1', name: 'file_search', argumentsDelta: '{"queries":["x"]}' });
    p.takeHostedCalls();
    events.push(...p.hostedCallStarted(fileSearchCallStarted('fs_1', '{"queries":["x"]}')).events);
    const resumed = projection();
    resumed.resumeFrom(events);
    for (const q of [p, resumed]) {
      const failed = q.fail({ code: 'server_error', message: 'lost' });
      expect(failed.map((e) => e.type)).toEqual(['response.output_item.done', 'response.failed']);
      expect(failed[0]!.item).toMatchObject({ id: 'fs_1', type: 'file_search_call', status: 'incomplete' });
      expect(q.response.output).toEqual([expect.objectContaining({ id: 'fs_1', status: 'incomplete' })]);
    }
  });
});
