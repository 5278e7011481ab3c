/**
 * The thread extensions (docs/export-format.md): `GET /threads` and `GET /conversations` lists, thread
 * export and import, as OpenAPI 3.1 schemas and path items. Part of EXTENSION_SCHEMAS / EXTENSION_PATHS
 * (extensions.ts).
 */
import { body, errors, int, json, LIST_PARAMS, listOf, nullable, op, pathParam, query, ref, str, type Json } from './extension-helpers';

export const THREAD_SCHEMAS: Record<string, Json> = {
  ListThreadsResponse: listOf('ThreadObject'),
  ListConversationsResponse: listOf('ConversationResource'),
  ThreadExport: {
    type: 'object',
    description: 'A whole thread as one document (docs/export-format.md).',
    required: ['object', 'format_version', 'exported_at', 'thread', 'messages', 'runs', 'run_steps', 'file_ids', 'vector_store_ids'],
    properties: {
      object: { type: 'string', enum: ['thread.export'] },
      format_version: { type: 'integer', enum: [1] },
      exported_at: int,
      thread: { allOf: [ref('ThreadObject')], properties: { last_assistant_id: nullable(str) } },
      messages: { type: 'array', items: ref('MessageObject') },
      runs: { type: 'array', items: ref('RunObject') },
      run_steps: { type: 'array', items: ref('RunStepObject') },
      conversation_items: {
        type: 'array',
        description: 'The conversation items that are not messages (docs/conversations.md), oldest first.',
        items: {
          type: 'object',
          required: ['item', 'created_at', 'response_id'],
          properties: { item: ref('ConversationItem'), created_at: int, response_id: nullable(str) },
        },
      },
      file_ids: { type: 'array', items: str },
      vector_store_ids: { type: 'array', items: str },
    },
  },
  ThreadImportResult: {
    type: 'object',
    required: ['object', 'thread', 'id_mapping', 'counts'],
    properties: {
      object: { type: 'string', enum: ['thread.import'] },
      thread: ref('ThreadObject'),
      id_mapping: { type: 'object', additionalProperties: str, description: 'Old id -> new id.' },
      counts: { type: 'object', properties: { messages: int, runs: int, run_steps: int, conversation_items: int } },
    },
  },
};

/** The query of `GET /threads` and `GET /conversations` (one list, src/http/routes/thread-list.ts). */
const threadListParams = (noun: string) => [
  ...LIST_PARAMS,
  query('created_after', int, `Only ${noun} created at or after this time.`),
  query('created_before', int, `Only ${noun} created at or before this time.`),
  { in: 'query', name: 'metadata', style: 'deepObject', explode: true, schema: { type: 'object', additionalProperties: str }, description: '`metadata[key]=value`: every pair must match.' },
];

export const THREAD_PATHS: Record<string, Json> = {
  '/threads': {
    get: op('listThreads', 'Lists the project\'s threads.', {
      description: 'OpenAI list conventions plus filters: `metadata[key]=value` (repeatable), `created_after`/`created_before` (unix seconds, inclusive), `assistant_id` (the assistant of the thread\'s latest run).',
      parameters: [...threadListParams('threads'), query('assistant_id', str, 'Only threads whose latest run used this assistant.')],
      responses: { '200': json(ref('ListThreadsResponse')), ...errors },
    }),
  },
  '/conversations': {
    get: op('listConversations', 'Lists the project\'s conversations (threads are conversations too).', {
      description: 'Like `GET /threads`, as conversation objects: OpenAI list conventions plus `metadata[key]=value` (repeatable), `created_after`/`created_before` (unix seconds, inclusive).',
      parameters: [...threadListParams('conversations'), query('assistant_id', str, 'Only conversations whose latest run used this assistant.')],
      responses: { '200': json(ref('ListConversationsResponse')), ...errors },
    }),
  },
  '/threads/{thread_id}/export': {
    get: op('exportThread', 'Exports a thread with its messages, runs and run steps as one document.', {
      parameters: [pathParam('thread_id', 'The thread to export.')],
      responses: { '200': json(ref('ThreadExport')), ...errors, '409': json(ref('ErrorResponse'), 'The thread kept changing; retry') },
    }),
  },
  '/threads/import': {
    post: op('importThread', 'Recreates a thread from an export document in the caller\'s project.', {
      parameters: [query('ids', { type: 'string', enum: ['new', 'keep'], default: 'new' }, '`new` ids, or `keep` the document\'s (refused with 409 if any is taken).')],
      requestBody: body(ref('ThreadExport')),
      responses: { '200': json(ref('ThreadImportResult')), ...errors, '409': json(ref('ErrorResponse'), 'An id to keep is in use') },
    }),
  },
};
