// The response validator itself, against hand-made objects: if it accepted everything (or nothing), every
// other contract test would be meaningless.
import { describe, expect, it } from 'vitest';
import {
  findOperation, specOperations, validateResponse, validateResponseStreamEvent, validateSchema, validateStreamEvent,
} from '../support/openapi.js';

const assistant = {
  id: 'asst_abc123',
  object: 'assistant',
  created_at: 1_700_000_000,
  name: 'Math tutor',
  description: null,
  model: 'gpt-4o',
  instructions: 'You are a tutor.',
  tools: [{ type: 'code_interpreter' }],
  tool_resources: { code_interpreter: { file_ids: [] } },
  metadata: {},
  temperature: 1,
  top_p: 1,
  response_format: 'auto',
};

const errorEnvelope = {
  error: { message: "No thread found with id 'thread_abc123'.", type: 'invalid_request_error', param: null, code: null },
};

describe('OpenAPI response validator', () => {
  it('knows all 50 operations of the copied spec', () => {
    expect(specOperations()).toHaveLength(50);
  });

  it('accepts a valid AssistantObject', () => {
    expect(validateSchema('AssistantObject', assistant)).toEqual([]);
    expect(validateResponse('POST', '/v1/assistants', 200, assistant)).toEqual([]);
    expect(validateResponse('GET', '/v1/assistants/asst_abc123', 200, assistant)).toEqual([]);
  });

  it('rejects an AssistantObject without metadata', () => {
    const { metadata: _, ...withoutMetadata } = assistant;
    const errors = validateResponse('GET', '/v1/assistants/asst_abc123', 200, withoutMetadata);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/required property 'metadata'/);
  });

  it('rejects millisecond timestamps (unixtime is seconds)', () => {
    expect(validateSchema('AssistantObject', { ...assistant, created_at: 1_700_000_000_000 })).not.toEqual([]);
  });

  it('validates error envelopes against ErrorResponse on every path, in the spec or not', () => {
    expect(validateResponse('GET', '/v1/threads/thread_abc123', 404, errorEnvelope)).toEqual([]);
    expect(validateResponse('POST', '/v1/organization/projects', 401, errorEnvelope)).toEqual([]);
    expect(validateResponse('GET', '/v1/threads/thread_abc123', 404, { error: { message: 'x' } })).not.toEqual([]);
    expect(validateResponse('GET', '/v1/organization/projects', 500, 'Internal Server Error')).not.toEqual([]);
  });

  it('does not check 2xx bodies of routes the spec lacks, nor raw file downloads', () => {
    expect(validateResponse('POST', '/v1/organization/projects', 200, { anything: true })).toEqual([]);
    expect(validateResponse('GET', '/v1/files/file-abc123/content', 200, 'raw bytes')).toEqual([]);
  });

  it('accepts an empty list page with null cursors', () => {
    const page = { object: 'list', data: [], first_id: null, last_id: null, has_more: false };
    expect(validateResponse('GET', '/v1/threads/thread_abc123/messages', 200, page)).toEqual([]);
    expect(validateResponse('GET', '/v1/assistants', 200, page)).toEqual([]);
    expect(validateResponse('GET', '/v1/assistants', 200, { ...page, has_more: undefined })).not.toEqual([]);
  });

  it('prefers literal path segments over parameters', () => {
    expect(findOperation('POST', '/v1/threads/runs')?.operationId).toBe('createThreadAndRun');
    expect(findOperation('POST', '/v1/threads/thread_abc123')?.operationId).toBe('modifyThread');
    expect(findOperation('GET', '/v1/organization/projects')).toBeUndefined();
  });

  it('validates stream events: thread.message.delta and done', () => {
    const delta = {
      id: 'msg_abc123',
      object: 'thread.message.delta',
      delta: { content: [{ index: 0, type: 'text', text: { value: 'Hello', annotations: [] } }] },
    };
    expect(validateStreamEvent('thread.message.delta', delta)).toEqual([]);
    expect(validateStreamEvent('done', '[DONE]')).toEqual([]);

    const withoutIndex = { ...delta, delta: { content: [{ type: 'text', text: { value: 'Hello' } }] } };
    const errors = validateStreamEvent('thread.message.delta', withoutIndex);
    expect(errors.join('\n')).toMatch(/required property 'index'/);
    // The discriminator keeps the report to the branch the part claims to be (text), not all four.
    expect(errors.join('\n')).not.toMatch(/image_file/);

    expect(validateStreamEvent('done', 'DONE')).not.toEqual([]);
    expect(validateStreamEvent('ping', {})).not.toEqual([]);
  });

  it('validates the hybrid error event payload (docs/openai-behaviour.md §5.5)', () => {
    const e = { message: 'boom', type: 'server_error', param: null, code: 'server_error' };
    expect(validateStreamEvent('error', { ...e, error: e })).toEqual([]);
  });
});

const response = {
  id: 'resp_abc123', object: 'response', created_at: 1_700_000_000, status: 'completed', completed_at: 1_700_000_001,
  error: null, incomplete_details: null, instructions: null, max_output_tokens: null, model: 'gpt-4o-mini',
  output: [{
    type: 'message', id: 'msg_abc123', status: 'completed', role: 'assistant',
    content: [{ type: 'output_text', text: 'Hi', annotations: [], logprobs: [] }],
  }],
  parallel_tool_calls: true, previous_response_id: null, reasoning: { effort: null, summary: null }, store: true,
  temperature: 1, text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], top_p: 1, truncation: 'disabled',
  usage: {
    input_tokens: 3, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 4,
  },
  metadata: {}, background: false, service_tier: 'default',
};

describe('OpenAPI validator: the Responses document', () => {
  it('serves /responses and /conversations paths from the Responses document, others from the Assistants one', () => {
    expect(findOperation('POST', '/v1/responses')?.operationId).toBe('createResponse');
    expect(findOperation('POST', '/v1/responses/input_tokens')?.operationId).toBe('Getinputtokencounts');
    expect(findOperation('GET', '/v1/responses/resp_abc123/input_items')?.operationId).toBe('listInputItems');
    expect(findOperation('GET', '/v1/conversations/conv_abc123/items')?.operationId).toBe('listConversationItems');
    expect(findOperation('POST', '/v1/assistants')?.operationId).toBe('createAssistant');
    // The Responses document's own /chat/completions is not used: that path stays unvalidated as before.
    expect(findOperation('POST', '/v1/chat/completions')).toBeUndefined();
    expect(specOperations('responses').every((op) => /^\/(responses|conversations)/.test(op.template))).toBe(true);
  });

  it('accepts a valid Response and refuses one without a required field', () => {
    expect(validateResponse('POST', '/v1/responses', 200, response)).toEqual([]);
    expect(validateSchema('Response', response, 'responses')).toEqual([]);
    const { temperature: _t, ...withoutTemperature } = response;
    expect(validateResponse('GET', '/v1/responses/resp_abc123', 200, withoutTemperature).join('\n'))
      .toMatch(/required property 'temperature'/);
    // `user` is string-only in the document: a null user must be left out, not sent as null.
    expect(validateResponse('GET', '/v1/responses/resp_abc123', 200, { ...response, user: null })).not.toEqual([]);
  });

  it('validates Responses stream events by type, and the type must match the event name', () => {
    const delta = {
      type: 'response.output_text.delta', item_id: 'msg_abc123', output_index: 0, content_index: 0, delta: 'Hi',
      sequence_number: 4, logprobs: [],
    };
    expect(validateResponseStreamEvent('response.output_text.delta', delta)).toEqual([]);
    const { logprobs: _l, ...withoutLogprobs } = delta;
    expect(validateResponseStreamEvent('response.output_text.delta', withoutLogprobs).join('\n')).toMatch(/required property 'logprobs'/);
    expect(validateResponseStreamEvent('response.output_text.done', delta)).not.toEqual([]);
    expect(validateResponseStreamEvent('response.created', { type: 'response.created', response, sequence_number: 0 })).toEqual([]);
    expect(validateResponseStreamEvent('response.nonsense', { type: 'response.nonsense', sequence_number: 1 })).not.toEqual([]);
    const error = { type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 2 };
    expect(validateResponseStreamEvent('error', error)).toEqual([]);
  });
});
