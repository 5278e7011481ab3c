import { describe, expect, it } from 'vitest';
import { MCP_SCHEMAS, withMcpExtensions } from '../../../src/http/openapi/mcp-extensions';
import { validateSchema, validateStreamEvent } from '../../support/openapi';
import spec from '../../support/openapi/openai-assistants-v2.openapi.json';

/** The `mcp` extension of the Assistants document (docs/mcp-assistants.md): allowed exactly, nothing more. */

const step = (call: unknown) => ({
  id: 'step_1', object: 'thread.run.step', created_at: 1, assistant_id: 'asst_1', thread_id: 'thread_1', run_id: 'run_1',
  type: 'tool_calls', status: 'completed', step_details: { type: 'tool_calls', tool_calls: [call] },
  last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: 1, metadata: {}, usage: null,
});
const mcpCall = { id: 'call_1', type: 'mcp', mcp: { server_label: 'calc', name: 'add', arguments: '{}', output: '5', error: null } };

describe('the mcp OpenAPI extension', () => {
  it('validates an mcp step entry, and refuses any other extra field or type', () => {
    expect(validateSchema('RunStepObject', step(mcpCall))).toEqual([]);
    expect(validateSchema('RunStepObject', step({ ...mcpCall, mcp: { ...mcpCall.mcp, headers: {} } }))).not.toEqual([]);
    expect(validateSchema('RunStepObject', step({ ...mcpCall, type: 'web_search' }))).not.toEqual([]);
  });

  it('validates the served mcp tool entry without secrets, and refuses one with headers', () => {
    const tool = { type: 'mcp', server_label: 'calc', server_url: 'https://x/mcp', require_approval: 'never' };
    const assistant = { id: 'asst_1', object: 'assistant', created_at: 1, name: null, description: null, model: 'm', instructions: null, tools: [tool], tool_resources: {}, metadata: {}, temperature: 1, top_p: 1, response_format: 'auto' };
    expect(validateSchema('AssistantObject', assistant)).toEqual([]);
    expect(validateSchema('AssistantObject', { ...assistant, tools: [{ ...tool, headers: { a: 'b' } }] })).not.toEqual([]);
    expect(validateSchema('AssistantObject', { ...assistant, tools: [{ ...tool, authorization: 't' }] })).not.toEqual([]);
  });

  it('validates approval requests in required_action and mcp step deltas', () => {
    const delta = { id: 'step_1', object: 'thread.run.step.delta', delta: { step_details: { type: 'tool_calls', tool_calls: [{ index: 0, type: 'mcp', mcp: { output: '5', error: null } }] } } };
    expect(validateStreamEvent('thread.run.step.delta', delta)).toEqual([]);
    expect(validateStreamEvent('thread.run.step.delta', { ...delta, delta: { step_details: { type: 'tool_calls', tool_calls: [{ index: 0, type: 'mcp', mcp: { secret: 'x' } }] } } })).not.toEqual([]);
    const schemas = withMcpExtensions(spec.components.schemas as Record<string, unknown>) as any;
    expect(schemas.RunObject.properties.required_action.properties.submit_tool_outputs.properties.tool_calls.items.oneOf).toEqual([
      { $ref: '#/components/schemas/RunToolCallObject' },
      { $ref: '#/components/schemas/RunToolCallMcpObject' },
    ]);
    // (A whole run in requires_action with such a request is validated by test/contract/runs/mcp.test.ts.)
    // Requests take the entry with its secrets; responses never.
    expect(schemas.CreateAssistantRequest.properties.tools.items.oneOf.at(-1)).toEqual({ $ref: '#/components/schemas/AssistantToolsMcpParam' });
    expect(schemas.AssistantObject.properties.tools.items.oneOf.at(-1)).toEqual({ $ref: '#/components/schemas/AssistantToolsMcp' });
    expect(Object.keys(MCP_SCHEMAS)).toHaveLength(5);
  });
});
