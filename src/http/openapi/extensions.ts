/**
 * The operations assistants-edge adds to OpenAI's Assistants API, as OpenAPI 3.1 path items and
 * schemas: thread list/export/import, usage and costs in the shape of OpenAI's administration API,
 * and the admin API for projects, service accounts and keys. Merged into the served document by
 * document.ts. Tagged `assistants-edge` so the docs page lists them apart.
 */
type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const str = { type: 'string' };
const int = { type: 'integer' };
const nullable = (schema: Json) => ({ anyOf: [schema, { type: 'null' }] });
const pathParam = (name: string, description: string) => ({ in: 'path', name, required: true, schema: str, description });
const query = (name: string, schema: Json, description: string, required = false) => ({ in: 'query', name, required, schema, description });
const listOf = (item: string) => ({
  type: 'object',
  required: ['object', 'data', 'first_id', 'last_id', 'has_more'],
  properties: { object: { type: 'string', enum: ['list'] }, data: { type: 'array', items: ref(item) }, first_id: nullable(str), last_id: nullable(str), has_more: { type: 'boolean' } },
});
const errors = {
  '400': json(ref('ErrorResponse'), 'Invalid request'),
  '401': json(ref('ErrorResponse'), 'Missing or invalid API key'),
  '404': json(ref('ErrorResponse'), 'Not found (or another project\'s)'),
};
const TAG = ['assistants-edge'];
const ADMIN_TAG = ['assistants-edge admin'];
const PASS_THROUGH_TAG = ['OpenAI pass-through'];

const LIST_PARAMS = [
  query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Objects per page.'),
  query('order', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'Sort order by creation time.'),
  query('after', str, 'Cursor: the id of the last object of the previous page.'),
  query('before', str, 'Cursor: the id of the first object of the next page.'),
];

const USAGE_PARAMS = [
  query('start_time', int, 'Start of the range (unix seconds, inclusive).', true),
  query('end_time', int, 'End of the range (unix seconds, exclusive; default now).'),
  query('limit', int, 'Buckets per page (1m: 60/max 1440, 1h: 24/max 168, 1d: 7/max 31).'),
  query('page', str, 'The `next_page` cursor of the previous page.'),
  query('project_ids', { type: 'array', items: str }, 'Only these projects (a project key only ever sees its own).'),
];

const bucketPage = (result: string) => ({
  type: 'object',
  required: ['object', 'data', 'has_more', 'next_page'],
  properties: {
    object: { type: 'string', enum: ['page'] },
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['object', 'start_time', 'end_time', 'results'],
        properties: { object: { type: 'string', enum: ['bucket'] }, start_time: int, end_time: int, results: { type: 'array', items: ref(result) } },
      },
    },
    has_more: { type: 'boolean' },
    next_page: nullable(str),
  },
});

export const EXTENSION_SCHEMAS: Record<string, Json> = {
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
  UsageCompletionsResult: {
    type: 'object',
    required: ['object', 'input_tokens', 'output_tokens', 'num_model_requests'],
    properties: {
      object: { type: 'string', enum: ['organization.usage.completions.result'] },
      input_tokens: int,
      output_tokens: int,
      input_cached_tokens: int,
      input_audio_tokens: int,
      output_audio_tokens: int,
      num_model_requests: int,
      project_id: nullable(str),
      user_id: nullable(str),
      api_key_id: nullable(str),
      model: nullable(str),
      batch: nullable({ type: 'boolean' }),
      assistant_id: { ...nullable(str), description: 'Extension: when grouped by assistant_id.' },
      num_function_calls: { ...int, description: 'Extension: function calls the model made.' },
      num_file_search_calls: { ...int, description: 'Extension: file_search calls.' },
      num_code_interpreter_calls: { ...int, description: 'Extension: code_interpreter calls.' },
    },
  },
  UsageCodeInterpreterSessionsResult: {
    type: 'object',
    required: ['object', 'num_sessions'],
    properties: { object: { type: 'string', enum: ['organization.usage.code_interpreter_sessions.result'] }, num_sessions: int, project_id: nullable(str) },
  },
  CostsResult: {
    type: 'object',
    required: ['object', 'amount'],
    properties: {
      object: { type: 'string', enum: ['organization.costs.result'] },
      amount: { type: 'object', properties: { value: { type: 'number' }, currency: { type: 'string', enum: ['usd'] } } },
      line_item: nullable(str),
      project_id: nullable(str),
    },
  },
  UsageStorageResult: {
    type: 'object',
    required: ['object', 'usage_bytes', 'gb_days'],
    properties: {
      object: { type: 'string', enum: ['organization.usage.vector_stores.result', 'organization.usage.file_storage.result'] },
      usage_bytes: { ...int, description: 'Average bytes held over the bucket (its elapsed part).' },
      gb_days: { type: 'number', description: 'Extension: bytes x days / 10^9 held in the bucket.' },
      project_id: nullable(str),
    },
  },
  UsageStoragePage: bucketPage('UsageStorageResult'),
  UsageCompletionsPage: bucketPage('UsageCompletionsResult'),
  UsageCodeInterpreterSessionsPage: bucketPage('UsageCodeInterpreterSessionsResult'),
  CostsPage: {
    allOf: [bucketPage('CostsResult')],
    properties: { unpriced_models: { type: 'array', items: str, description: 'Extension: models in range without a price (counted at 0).' } },
  },
  Project: {
    type: 'object',
    required: ['id', 'object', 'name', 'created_at', 'status'],
    properties: { id: str, object: { type: 'string', enum: ['organization.project'] }, name: str, created_at: int, archived_at: nullable(int), status: { type: 'string', enum: ['active', 'archived'] } },
  },
  ServiceAccount: {
    type: 'object',
    required: ['id', 'object', 'name', 'role', 'created_at'],
    properties: {
      id: str,
      object: { type: 'string', enum: ['organization.project.service_account'] },
      name: str,
      role: str,
      created_at: int,
      api_key: { type: 'object', description: 'Only in the creation response: the key value, shown once.', properties: { object: str, value: str, name: str, created_at: int, id: str } },
    },
  },
  ApiKey: {
    type: 'object',
    required: ['id', 'object', 'name', 'redacted_value', 'created_at'],
    properties: { id: str, object: { type: 'string', enum: ['organization.project.api_key'] }, name: str, redacted_value: str, created_at: int, last_used_at: nullable(int), owner: { type: 'object' } },
  },
  ListProjectsResponse: listOf('Project'),
  ListServiceAccountsResponse: listOf('ServiceAccount'),
  ListApiKeysResponse: listOf('ApiKey'),
  DeletedObject: { type: 'object', required: ['id', 'object', 'deleted'], properties: { id: str, object: str, deleted: { type: 'boolean' } } },
};

const op = (operationId: string, summary: string, extra: Json, tags = TAG) => ({ operationId, summary, tags, ...extra });
const projectId = pathParam('project_id', 'The project id (proj_...).');
const named = (name: string) => ({ type: 'object', required: ['name'], properties: { name: str }, additionalProperties: false });
const body = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });

/** The query of `GET /threads` and `GET /conversations` (one list, src/http/routes/thread-list.ts). */
const threadListParams = (noun: string) => [
  ...LIST_PARAMS,
  query('created_after', int, `Only ${noun} created at or after this time.`),
  query('created_before', int, `Only ${noun} created at or before this time.`),
  { in: 'query', name: 'metadata', style: 'deepObject', explode: true, schema: { type: 'object', additionalProperties: str }, description: '`metadata[key]=value`: every pair must match.' },
];

export const EXTENSION_PATHS: Record<string, Json> = {
  '/responses': {
    get: op('responsesWebSocket', 'Opens a Responses API WebSocket (OpenAI\'s WebSocket mode).', {
      description: 'With `Upgrade: websocket` (the key in `Authorization`): send `{"type": "response.create", ...}` messages with the body of `POST /responses`; each response\'s stream events come back as JSON text frames (ResponseStreamEvent), one response at a time. See docs/responses.md "WebSocket mode".',
      parameters: [{ in: 'header', name: 'Upgrade', required: true, schema: { type: 'string', enum: ['websocket'] }, description: 'Must be `websocket`.' }],
      responses: { '101': { description: 'Switching protocols: the WebSocket is open' }, ...errors },
    }),
  },
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
  '/organization/usage/completions': {
    get: op('usageCompletions', 'Model usage of runs, in time buckets (OpenAI\'s administration usage API shape).', {
      parameters: [
        ...USAGE_PARAMS,
        query('bucket_width', { type: 'string', enum: ['1m', '1h', '1d'], default: '1d' }, 'Bucket width.'),
        query('group_by', { type: 'array', items: { type: 'string', enum: ['project_id', 'model', 'api_key_id', 'assistant_id'] } }, 'Group results by these fields.'),
        query('models', { type: 'array', items: str }, 'Only these models.'),
        query('api_key_ids', { type: 'array', items: str }, 'Only runs created with these API keys.'),
        query('assistant_ids', { type: 'array', items: str }, 'Extension: only these assistants.'),
      ],
      responses: { '200': json(ref('UsageCompletionsPage')), ...errors },
    }),
  },
  '/organization/usage/code_interpreter_sessions': {
    get: op('usageCodeInterpreterSessions', 'code_interpreter sessions (a thread\'s code calls within one clock hour), in time buckets.', {
      parameters: [
        ...USAGE_PARAMS,
        query('bucket_width', { type: 'string', enum: ['1m', '1h', '1d'], default: '1d' }, 'Bucket width.'),
        query('group_by', { type: 'array', items: { type: 'string', enum: ['project_id'] } }, 'Group results by project.'),
      ],
      responses: { '200': json(ref('UsageCodeInterpreterSessionsPage')), ...errors },
    }),
  },
  '/organization/usage/vector_stores': {
    get: op('usageVectorStores', 'Vector-store storage held, in time buckets (usage_bytes and GB-days).', {
      parameters: [...USAGE_PARAMS, query('bucket_width', { type: 'string', enum: ['1m', '1h', '1d'], default: '1d' }, 'Bucket width.'), query('group_by', { type: 'array', items: { type: 'string', enum: ['project_id'] } }, 'Group results by project.')],
      responses: { '200': json(ref('UsageStoragePage')), ...errors },
    }),
  },
  '/organization/usage/file_storage': {
    get: op('usageFileStorage', 'Extension: file storage held, in time buckets (usage_bytes and GB-days).', {
      parameters: [...USAGE_PARAMS, query('bucket_width', { type: 'string', enum: ['1m', '1h', '1d'], default: '1d' }, 'Bucket width.'), query('group_by', { type: 'array', items: { type: 'string', enum: ['project_id'] } }, 'Group results by project.')],
      responses: { '200': json(ref('UsageStoragePage')), ...errors },
    }),
  },
  '/organization/costs': {
    get: op('costs', 'Costs of model usage from the price table (built-in prices, `PRICES` overrides), daily buckets.', {
      parameters: [
        ...USAGE_PARAMS,
        query('bucket_width', { type: 'string', enum: ['1d'], default: '1d' }, 'Only daily buckets, as OpenAI.'),
        query('group_by', { type: 'array', items: { type: 'string', enum: ['project_id', 'line_item'] } }, 'Group by project and/or line item (`<model>, input|cached input|output`).'),
      ],
      responses: { '200': json(ref('CostsPage')), ...errors },
    }),
  },
  '/organization/projects': {
    get: op('listProjects', 'Lists projects (admin key).', { parameters: [...LIST_PARAMS, query('include_archived', { type: 'boolean' }, 'Include archived projects.')], responses: { '200': json(ref('ListProjectsResponse')), ...errors } }, ADMIN_TAG),
    post: op('createProject', 'Creates a project (admin key).', { requestBody: body(named('project')), responses: { '200': json(ref('Project')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}': {
    get: op('retrieveProject', 'Retrieves a project (admin key).', { parameters: [projectId], responses: { '200': json(ref('Project')), ...errors } }, ADMIN_TAG),
    post: op('modifyProject', 'Renames a project (admin key).', { parameters: [projectId], requestBody: body(named('project')), responses: { '200': json(ref('Project')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/archive': {
    post: op('archiveProject', 'Archives a project: its keys stop working, its data stays (admin key).', { parameters: [projectId], responses: { '200': json(ref('Project')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/export': {
    get: op('exportProject', 'Streams the whole project as JSON Lines (admin key; docs/export-format.md).', {
      parameters: [projectId],
      responses: { '200': { description: 'One `{"type","data"}` object per line.', content: { 'application/jsonl': { schema: str } } }, ...errors },
    }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/service_accounts': {
    get: op('listServiceAccounts', 'Lists a project\'s service accounts (admin key).', { parameters: [projectId, ...LIST_PARAMS], responses: { '200': json(ref('ListServiceAccountsResponse')), ...errors } }, ADMIN_TAG),
    post: op('createServiceAccount', 'Creates a service account and its API key, shown once (admin key).', { parameters: [projectId], requestBody: body(named('service account')), responses: { '200': json(ref('ServiceAccount')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/service_accounts/{service_account_id}': {
    get: op('retrieveServiceAccount', 'Retrieves a service account (admin key).', { parameters: [projectId, pathParam('service_account_id', 'The service account.')], responses: { '200': json(ref('ServiceAccount')), ...errors } }, ADMIN_TAG),
    delete: op('deleteServiceAccount', 'Deletes a service account and its key (admin key).', { parameters: [projectId, pathParam('service_account_id', 'The service account.')], responses: { '200': json(ref('DeletedObject')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/api_keys': {
    get: op('listProjectApiKeys', 'Lists a project\'s API keys, redacted (admin key).', { parameters: [projectId, ...LIST_PARAMS], responses: { '200': json(ref('ListApiKeysResponse')), ...errors } }, ADMIN_TAG),
  },
  '/organization/projects/{project_id}/api_keys/{key_id}': {
    get: op('retrieveProjectApiKey', 'Retrieves an API key, redacted (admin key).', { parameters: [projectId, pathParam('key_id', 'The key.')], responses: { '200': json(ref('ApiKey')), ...errors } }, ADMIN_TAG),
    delete: op('deleteProjectApiKey', 'Deletes an API key (admin key).', { parameters: [projectId, pathParam('key_id', 'The key.')], responses: { '200': json(ref('DeletedObject')), ...errors } }, ADMIN_TAG),
  },
  // OpenAI's own operations (not in the Assistants document), passed through to the configured providers
  // (src/http/routes/chat-completions.ts, embeddings.ts): the bodies are OpenAI's, see its API reference.
  '/chat/completions': {
    post: op('createChatCompletion', "OpenAI's Chat Completions (stream: true answers server-sent events), passed through to the model's provider.", {
      requestBody: body({ type: 'object', required: ['model', 'messages'], properties: { model: str, messages: { type: 'array' }, stream: { type: 'boolean' } } }),
      responses: { '200': { description: 'A chat.completion object, or a text/event-stream of chat.completion.chunk objects', content: { 'application/json': { schema: { type: 'object' } }, 'text/event-stream': { schema: str } } }, ...errors },
    }, PASS_THROUGH_TAG),
  },
  '/embeddings': {
    post: op('createEmbedding', "OpenAI's Embeddings, passed through to the embeddings provider.", {
      requestBody: body({ type: 'object', required: ['model', 'input'], properties: { model: str, input: {}, encoding_format: { type: 'string', enum: ['float', 'base64'] }, dimensions: int } }),
      responses: { '200': json({ type: 'object', required: ['object', 'data', 'model', 'usage'], properties: { object: { type: 'string', enum: ['list'] } } }), ...errors },
    }, PASS_THROUGH_TAG),
  },
  '/openapi.json': {
    get: op('getOpenApiDocument', 'This document (public, no key).', { security: [], responses: { '200': json({ type: 'object' }) } }),
  },
};
