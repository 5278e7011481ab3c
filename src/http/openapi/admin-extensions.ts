/**
 * The admin API (ADMIN_API_KEY): projects, service accounts, API keys and project export, as OpenAPI
 * 3.1 schemas and path items. Part of EXTENSION_SCHEMAS / EXTENSION_PATHS (extensions.ts).
 */
import { ADMIN_TAG, body, errors, int, json, LIST_PARAMS, listOf, nullable, op, pathParam, query, ref, str, type Json } from './extension-helpers';

export const ADMIN_SCHEMAS: Record<string, Json> = {
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

const projectId = pathParam('project_id', 'The project id (proj_...).');
const named = (name: string) => ({ type: 'object', required: ['name'], properties: { name: str }, additionalProperties: false });

export const ADMIN_PATHS: Record<string, Json> = {
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
};
