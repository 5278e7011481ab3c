// The response validator itself, against hand-made objects: if it accepted everything (or nothing), every
// other contract test would be meaningless.
import { describe, expect, it } from 'vitest';
import { findOperation, specOperations, validateResponse, validateSchema, validateStreamEvent } from '../support/openapi.js';

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
