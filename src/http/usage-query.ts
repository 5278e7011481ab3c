import { z } from 'zod';
import { BUCKET_LIMITS, BUCKET_SECONDS, bucketPage, decodeCursor, type BucketPage, type BucketWidth } from '../domain/usage/buckets';
import type { AppContext } from './context';
import { invalidRequest } from './errors';
import { queryInt } from './pagination';
import { parseWith } from './validation';

/**
 * Query parameters and the page envelope shared by the usage and costs routes (OpenAI's
 * administration usage API): time range, bucket width, group_by, list filters, project scope.
 */
const TimeRange = z.object({
  start_time: queryInt.pipe(z.int().min(0)),
  end_time: queryInt.pipe(z.int().min(0)).optional(),
  limit: queryInt.pipe(z.int().min(1)).optional(),
  page: z.string().min(1).optional(),
});

/** A list parameter as `name=a&name=b` or `name[]=a` (the forms OpenAI's clients send). */
export function queryList(c: AppContext, name: string): string[] | undefined {
  const values = [...(c.req.queries(name) ?? []), ...(c.req.queries(`${name}[]`) ?? [])].flatMap((v) => v.split(',')).filter((v) => v !== '');
  return values.length > 0 ? values : undefined;
}

export function pageOf(c: AppContext, width: BucketWidth, maxLimit = BUCKET_LIMITS[width].max, defaultLimit = BUCKET_LIMITS[width].default): BucketPage {
  const q = parseWith(TimeRange, c.req.query());
  // Without end_time the range runs to now, this second included: the range is half-open
  // ([start, end)), and a call recorded in the current second must be counted by a query made in it.
  const end = q.end_time ?? Math.floor(Date.now() / 1000) + 1;
  if (end <= q.start_time) throw invalidRequest("Invalid 'end_time': must be after 'start_time'.", 'end_time', 'invalid_value');
  const limit = q.limit ?? defaultLimit;
  if (limit > maxLimit) {
    throw invalidRequest(`Invalid 'limit': at most ${maxLimit} buckets per page for bucket_width '${width}'.`, 'limit', 'integer_above_max_value');
  }
  const first = q.page === undefined ? 0 : decodeCursor(q.page);
  if (first === null) throw invalidRequest(`Invalid 'page': '${q.page}' is not a page cursor (use a previous response's next_page).`, 'page', 'invalid_value');
  return bucketPage({ start: q.start_time, end }, BUCKET_SECONDS[width], limit, first);
}

export function groupsOf(c: AppContext, allowed: readonly string[]): string[] {
  const groups = queryList(c, 'group_by') ?? [];
  for (const g of groups) {
    if (!allowed.includes(g)) {
      throw invalidRequest(`Invalid 'group_by': '${g}' is not supported here; use ${allowed.map((a) => `'${a}'`).join(', ')}.`, 'group_by', 'invalid_value');
    }
  }
  return [...new Set(groups)];
}

/** A project key is confined to its own project; the admin key sees all (or the `project_ids` it names). */
export function projectScope(c: AppContext): string[] | undefined {
  const requested = queryList(c, 'project_ids');
  const principal = c.get('principal');
  if (principal.kind === 'admin') return requested;
  return requested ? requested.filter((id) => id === principal.projectId) : [principal.projectId];
}

export function bucketWidthOf(c: AppContext, allowed: readonly BucketWidth[]): BucketWidth {
  const raw = c.req.query('bucket_width') ?? '1d';
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidRequest(`Invalid 'bucket_width': expected one of ${allowed.map((w) => `'${w}'`).join(', ')}, but got '${raw}'.`, 'bucket_width', 'invalid_value');
  }
  return raw as BucketWidth;
}

/** `{object:"page", data:[bucket...], has_more, next_page}` with every bucket of the page, empty or not. */
export function bucketsEnvelope<R>(page: BucketPage, results: { bucket: number; result: R }[], extra: Record<string, unknown> = {}) {
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

