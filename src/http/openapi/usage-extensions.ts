/**
 * Usage and costs in the shape of OpenAI's administration API (`/organization/usage/*`,
 * `/organization/costs`), as OpenAPI 3.1 schemas and path items. Part of EXTENSION_SCHEMAS /
 * EXTENSION_PATHS (extensions.ts).
 */
import { errors, int, json, nullable, op, query, ref, str, type Json } from './extension-helpers';

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

export const USAGE_SCHEMAS: Record<string, Json> = {
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
};

export const USAGE_PATHS: Record<string, Json> = {
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
};
