/**
 * Time buckets and pages of OpenAI's usage and costs APIs: `start_time` (inclusive) and `end_time`
 * (exclusive, default now) in unix seconds, split into buckets of `bucket_width` starting at
 * `start_time`; `limit` buckets per page; `page` is the opaque cursor a previous page's `next_page`
 * returned. Empty buckets are returned too (with `results: []`), as OpenAI does.
 */
export const BUCKET_SECONDS = { '1m': 60, '1h': 3600, '1d': 86_400 } as const;
export type BucketWidth = keyof typeof BUCKET_SECONDS;

/** OpenAI's per-width `limit` default and maximum (usage API reference). */
export const BUCKET_LIMITS: Record<BucketWidth, { default: number; max: number }> = {
  '1m': { default: 60, max: 1440 },
  '1h': { default: 24, max: 168 },
  '1d': { default: 7, max: 31 },
};

export interface BucketPage {
  /** Start of each bucket on this page; the last one ends at `end` (clipped to end_time). */
  starts: number[];
  width: number;
  start: number;
  end: number;
  nextPage: string | null;
}

const CURSOR = /^page_(\d{1,6})$/;

export function encodeCursor(bucketIndex: number): string {
  return `page_${bucketIndex}`;
}

/** The bucket index a cursor resumes at, or null when the cursor is not one of ours. */
export function decodeCursor(page: string): number | null {
  const m = CURSOR.exec(page);
  return m ? Number(m[1]) : null;
}

export function bucketPage(range: { start: number; end: number }, width: number, limit: number, firstIndex: number): BucketPage {
  const total = Math.max(Math.ceil((range.end - range.start) / width), 0);
  const count = Math.max(Math.min(limit, total - firstIndex), 0);
  const start = range.start + firstIndex * width;
  const starts = Array.from({ length: count }, (_, i) => start + i * width);
  const end = Math.min(start + count * width, range.end);
  const more = firstIndex + count < total;
  return { starts, width, start, end, nextPage: more ? encodeCursor(firstIndex + count) : null };
}
