import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../../src/db/messages';
import type { Run, RunStep } from '../../../src/domain/runs/types';
import { ModelTurn, type TurnSink } from '../../../src/durable/model-turn';
import { codeInterpreter } from '../../../src/tools/code-interpreter';
import { fileSearch } from '../../../src/tools/file-search';
import { HOSTED_TOOLS, hostedFunctionNames, inAnswerOrder, presentStep } from '../../../src/tools/registry';

/** The registry and the step shapes of the hosted tools, as the Assistants projection streams them. */

function recordingSink() {
  const events: { event: string; data: any }[] = [];
  const sink: TurnSink = {
    emit: (event, data) => void events.push({ event, data }),
    insertStep: (_s: RunStep) => undefined,
    saveStep: (_s: RunStep) => undefined,
    insertMessage: async (_row: MessageRow) => undefined,
    saveMessage: async (_row: MessageRow) => undefined,
  };
  return { sink, events };
}

const run = { id: 'run_x', thread_id: 'thread_x', assistant_id: 'asst_x' } as Run;

describe('hosted tool registry', () => {
  it('offers code_interpreter, file_search then mcp, answers file_search first, maps tool_choice types to functions', () => {
    // mcp names its functions per offer (one per server tool): no tool_choice type forces one.
    expect(HOSTED_TOOLS.map((t) => t.functionName)).toEqual(['python', 'file_search', '']);
    expect(inAnswerOrder(HOSTED_TOOLS.map((tool) => ({ tool }))).map((e) => e.tool.type)).toEqual(['file_search', 'code_interpreter', 'mcp']);
    expect([...hostedFunctionNames()]).toEqual([
      ['code_interpreter', 'python'],
      ['file_search', 'file_search'],
    ]);
  });

  it('serves file_search results without content unless include[] asked for it', () => {
    const result = { file_id: 'file-1', file_name: 'a.txt', score: 0.5, content: [{ type: 'text', text: 'x' }] };
    const step = {
      id: 'step_1',
      step_details: { type: 'tool_calls', tool_calls: [{ id: 'call_1', type: 'file_search', file_search: { results: [result] } }, { id: 'call_2', type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } }] },
    } as unknown as RunStep;
    const { content: _content, ...withoutContent } = result;
    expect(presentStep(step, false).step_details).toEqual({
      type: 'tool_calls',
      tool_calls: [{ id: 'call_1', type: 'file_search', file_search: { results: [withoutContent] } }, { id: 'call_2', type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } }],
    });
    expect(presentStep(step, true)).toBe(step);
  });

  it('streams a python call as code_interpreter.input deltas and leaves it pending in the tool step', async () => {
    const { sink, events } = recordingSink();
    const turn = new ModelTurn(run, 'proj', sink, new Map([['python', codeInterpreter], ['file_search', fileSearch]]));
    await turn.accept({ type: 'tool_call', index: 0, id: 'up_1', name: 'python', argumentsDelta: '{"code": "print(' });
    await turn.accept({ type: 'tool_call', index: 0, argumentsDelta: '\\"hi\\")"}' });
    await turn.accept({ type: 'tool_call', index: 1, id: 'up_2', name: 'file_search', argumentsDelta: '{"queries":["q"]}' });
    const result = await turn.end({ truncated: false });
    const deltas = events.filter((e) => e.event === 'thread.run.step.delta').map((e) => e.data.delta.step_details.tool_calls[0]);
    const [python, search] = [deltas[0].id as string, deltas[3].id as string];
    expect(deltas).toEqual([
      { index: 0, id: python, type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } },
      { index: 0, type: 'code_interpreter', code_interpreter: { input: 'print(' } },
      { index: 0, type: 'code_interpreter', code_interpreter: { input: '"hi")' } },
      { index: 1, id: search, type: 'file_search', file_search: {} },
    ]);
    expect(result.calls).toEqual([]);
    expect(result.hostedCalls).toEqual([
      { id: python, name: 'python', arguments: '{"code": "print(\\"hi\\")"}' },
      { id: search, name: 'file_search', arguments: '{"queries":["q"]}' },
    ]);
    expect(result.toolStep!.step_details).toEqual({
      type: 'tool_calls',
      tool_calls: [
        { id: python, type: 'code_interpreter', code_interpreter: { input: 'print("hi")', outputs: [] } },
        { id: search, type: 'file_search', file_search: {} },
      ],
    });
  });
});

describe('file_search citations next to other hosted calls', () => {
  it('resolves a marker when a python call precedes the search in call order (answered after it)', () => {
    const passage = { fileId: 'file-cited', filename: 'notes.txt', text: 'x' };
    // hostedCallsOf returns call order: the python call's id sorts first, though file_search was answered (and numbered) first.
    const calls = [
      { callId: 'call_1', runId: run.id, name: 'python', arguments: '{}', output: 'ok', passages: [] },
      { callId: 'call_2', runId: run.id, name: 'file_search', arguments: '{}', output: '', passages: [passage] },
    ];
    const ports = { hostedCalls: { insertHostedCall: () => undefined, hostedCallsOf: () => calls } } as never;
    const text = 'See 【0:0†notes.txt】.';
    const out = fileSearch.messageOutputs!(run.id, text, ports);
    expect(out.annotations).toEqual([{ type: 'file_citation', text: '【0:0†notes.txt】', start_index: 4, end_index: 4 + '【0:0†notes.txt】'.length, file_citation: { file_id: 'file-cited' } }]);
  });
});
