import { Hono } from 'hono';
import { aggregateStorage } from '../../db/storage-usage';
import type { AppContext, AppEnv } from '../context';
import { bucketsEnvelope, bucketWidthOf, groupsOf, pageOf, projectScope } from '../usage-query';

/**
 * Storage usage: `GET /v1/organization/usage/vector_stores` (OpenAI's result object,
 * `organization.usage.vector_stores.result`) and `GET /v1/organization/usage/file_storage` (ours), from
 * the intervals the D1 triggers of migration 0006 keep. Per bucket: `usage_bytes`, the average held
 * over the bucket's elapsed part, and our `gb_days` (bytes x days / 10^9, the unit OpenAI bills vector
 * storage in). Same scoping as the other usage routes: a project key sees its own project.
 */
export const storageUsageRoutes = new Hono<AppEnv>();

const DAY = 86_400;

async function storageUsage(c: AppContext, kind: 'file' | 'vector_store', object: string) {
  const width = bucketWidthOf(c, ['1m', '1h', '1d']);
  const groupByProject = groupsOf(c, ['project_id']).includes('project_id');
  const page = pageOf(c, width);
  const now = Math.floor(Date.now() / 1000);
  const projectIds = projectScope(c);
  const rows = await aggregateStorage(c.env.DB, {
    kind,
    start: page.start,
    width: page.width,
    buckets: page.starts.length,
    now,
    groupByProject,
    ...(projectIds !== undefined ? { projectIds } : {}),
  });
  return bucketsEnvelope(
    page,
    rows.map((row) => {
      const bucketStart = page.starts[row.bucket]!;
      const elapsed = Math.max(Math.min(bucketStart + page.width, page.end, now) - bucketStart, 1);
      return {
        bucket: row.bucket,
        result: {
          object,
          usage_bytes: Math.round(row.byte_seconds / elapsed),
          gb_days: row.byte_seconds / 1e9 / DAY,
          project_id: groupByProject ? (row.project_id ?? null) : null,
        },
      };
    }),
  );
}

storageUsageRoutes.get('/organization/usage/vector_stores', async (c) =>
  c.json(await storageUsage(c, 'vector_store', 'organization.usage.vector_stores.result')),
);

storageUsageRoutes.get('/organization/usage/file_storage', async (c) =>
  c.json(await storageUsage(c, 'file', 'organization.usage.file_storage.result')),
);
