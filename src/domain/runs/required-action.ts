import type { FunctionToolCall, RequiredAction, RequiredActionCall, RunStep } from './types';

/**
 * The `required_action` of a run that waits for the client: every function call of the turn and
 * every MCP approval request (docs/mcp-assistants.md), in the order the step lists them, since a
 * turn's function calls and approval requests interleave (OpenAI lists `tool_calls` in call order).
 */
export function requiredActionOf(step: RunStep, calls: FunctionToolCall[], approvals: RequiredActionCall[] = []): RequiredAction {
  const ids = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls.map((c) => c.id) : [];
  const order = (id: string) => ids.indexOf(id);
  return {
    type: 'submit_tool_outputs',
    submit_tool_outputs: {
      tool_calls: [
        ...calls.map((c): RequiredActionCall => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } })),
        ...approvals,
      ].sort((a, b) => order(a.id) - order(b.id)),
    },
  };
}
