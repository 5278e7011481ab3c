import { Hono } from 'hono';
import { z } from 'zod';
import {
  createProject,
  createServiceAccount,
  deleteApiKey,
  deleteServiceAccount,
  getApiKey,
  getProjectRow,
  getServiceAccountRow,
  listApiKeys,
  listProjects,
  listServiceAccounts,
  toProjectObject,
  toServiceAccountObject,
  updateProject,
  DEFAULT_PROJECT_ID,
} from '../../db/projects';
import { unixSeconds } from '../../domain/ids';
import { dbOf, type AppContext, type AppEnv } from '../context';
import { apiKeysOf } from '../api-keys';
import { invalidRequest, notFound } from '../errors';
import { requireAdmin } from '../middleware';
import { listEnvelope, parseListQuery } from '../pagination';
import { parseBody, parseWith, pathId } from '../validation';

/**
 * The admin API, shaped after OpenAI's (`/v1/organization/projects`, their service accounts and API
 * keys). Only the ADMIN_API_KEY may call it. A service account is how a project gets a key.
 */
export const organizationRoutes = new Hono<AppEnv>();
organizationRoutes.use('/organization/*', requireAdmin);

const ProjectCreateParams = z.strictObject({ name: z.string().min(1).max(256) });
const ProjectUpdateParams = z.strictObject({ name: z.string().min(1).max(256) });
const ServiceAccountCreateParams = z.strictObject({ name: z.string().min(1).max(256) });
const ProjectListQuery = z.object({ include_archived: z.enum(['true', 'false']).optional() });

async function requireProject(c: AppContext) {
  const id = pathId(c, 'project_id', 'proj_');
  const row = await getProjectRow(dbOf(c), id);
  if (!row) throw notFound('project', id);
  return row;
}

organizationRoutes.get('/organization/projects', async (c) => {
  const { include_archived } = parseWith(ProjectListQuery, c.req.query());
  const page = await listProjects(dbOf(c), parseListQuery(c.req.query()), include_archived === 'true');
  return c.json(listEnvelope(page));
});

organizationRoutes.post('/organization/projects', async (c) => {
  const { name } = await parseBody(c, ProjectCreateParams);
  return c.json(await createProject(dbOf(c), name));
});

organizationRoutes.get('/organization/projects/:project_id', async (c) => c.json(toProjectObject(await requireProject(c))));

organizationRoutes.post('/organization/projects/:project_id', async (c) => {
  const project = await requireProject(c);
  const { name } = await parseBody(c, ProjectUpdateParams);
  return c.json(await updateProject(dbOf(c), project.id, { name }));
});

/** Archiving is OpenAI's "delete": the project's keys stop working; its data stays. */
organizationRoutes.post('/organization/projects/:project_id/archive', async (c) => {
  const project = await requireProject(c);
  if (project.id === DEFAULT_PROJECT_ID) throw invalidRequest('The default project cannot be archived.', 'project_id', 'invalid_value');
  if (project.status === 'archived') return c.json(toProjectObject(project));
  const archived = await updateProject(dbOf(c), project.id, { status: 'archived', archivedAt: unixSeconds() });
  apiKeysOf(c).forgetAll();
  return c.json(archived);
});

organizationRoutes.get('/organization/projects/:project_id/service_accounts', async (c) => {
  const project = await requireProject(c);
  return c.json(listEnvelope(await listServiceAccounts(dbOf(c), project.id, parseListQuery(c.req.query()))));
});

organizationRoutes.post('/organization/projects/:project_id/service_accounts', async (c) => {
  const project = await requireProject(c);
  if (project.status !== 'active') throw invalidRequest(`Project '${project.id}' is archived.`, 'project_id', 'invalid_value');
  const { name } = await parseBody(c, ServiceAccountCreateParams);
  return c.json(await createServiceAccount(dbOf(c), project.id, name));
});

organizationRoutes.get('/organization/projects/:project_id/service_accounts/:service_account_id', async (c) => {
  const project = await requireProject(c);
  const id = pathId(c, 'service_account_id', 'svc_acct_');
  const row = await getServiceAccountRow(dbOf(c), project.id, id);
  if (!row) throw notFound('service account', id);
  return c.json(toServiceAccountObject(row));
});

organizationRoutes.delete('/organization/projects/:project_id/service_accounts/:service_account_id', async (c) => {
  const project = await requireProject(c);
  const id = pathId(c, 'service_account_id', 'svc_acct_');
  if (!(await deleteServiceAccount(dbOf(c), project.id, id))) throw notFound('service account', id);
  apiKeysOf(c).forgetAll();
  return c.json({ object: 'organization.project.service_account.deleted', id, deleted: true });
});

organizationRoutes.get('/organization/projects/:project_id/api_keys', async (c) => {
  const project = await requireProject(c);
  return c.json(listEnvelope(await listApiKeys(dbOf(c), project.id, parseListQuery(c.req.query()))));
});

organizationRoutes.get('/organization/projects/:project_id/api_keys/:key_id', async (c) => {
  const project = await requireProject(c);
  const id = pathId(c, 'key_id', 'key_');
  const key = await getApiKey(dbOf(c), project.id, id);
  if (!key) throw notFound('API key', id);
  return c.json(key);
});

organizationRoutes.delete('/organization/projects/:project_id/api_keys/:key_id', async (c) => {
  const project = await requireProject(c);
  const id = pathId(c, 'key_id', 'key_');
  if (!(await deleteApiKey(dbOf(c), project.id, id))) throw notFound('API key', id);
  apiKeysOf(c).forgetAll();
  return c.json({ object: 'organization.project.api_key.deleted', id, deleted: true });
});
