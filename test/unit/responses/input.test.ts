import { describe, expect, it } from 'vitest';
import { InputItem, ResponseCreateParams } from '../../../src/contract/responses';
import { orphanOutputs, toChatMessages, toStoredItems } from '../../../src/domain/responses/input';
import { chatRequestForResponse, initialResponse, responseFormatFor, withInstructions } from '../../../src/domain/responses/request';
import { validateSchema } from '../../support/openapi';

let n = 0;
const ids = { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}`, functionCallOutput: () => `fco_${++n}`, fileSearchCall: () => `fs_${++n}` };

describe('Responses input items', () => {
  it('turns a string into one user message with an id', () => {
    const [item] = toStoredItems('Hi', ids);
    expect(item).toMatchObject({ type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hi' }] });
    expect(item!.id).toMatch(/^msg_/);
    expect(validateSchema('ItemResource', item, 'responses')).toEqual([]);
  });

  it('stores every item kind as a valid ItemResource and maps them to chat messages', () => {
    const input = [
      { role: 'developer', content: 'Be brief.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'https://x.test/a.png', detail: 'low' }] },
      { role: 'assistant', content: 'Calling.' },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'function_call', call_id: 'call_2', name: 'g', arguments: '{"a":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'one' },
      { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'two' }] },
    ].map((i) => InputItem.parse(i));
    const stored = toStoredItems(input, ids);
    for (const item of stored) expect(validateSchema('ItemResource', item, 'responses'), item.type).toEqual([]);
    expect(toChatMessages(stored)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } }] },
      { role: 'assistant', content: 'Calling.' },
      { role: 'assistant', content: null, tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
        { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{"a":1}' } },
      ] },
      { role: 'tool', tool_call_id: 'call_1', content: 'one' },
      { role: 'tool', tool_call_id: 'call_2', content: 'two' },
    ]);
    expect(orphanOutputs(stored)).toEqual([]);
    expect(orphanOutputs(stored.slice(5))).toEqual(['call_1', 'call_2']);
  });
});

describe('Responses model request', () => {
  it('maps text.format json_schema to response_format and passes tools, choice, sampling and limits', () => {
    const params = ResponseCreateParams.parse({
      model: 'm', input: 'x', temperature: 0.2, top_p: 0.5, max_output_tokens: 64, reasoning: { effort: 'low' },
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }],
      tool_choice: { type: 'function', name: 'f' }, parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
    });
    const request = chatRequestForResponse('m', params, withInstructions('Sys', [{ role: 'user', content: 'x' }]));
    expect(request).toMatchObject({
      model: 'm', temperature: 0.2, topP: 0.5, maxTokens: 64, reasoningEffort: 'low', parallelToolCalls: false,
      toolChoice: { type: 'function', function: { name: 'f' } },
      responseFormat: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      messages: [{ role: 'system', content: 'Sys' }, { role: 'user', content: 'x' }],
    });
    expect(request.tools).toEqual([{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} }, strict: true } }]);
    expect(responseFormatFor({ type: 'text' })).toBeUndefined();
    expect(responseFormatFor({ type: 'json_object' })).toEqual({ type: 'json_object' });
  });

  it('echoes defaults for every required Response field', () => {
    const response = initialResponse(ResponseCreateParams.parse({ model: 'm', input: 'x' }), { id: 'resp_x', createdAt: 1_700_000_000, status: 'in_progress' });
    expect(response).toMatchObject({ temperature: 1, top_p: 1, tool_choice: 'auto', truncation: 'disabled', tools: [], background: false, store: true, service_tier: 'default' });
    expect(validateSchema('Response', response, 'responses')).toEqual([]);
  });
});
