/**
 * OpenAI's Containers API (docs/containers.md) as OpenAPI 3.1 path items and schemas: the copied documents
 * do not describe `/containers`, so these follow OpenAI's public API reference (container object, container
 * file object). Merged into the served document by document.ts, tagged `Containers`.
 */
type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const int = { type: 'integer' };
const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const errors = {
  '400': json(ref('ErrorResponse'), 'Invalid request'),
  '401': json(ref('ErrorResponse'), 'Missing or invalid API key'),
  '404': json(ref('ErrorResponse'), "Not found (or another project's)"),
};
const TAGS = ['Containers'];
const op = (operationId: string, summary: string, extra: Json) => ({ operationId, summary, tags: TAGS, ...extra });
const pathParam = (name: string, description: string) => ({ in: 'path', name, required: true, schema: str, description });
const containerId = pathParam('container_id', 'The container id (cntr_...).');
const fileId = pathParam('file_id', 'The container file id (cfile_...).');
const LIST = [
  { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, description: 'Objects per page.' },
  { in: 'query', name: 'order', schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, description: 'Sort order by creation time.' },
  { in: 'query', name: 'after', schema: str, description: 'Cursor: the id of the last object of the previous page.' },
  { in: 'query', name: 'before', schema: str, description: 'Cursor: the id of the first object of the next page.' },
];
const listOf = (item: string) => ({
  type: 'object',
  required: ['object', 'data', 'first_id', 'last_id', 'has_more'],
  properties: { object: { type: 'string', enum: ['list'] }, data: { type: 'array', items: ref(item) }, first_id: { anyOf: [str, { type: 'null' }] }, last_id: { anyOf: [str, { type: 'null' }] }, has_more: { type: 'boolean' } },
});
const deleted = (object: string) => ({ type: 'object', required: ['id', 'object', 'deleted'], properties: { id: str, object: { type: 'string', enum: [object] }, deleted: { type: 'boolean' } } });
const memoryLimit = { type: 'string', enum: ['1g', '4g', '16g', '64g'] };

export const CONTAINER_SCHEMAS: Record<string, Json> = {
  ContainerResource: {
    type: 'object',
    required: ['id', 'object', 'created_at', 'status', 'expires_after', 'last_active_at', 'memory_limit', 'name'],
    properties: {
      id: str,
      object: { type: 'string', enum: ['container'] },
      created_at: int,
      status: { type: 'string', enum: ['running', 'expired'] },
      expires_after: { type: 'object', required: ['anchor', 'minutes'], properties: { anchor: { type: 'string', enum: ['last_active_at'] }, minutes: int } },
      last_active_at: int,
      memory_limit: memoryLimit,
      name: str,
    },
  },
  ContainerFileResource: {
    type: 'object',
    required: ['id', 'object', 'container_id', 'created_at', 'bytes', 'path', 'source'],
    properties: {
      id: str,
      object: { type: 'string', enum: ['container.file'] },
      container_id: str,
      created_at: int,
      bytes: int,
      path: str,
      source: { type: 'string', enum: ['user', 'assistant'] },
    },
  },
  ContainerListResource: listOf('ContainerResource'),
  ContainerFileListResource: listOf('ContainerFileResource'),
  DeletedContainer: deleted('container.deleted'),
  DeletedContainerFile: deleted('container.file.deleted'),
  CreateContainerBody: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: str,
      file_ids: { type: 'array', items: str, maxItems: 50 },
      expires_after: { type: 'object', required: ['anchor', 'minutes'], properties: { anchor: { type: 'string', enum: ['last_active_at'] }, minutes: { type: 'integer', minimum: 1, maximum: 1440 } } },
      memory_limit: memoryLimit,
      network_policy: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['disabled'] } } },
    },
  },
};

export const CONTAINER_PATHS: Record<string, Json> = {
  '/containers': {
    post: op('createContainer', 'Creates a container (a code_interpreter sandbox with its files).', {
      requestBody: { required: true, content: { 'application/json': { schema: ref('CreateContainerBody') } } },
      responses: { '200': json(ref('ContainerResource')), ...errors },
    }),
    get: op('listContainers', "Lists the project's containers.", {
      parameters: [...LIST, { in: 'query', name: 'name', schema: str, description: 'Only containers of this name.' }],
      responses: { '200': json(ref('ContainerListResource')), ...errors },
    }),
  },
  '/containers/{container_id}': {
    get: op('retrieveContainer', 'Retrieves a container.', { parameters: [containerId], responses: { '200': json(ref('ContainerResource')), ...errors } }),
    delete: op('deleteContainer', 'Deletes a container, its files and its sandbox session.', { parameters: [containerId], responses: { '200': json(ref('DeletedContainer')), ...errors } }),
  },
  '/containers/{container_id}/files': {
    post: op('createContainerFile', 'Adds a file to a container: an upload (multipart `file`) or a File copied in (`file_id`).', {
      parameters: [containerId],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } },
          'application/json': { schema: { type: 'object', required: ['file_id'], additionalProperties: false, properties: { file_id: str } } },
        },
      },
      responses: { '200': json(ref('ContainerFileResource')), ...errors },
    }),
    get: op('listContainerFiles', "Lists a container's files.", { parameters: [containerId, ...LIST], responses: { '200': json(ref('ContainerFileListResource')), ...errors } }),
  },
  '/containers/{container_id}/files/{file_id}': {
    get: op('retrieveContainerFile', 'Retrieves a container file.', { parameters: [containerId, fileId], responses: { '200': json(ref('ContainerFileResource')), ...errors } }),
    delete: op('deleteContainerFile', 'Deletes a container file.', { parameters: [containerId, fileId], responses: { '200': json(ref('DeletedContainerFile')), ...errors } }),
  },
  '/containers/{container_id}/files/{file_id}/content': {
    get: op('retrieveContainerFileContent', "A container file's bytes.", {
      parameters: [containerId, fileId],
      responses: { '200': { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errors },
    }),
  },
};
