/**
 * What the extension descriptions (extensions.ts and the thread-, usage- and admin-extensions.ts beside
 * it) share: OpenAPI 3.1 building blocks, the error responses, the tags and OpenAI's list parameters.
 */
export type Json = Record<string, unknown>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const str = { type: 'string' };
export const int = { type: 'integer' };
export const nullable = (schema: Json) => ({ anyOf: [schema, { type: 'null' }] });
export const pathParam = (name: string, description: string) => ({ in: 'path', name, required: true, schema: str, description });
export const query = (name: string, schema: Json, description: string, required = false) => ({ in: 'query', name, required, schema, description });
export const listOf = (item: string) => ({
  type: 'object',
  required: ['object', 'data', 'first_id', 'last_id', 'has_more'],
  properties: { object: { type: 'string', enum: ['list'] }, data: { type: 'array', items: ref(item) }, first_id: nullable(str), last_id: nullable(str), has_more: { type: 'boolean' } },
});
export const errors = {
  '400': json(ref('ErrorResponse'), 'Invalid request'),
  '401': json(ref('ErrorResponse'), 'Missing or invalid API key'),
  '404': json(ref('ErrorResponse'), 'Not found (or another project\'s)'),
};
export const TAG = ['assistants-edge'];
export const ADMIN_TAG = ['assistants-edge admin'];
export const PASS_THROUGH_TAG = ['OpenAI pass-through'];

export const LIST_PARAMS = [
  query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Objects per page.'),
  query('order', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'Sort order by creation time.'),
  query('after', str, 'Cursor: the id of the last object of the previous page.'),
  query('before', str, 'Cursor: the id of the first object of the next page.'),
];

export const op = (operationId: string, summary: string, extra: Json, tags = TAG) => ({ operationId, summary, tags, ...extra });
export const body = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });
