import { z } from 'zod';
import type { ListParams, Page } from '../db/pagination';
import { Int, parseWith } from './validation';

/** Query integers arrive as strings; anything not an integer stays a string so the error says so. */
export const queryInt = z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v), Int());

/** `limit` 1..100 (default 20), `order` asc|desc (default desc), `after`, `before` (docs/openai-behaviour.md §3). */
export const ListQuery = z.object({
  limit: queryInt.pipe(Int().min(1).max(100)).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
});

export function parseListQuery(query: Record<string, string>): ListParams {
  return parseWith(ListQuery, query);
}

/** `{object:"list", data, first_id, last_id, has_more}`; the ids are null on an empty page. */
export function listEnvelope<T extends { id: string }>(page: Page<T>) {
  return {
    object: 'list' as const,
    data: page.data,
    first_id: page.data[0]?.id ?? null,
    last_id: page.data.at(-1)?.id ?? null,
    has_more: page.hasMore,
  };
}

/**
 * `openai-poll-after-ms` for GETs of objects still in progress (runs, vector-store files, batches):
 * the SDK's poll helpers sleep this long between requests, 5 s when the header is absent.
 */
export const POLL_AFTER_MS = '250';
