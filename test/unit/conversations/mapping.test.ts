// The pure thread <-> conversation mapping (docs/conversations.md): message rows as message items,
// input items as stored rows, a run's tool-call steps as items with ids that sort and name their step.
import { describe, expect, it } from 'vitest';
import { messageContentOf, messageItem, newStoredItems, recordItem, sortKeyOf } from '../../../src/domain/conversations/items';
import { stepItems, stepOfItemId } from '../../../src/domain/conversations/run-steps';
import { newId } from '../../../src/domain/ids';
import type { RunStep } from '../../../src/domain/runs/types';

function toolStep(calls: unknown[], status: RunStep['status'] = 'completed'): RunStep {
  return {
    id: newId('step_'), object: 'thread.run.step', created_at: 1, assistant_id: 'asst_1', thread_id: 'thread_1', run_id: 'run_1',
    type: 'tool_calls', status, step_details: { type: 'tool_calls', tool_calls: calls as never }, last_error: null, expired_at: null,
    cancelled_at: null, failed_at: null, completed_at: null, metadata: {}, usage: null,
  };
}

describe('message items', () => {
  it('shows user text as input_text and assistant text as output_text with mapped annotations', () => {
    const text = (value: string, annotations: unknown[] = []) => ({ type: 'text', text: { value, annotations } });
    expect(messageItem({ id: 'msg_1', role: 'user', status: 'completed', content: [text('hi')], attachments: [{ file_id: 'file-1', tools: [] }] })).toEqual({
      type: 'message', id: 'msg_1', status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_file', file_id: 'file-1' }],
    });
    const cited = text('see [1]', [{ type: 'file_citation', text: '[1]', start_index: 4, end_index: 7, file_citation: { file_id: 'file-2' } }]);
    expect(messageItem({ id: 'msg_2', role: 'assistant', status: 'incomplete', content: [cited, { type: 'refusal', refusal: 'no' }], attachments: [] })).toEqual({
      type: 'message', id: 'msg_2', status: 'incomplete', role: 'assistant',
      content: [
        { type: 'output_text', text: 'see [1]', annotations: [{ type: 'file_citation', file_id: 'file-2', filename: '', index: 7 }], logprobs: [] },
        { type: 'refusal', refusal: 'no' },
      ],
    });
  });

  it('stores input parts as thread message parts and input files as tool-less attachments', () => {
    expect(messageContentOf([
      { type: 'input_text', text: 'a' },
      { type: 'output_text', text: 'b' },
      { type: 'input_image', file_id: 'file-1' },
      { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' },
      { type: 'input_file', file_id: 'file-2' },
    ])).toEqual({
      content: [
        { type: 'text', text: { value: 'a', annotations: [] } },
        { type: 'text', text: { value: 'b', annotations: [] } },
        { type: 'image_file', image_file: { file_id: 'file-1', detail: 'auto' } },
        { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
      ],
      attachments: [{ file_id: 'file-2', tools: [] }],
    });
    expect(messageContentOf('plain').content).toEqual([{ type: 'text', text: { value: 'plain', annotations: [] } }]);
  });
});

describe('stored items', () => {
  it('draws ids in input order across both tables, so sort keys follow the input', () => {
    const stored = newStoredItems('proj_1', 'conv_1', [
      { type: 'message', role: 'developer', content: 'rules' },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', id: 'fc_given' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok', status: 'incomplete' },
      { type: 'reasoning', summary: [], encrypted_content: 'secret' },
    ]);
    const ids = stored.map((s) => (s.kind === 'message' ? s.row.id : s.record.id));
    expect(ids.map((id) => id.slice(0, id.indexOf('_') + 1))).toEqual(['msg_', 'fc_', 'fco_', 'rs_']);
    const keys = ids.map(sortKeyOf);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(4);
    const [message, call, output, reasoning] = stored;
    expect(message).toMatchObject({ kind: 'message', row: { role: 'developer', status: 'completed', threadId: 'conv_1', projectId: 'proj_1' } });
    expect(call).toMatchObject({ kind: 'item', record: { type: 'function_call', status: 'completed', payload: { call_id: 'c1', name: 'f', arguments: '{}' } } });
    expect(output).toMatchObject({ kind: 'item', record: { status: 'incomplete', sortKey: keys[2] } });
    if (reasoning?.kind !== 'item') throw new Error('reasoning is an item');
    expect(recordItem(reasoning.record)).toEqual({ type: 'reasoning', id: ids[3], status: 'completed', summary: [] });
    expect(recordItem(reasoning.record, ['reasoning.encrypted_content'])).toMatchObject({ encrypted_content: 'secret' });
  });
});

describe('run steps as items', () => {
  it('maps function calls to function_call items, then submitted outputs to function_call_output items', () => {
    const step = toolStep([
      { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}', output: 'one' } },
      { id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}', output: 'two' } },
    ]);
    const items = stepItems(step);
    expect(items.map((i) => [i.type, i.call_id, i.status])).toEqual([
      ['function_call', 'call_a', 'completed'],
      ['function_call', 'call_b', 'completed'],
      ['function_call_output', 'call_a', 'completed'],
      ['function_call_output', 'call_b', 'completed'],
    ]);
    expect(items[0]).toEqual({ type: 'function_call', id: items[0]!.id, call_id: 'call_a', name: 'f', arguments: '{"x":1}', status: 'completed' });
    expect(items[2]).toEqual({ type: 'function_call_output', id: items[2]!.id, call_id: 'call_a', output: 'one', status: 'completed' });
    // Item ids sort in list order, after the step's own key and before anything created later.
    const keys = items.map((i) => sortKeyOf(i.id));
    expect([...keys].sort()).toEqual(keys);
    expect(keys.every((k) => k.startsWith(sortKeyOf(step.id)))).toBe(true);
    expect(sortKeyOf(newId('msg_')) > keys[3]!).toBe(true);
    for (const item of items) expect(stepOfItemId(item.id)).toEqual({ stepId: step.id });
  });

  it('leaves out the output of a call still waiting for it, and marks calls of an unfinished step', () => {
    const waiting = stepItems(toolStep([{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}', output: null } }], 'in_progress'));
    expect(waiting.map((i) => [i.type, i.status])).toEqual([['function_call', 'in_progress']]);
    const cancelled = stepItems(toolStep([{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}', output: null } }], 'cancelled'));
    expect(cancelled[0]!.status).toBe('incomplete');
  });

  it('maps file_search and code_interpreter calls, with results and outputs only when included', () => {
    const step = toolStep([
      { id: 'call_fs', type: 'file_search', file_search: { ranking_options: {}, results: [{ file_id: 'file-1', file_name: 'a.txt', score: 0.5, content: [{ type: 'text', text: 'hit' }] }] } },
      { id: 'call_ci', type: 'code_interpreter', code_interpreter: { input: 'print(1)', outputs: [{ type: 'logs', logs: '1\n' }, { type: 'image', image: { file_id: 'file-img' } }] } },
    ]);
    const plain = stepItems(step);
    expect(plain).toEqual([
      { type: 'file_search_call', id: expect.stringMatching(/^fs_/), status: 'completed', queries: [], results: null },
      { type: 'code_interpreter_call', id: expect.stringMatching(/^ci_/), status: 'completed', container_id: 'thread_1', code: 'print(1)', outputs: null },
    ]);
    const full = stepItems(step, { include: ['file_search_call.results', 'code_interpreter_call.outputs'], fileUrl: (id) => `https://h/v1/files/${id}/content` });
    expect(full[0]!.results).toEqual([{ file_id: 'file-1', filename: 'a.txt', score: 0.5, text: 'hit' }]);
    expect(full[1]!.outputs).toEqual([{ type: 'logs', logs: '1\n' }, { type: 'image', url: 'https://h/v1/files/file-img/content' }]);
  });

  it('derives nothing from message-creation steps and recognises only derived ids', () => {
    const step = { ...toolStep([]), type: 'message_creation' as const, step_details: { type: 'message_creation' as const, message_creation: { message_id: 'msg_1' } } };
    expect(stepItems(step)).toEqual([]);
    expect(stepOfItemId(newId('fc_'))).toBeNull();
    expect(stepOfItemId('msg_abc')).toBeNull();
  });
});
