import { describe, expect, it } from 'vitest';
import { requiredActionOf } from '../../../src/domain/runs/required-action';
import type { FunctionToolCall, RequiredActionCall, RunStep, ToolCall } from '../../../src/domain/runs/types';

const fn = (id: string, name: string): FunctionToolCall => ({ id, type: 'function', function: { name, arguments: '{}', output: null } });
const approval = (id: string): RequiredActionCall => ({ id, type: 'mcp', mcp: { server_label: 'docs', name: 'search', arguments: '{}' } });

function step(calls: ToolCall[]): RunStep {
  return {
    id: 'step_1', object: 'thread.run.step', created_at: 0, assistant_id: 'asst_1', thread_id: 'thread_1', run_id: 'run_1',
    type: 'tool_calls', status: 'in_progress', step_details: { type: 'tool_calls', tool_calls: calls },
    last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: null, metadata: {}, usage: null,
  };
}

describe('requiredActionOf', () => {
  it('lists function calls and approval requests in the order of the step', () => {
    const a = fn('call_a', 'weather');
    const b = fn('call_b', 'clock');
    const mcp = { id: 'call_m', type: 'mcp', server_label: 'docs', name: 'search', arguments: '{}', output: null } as unknown as ToolCall;
    const action = requiredActionOf(step([a, mcp, b]), [a, b], [approval('call_m')]);
    expect(action.type).toBe('submit_tool_outputs');
    expect(action.submit_tool_outputs.tool_calls.map((c) => c.id)).toEqual(['call_a', 'call_m', 'call_b']);
    // The output the client must send is not part of the required action's function object.
    expect(action.submit_tool_outputs.tool_calls[0]).toEqual({ id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{}' } });
  });

  it('keeps the calls given when the step has none listed', () => {
    const action = requiredActionOf({ ...step([]), type: 'message_creation', step_details: { type: 'message_creation', message_creation: { message_id: 'msg_1' } } }, [fn('call_x', 'x')]);
    expect(action.submit_tool_outputs.tool_calls.map((c) => c.id)).toEqual(['call_x']);
  });
});
