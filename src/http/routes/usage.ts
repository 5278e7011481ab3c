import { Hono } from 'hono';
import { aggregateUsage, USAGE_GROUPS, type UsageAggregate, type UsageGroup } from '../../db/usage';
import type { BucketPage } from '../../domain/usage/buckets';
import { costLines, sumLines } from '../../domain/usage/costs';
import { priceTable } from '../../domain/usage/prices';
import type { AppContext, AppEnv } from '../context';
import { bucketsEnvelope, bucketWidthOf, groupsOf, pageOf, projectScope, queryList } from '../usage-query';

/**
 * Usage and costs in the shape of OpenAI's administration API (`/v1/organization/usage/completions`,
 * `/v1/organization/usage/code_interpreter_sessions`, `/v1/organization/costs`): pages of time
 * buckets, each with its aggregated results. Unlike OpenAI's (admin keys only), a project key may
 * call these and sees its own project's usage; the admin key sees every project. `assistant_id`
 * (group_by and filter) and the tool-call counts are our extensions. See docs/usage.md.
 *
 * Registered before the admin routes in src/http/app.ts: their `requireAdmin` guard covers
 * `/organization/*`, and these handlers answer first so project keys get through.
 */
export const usageRoutes = new Hono<AppEnv>();

async function usageRows(c: AppContext, page: BucketPage, groupBy: UsageGroup[]): Promise<UsageAggregate[]> {
  if (page.starts.length === 0) return [];
  return aggregateUsage(c.env.DB, {
    start: page.start,
    end: page.end,
    width: page.width,
    groupBy,
    projectIds: projectScope(c),
    models: queryList(c, 'models'),
    apiKeyIds: queryList(c, 'api_key_ids'),
    assistantIds: queryList(c, 'assistant_ids'),
  });
}

const COMPLETION_GROUPS = ['project_id', 'model', 'api_key_id', 'assistant_id'] as const;

/**
 * A usage endpoint's answer: minute, hour or day buckets (OpenAI's `bucket_width` values for usage),
 * grouped as asked within `groups`, each aggregate row turned into the endpoint's result object.
 */
async function usageBuckets(
  c: AppContext,
  groups: readonly UsageGroup[],
  toResult: (row: UsageAggregate, grouped: (g: UsageGroup) => string | null) => Record<string, unknown> | null,
) {
  const width = bucketWidthOf(c, ['1m', '1h', '1d']);
  const groupBy = groupsOf(c, groups) as UsageGroup[];
  const page = pageOf(c, width);
  const rows = await usageRows(c, page, groupBy);
  const results = rows.flatMap((row) => {
    const result = toResult(row, (g) => (groupBy.includes(g) ? (row[g] ?? null) : null));
    return result ? [{ bucket: row.bucket, result }] : [];
  });
  return c.json(bucketsEnvelope(page, results));
}

usageRoutes.get('/organization/usage/completions', (c) =>
  usageBuckets(c, COMPLETION_GROUPS, (row, grouped) => ({
    object: 'organization.usage.completions.result',
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    input_cached_tokens: row.cached_tokens,
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: row.requests,
    project_id: grouped('project_id'),
    user_id: null,
    api_key_id: grouped('api_key_id'),
    model: grouped('model'),
    batch: null,
    // Our extensions: the assistant, and the tool calls the model made by type.
    assistant_id: grouped('assistant_id'),
    num_function_calls: row.function_calls,
    num_file_search_calls: row.file_search_calls,
    num_code_interpreter_calls: row.code_interpreter_calls,
  })),
);

// Buckets without a session have no result (OpenAI lists only sessions that happened).
usageRoutes.get('/organization/usage/code_interpreter_sessions', (c) =>
  usageBuckets(c, ['project_id'], (row, grouped) =>
    row.code_interpreter_sessions > 0
      ? { object: 'organization.usage.code_interpreter_sessions.result', num_sessions: row.code_interpreter_sessions, project_id: grouped('project_id') }
      : null,
  ),
);

/**
 * Costs from the price table (src/domain/usage/prices.ts, `PRICES`). OpenAI's costs API has daily
 * buckets only (limit 1..180, default 7) and groups by project_id and line_item. `unpriced_models`
 * (our extension) names the models in range the table has no price for: they are counted at 0.
 */
usageRoutes.get('/organization/costs', async (c) => {
  const width = bucketWidthOf(c, ['1d']);
  const groups = groupsOf(c, ['project_id', 'line_item']);
  const page = pageOf(c, width, 180, 7);
  const rows = await usageRows(c, page, ['model', 'project_id'] satisfies (keyof typeof USAGE_GROUPS)[]);
  const { lines, unpriced } = costLines(rows, priceTable(c.var.services.config.prices));
  const sums = sumLines(lines, { project: groups.includes('project_id'), lineItem: groups.includes('line_item') });
  return c.json(
    bucketsEnvelope(
      page,
      sums.map((s) => ({
        bucket: s.bucket,
        result: {
          object: 'organization.costs.result',
          amount: { value: s.value, currency: 'usd' },
          line_item: s.line_item,
          project_id: s.project_id,
        },
      })),
      { unpriced_models: unpriced },
    ),
  );
});
