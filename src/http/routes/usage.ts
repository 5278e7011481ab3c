import { Hono } from 'hono';
import { z } from 'zod';
import { readConfig } from '../../config';
import { aggregateUsage, USAGE_GROUPS, type UsageAggregate, type UsageGroup } from '../../db/usage';
import { BUCKET_LIMITS, BUCKET_SECONDS, bucketPage, decodeCursor, type BucketPage, type BucketWidth } from '../../domain/usage/buckets';
import { costLines, sumLines } from '../../domain/usage/costs';
import { priceTable } from '../../domain/usage/prices';
import type { AppContext, AppEnv } from '../context';
import { invalidRequest } from '../errors';
import { queryInt } from '../pagination';
import { parseWith } from '../validation';

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

const TimeRange = z.object({
  start_time: queryInt.pipe(z.int().min(0)),
  end_time: queryInt.pipe(z.int().min(0)).optional(),
  limit: queryInt.pipe(z.int().min(1)).optional(),
  page: z.string().min(1).optional(),
});

/** A list parameter as `name=a&name=b` or `name[]=a` (the forms OpenAI's clients send). */
function queryList(c: AppContext, name: string): string[] | undefined {
  const values = [...(c.req.queries(name) ?? []), ...(c.req.queries(`${name}[]`) ?? [])].flatMap((v) => v.split(',')).filter((v) => v !== '');
  return values.length > 0 ? values : undefined;
}

function pageOf(c: AppContext, width: BucketWidth, maxLimit = BUCKET_LIMITS[width].max, defaultLimit = BUCKET_LIMITS[width].default): BucketPage {
  const q = parseWith(TimeRange, c.req.query());
  const end = q.end_time ?? Math.floor(Date.now() / 1000);
  if (end <= q.start_time) throw invalidRequest("Invalid 'end_time': must be after 'start_time'.", 'end_time', 'invalid_value');
  const limit = q.limit ?? defaultLimit;
  if (limit > maxLimit) {
    throw invalidRequest(`Invalid 'limit': at most ${maxLimit} buckets per page for bucket_width '${width}'.`, 'limit', 'integer_above_max_value');
  }
  const first = q.page === undefined ? 0 : decodeCursor(q.page);
  if (first === null) throw invalidRequest(`Invalid 'page': '${q.page}' is not a page cursor (use a previous response's next_page).`, 'page', 'invalid_value');
  return bucketPage({ start: q.start_time, end }, BUCKET_SECONDS[width], limit, first);
}

function groupsOf(c: AppContext, allowed: readonly string[]): string[] {
  const groups = queryList(c, 'group_by') ?? [];
  for (const g of groups) {
    if (!allowed.includes(g)) {
      throw invalidRequest(`Invalid 'group_by': '${g}' is not supported here; use ${allowed.map((a) => `'${a}'`).join(', ')}.`, 'group_by', 'invalid_value');
    }
  }
  return [...new Set(groups)];
}

/** A project key is confined to its own project; the admin key sees all (or the `project_ids` it names). */
function projectScope(c: AppContext): string[] | undefined {
  const requested = queryList(c, 'project_ids');
  const principal = c.get('principal');
  if (principal.kind === 'admin') return requested;
  return requested ? requested.filter((id) => id === principal.projectId) : [principal.projectId];
}

function bucketWidthOf(c: AppContext, allowed: readonly BucketWidth[]): BucketWidth {
  const raw = c.req.query('bucket_width') ?? '1d';
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidRequest(`Invalid 'bucket_width': expected one of ${allowed.map((w) => `'${w}'`).join(', ')}, but got '${raw}'.`, 'bucket_width', 'invalid_value');
  }
  return raw as BucketWidth;
}

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

/** `{object:"page", data:[bucket...], has_more, next_page}` with every bucket of the page, empty or not. */
function bucketsEnvelope<R>(page: BucketPage, results: { bucket: number; result: R }[], extra: Record<string, unknown> = {}) {
  return {
    object: 'page' as const,
    data: page.starts.map((start, i) => ({
      object: 'bucket' as const,
      start_time: start,
      end_time: Math.min(start + page.width, page.end),
      results: results.filter((r) => r.bucket === i).map((r) => r.result),
    })),
    has_more: page.nextPage !== null,
    next_page: page.nextPage,
    ...extra,
  };
}

const COMPLETION_GROUPS = ['project_id', 'model', 'api_key_id', 'assistant_id'] as const;

usageRoutes.get('/organization/usage/completions', async (c) => {
  const width = bucketWidthOf(c, ['1m', '1h', '1d']);
  const groupBy = groupsOf(c, COMPLETION_GROUPS) as UsageGroup[];
  const page = pageOf(c, width);
  const rows = await usageRows(c, page, groupBy);
  const grouped = (g: UsageGroup, row: UsageAggregate) => (groupBy.includes(g) ? (row[g] ?? null) : null);
  return c.json(
    bucketsEnvelope(
      page,
      rows.map((row) => ({
        bucket: row.bucket,
        result: {
          object: 'organization.usage.completions.result',
          input_tokens: row.input_tokens,
          output_tokens: row.output_tokens,
          input_cached_tokens: row.cached_tokens,
          input_audio_tokens: 0,
          output_audio_tokens: 0,
          num_model_requests: row.requests,
          project_id: grouped('project_id', row),
          user_id: null,
          api_key_id: grouped('api_key_id', row),
          model: grouped('model', row),
          batch: null,
          // Our extensions: the assistant, and the tool calls the model made by type.
          assistant_id: grouped('assistant_id', row),
          num_function_calls: row.function_calls,
          num_file_search_calls: row.file_search_calls,
          num_code_interpreter_calls: row.code_interpreter_calls,
        },
      })),
    ),
  );
});

usageRoutes.get('/organization/usage/code_interpreter_sessions', async (c) => {
  const width = bucketWidthOf(c, ['1m', '1h', '1d']);
  const groupBy = groupsOf(c, ['project_id']) as UsageGroup[];
  const page = pageOf(c, width);
  const rows = (await usageRows(c, page, groupBy)).filter((r) => r.code_interpreter_sessions > 0);
  return c.json(
    bucketsEnvelope(
      page,
      rows.map((row) => ({
        bucket: row.bucket,
        result: {
          object: 'organization.usage.code_interpreter_sessions.result',
          num_sessions: row.code_interpreter_sessions,
          project_id: groupBy.includes('project_id') ? (row.project_id ?? null) : null,
        },
      })),
    ),
  );
});

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
  const { lines, unpriced } = costLines(rows, priceTable(readConfig(c.env).prices));
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
