import { and, eq } from 'drizzle-orm';
import { byKey, inProject } from './project-scope';
import { newId, unixSeconds } from '../domain/ids';
import { newApiKeyValue, redactKey, sha256Hex } from '../domain/keys';
import type { Database } from './client';
import { pageBy, type ListParams } from './pagination';
import { apiKeys, projects, serviceAccounts } from './schema';

/**
 * Tenancy: projects, their service accounts and API keys, shaped like OpenAI's admin API
 * (`organization.project`, `organization.project.service_account`, `organization.project.api_key`).
 */

type ProjectRow = typeof projects.$inferSelect;
type ServiceAccountRow = typeof serviceAccounts.$inferSelect;
type ApiKeyRow = typeof apiKeys.$inferSelect;

export const DEFAULT_PROJECT_ID = 'proj_default';

export function toProjectObject(row: ProjectRow) {
  return {
    id: row.id,
    object: 'organization.project' as const,
    name: row.name,
    created_at: row.createdAt,
    archived_at: row.archivedAt,
    status: row.status,
  };
}

export function toServiceAccountObject(row: ServiceAccountRow) {
  return {
    object: 'organization.project.service_account' as const,
    id: row.id,
    name: row.name,
    role: row.role,
    created_at: row.createdAt,
  };
}

export function toApiKeyObject(row: ApiKeyRow, owner: ServiceAccountRow | undefined) {
  return {
    object: 'organization.project.api_key' as const,
    id: row.id,
    name: row.name,
    redacted_value: row.redactedValue,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    owner: owner ? { type: 'service_account' as const, service_account: toServiceAccountObject(owner) } : null,
  };
}

export async function createProject(db: Database, name: string) {
  const now = Date.now();
  const row: ProjectRow = { id: newId('proj_', now), name, status: 'active', createdAt: unixSeconds(now), archivedAt: null };
  await db.insert(projects).values(row);
  return toProjectObject(row);
}

export async function getProjectRow(db: Database, id: string) {
  return db.query.projects.findFirst({ where: eq(projects.id, id) });
}

export async function listProjects(db: Database, params: ListParams, includeArchived: boolean) {
  const where = includeArchived ? undefined : eq(projects.status, 'active');
  const page = await pageBy(projects.id, params, where, (w, orderBy, limit) =>
    db.select().from(projects).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toProjectObject) };
}

export async function updateProject(db: Database, id: string, patch: Partial<Pick<ProjectRow, 'name' | 'status' | 'archivedAt'>>) {
  const rows = await db.update(projects).set(patch).where(eq(projects.id, id)).returning();
  return rows[0] ? toProjectObject(rows[0]) : undefined;
}

/** A service account comes with one API key, returned in clear only in this response. */
export async function createServiceAccount(db: Database, projectId: string, name: string) {
  const now = Date.now();
  const account: ServiceAccountRow = { id: newId('svc_acct_', now), projectId, name, role: 'member', createdAt: unixSeconds(now) };
  const value = newApiKeyValue();
  const key: ApiKeyRow = {
    id: newId('key_', now),
    projectId,
    serviceAccountId: account.id,
    name: 'Secret Key',
    keyHash: await sha256Hex(value),
    redactedValue: redactKey(value),
    createdAt: unixSeconds(now),
    lastUsedAt: null,
  };
  await db.batch([db.insert(serviceAccounts).values(account), db.insert(apiKeys).values(key)]);
  return {
    ...toServiceAccountObject(account),
    api_key: {
      object: 'organization.project.service_account.api_key' as const,
      value,
      name: key.name,
      created_at: key.createdAt,
      id: key.id,
    },
  };
}

export async function listServiceAccounts(db: Database, projectId: string, params: ListParams) {
  const page = await pageBy(serviceAccounts.id, params, inProject(serviceAccounts, projectId), (w, orderBy, limit) =>
    db.select().from(serviceAccounts).where(w).orderBy(orderBy).limit(limit),
  );
  return { ...page, data: page.data.map(toServiceAccountObject) };
}

export async function getServiceAccountRow(db: Database, projectId: string, id: string) {
  return db.query.serviceAccounts.findFirst({
    where: inProject(serviceAccounts, projectId, eq(serviceAccounts.id, id)),
  });
}

/** Deleting a service account revokes its keys in the same atomic batch. */
export async function deleteServiceAccount(db: Database, projectId: string, id: string) {
  const [, deleted] = await db.batch([
    db.delete(apiKeys).where(inProject(apiKeys, projectId, eq(apiKeys.serviceAccountId, id))),
    db
      .delete(serviceAccounts)
      .where(inProject(serviceAccounts, projectId, eq(serviceAccounts.id, id)))
      .returning({ id: serviceAccounts.id }),
  ]);
  return deleted.length > 0;
}

export async function listApiKeys(db: Database, projectId: string, params: ListParams) {
  const page = await pageBy(apiKeys.id, params, inProject(apiKeys, projectId), (w, orderBy, limit) =>
    db.select().from(apiKeys).where(w).orderBy(orderBy).limit(limit),
  );
  const owners = await db.select().from(serviceAccounts).where(inProject(serviceAccounts, projectId));
  const byId = new Map(owners.map((o) => [o.id, o]));
  return { ...page, data: page.data.map((k) => toApiKeyObject(k, k.serviceAccountId ? byId.get(k.serviceAccountId) : undefined)) };
}

export async function getApiKey(db: Database, projectId: string, id: string) {
  const key = await db.query.apiKeys.findFirst({ where: inProject(apiKeys, projectId, eq(apiKeys.id, id)) });
  if (!key) return undefined;
  const owner = key.serviceAccountId ? await getServiceAccountRow(db, projectId, key.serviceAccountId) : undefined;
  return toApiKeyObject(key, owner);
}

export async function deleteApiKey(db: Database, projectId: string, id: string) {
  const rows = await db
    .delete(apiKeys)
    .where(inProject(apiKeys, projectId, eq(apiKeys.id, id)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** Resolves a presented key to its active project, by digest. */
export async function findKeyByValue(db: Database, value: string) {
  const hash = await sha256Hex(value);
  const rows = await db
    .select({ keyId: apiKeys.id, projectId: apiKeys.projectId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(byKey(apiKeys, 'all projects', eq(apiKeys.keyHash, hash), eq(projects.status, 'active')))
    .limit(1);
  return rows[0];
}

export async function touchKey(db: Database, keyId: string, now: number) {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(byKey(apiKeys, 'row found in project', eq(apiKeys.id, keyId)));
}
