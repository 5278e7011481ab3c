/** Storage usage (src/http/routes/usage.ts): byte-seconds held per bucket, from storage_intervals. */
export interface StorageQuery {
  kind: 'file' | 'vector_store';
  /** The page's range [start, end) in unix seconds, `buckets` buckets of `width` seconds from `start`. */
  start: number;
  width: number;
  buckets: number;
  /** Open intervals count up to now: storage in the future is not known yet. */
  now: number;
  groupByProject: boolean;
  projectIds?: string[];
}

export interface StorageAggregate {
  bucket: number;
  project_id?: string;
  byte_seconds: number;
}

/**
 * Each interval contributes `bytes * overlap(interval, bucket)`, the interval's open end being now.
 * The buckets are a recursive series (at most one page: 1440 for 1m buckets).
 */
export async function aggregateStorage(d1: D1Database, q: StorageQuery): Promise<StorageAggregate[]> {
  if (q.buckets <= 0) return [];
  const binds: (string | number)[] = [q.buckets, q.start, q.width, q.now, q.kind];
  let projectFilter = '';
  if (q.projectIds !== undefined) {
    if (q.projectIds.length === 0) return [];
    projectFilter = `AND s.project_id IN (${q.projectIds.map((_, i) => `?${binds.length + i + 1}`).join(',')})`;
    binds.push(...q.projectIds);
  }
  const group = q.groupByProject ? ', s.project_id AS g_project_id' : '';
  const statement = `
    WITH RECURSIVE b(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM b WHERE i + 1 < ?1)
    SELECT b.i AS bucket${group},
      SUM(s.bytes * MAX(0, MIN(COALESCE(s.end_at, ?4), ?2 + (b.i + 1) * ?3, ?4) - MAX(s.start_at, ?2 + b.i * ?3))) AS byte_seconds
    FROM b JOIN storage_intervals s
      ON s.kind = ?5 AND s.start_at < ?2 + (b.i + 1) * ?3 AND COALESCE(s.end_at, ?4) > ?2 + b.i * ?3 ${projectFilter}
    GROUP BY b.i${q.groupByProject ? ', g_project_id' : ''}
    ORDER BY b.i${q.groupByProject ? ', g_project_id' : ''}`;
  const { results } = await d1.prepare(statement).bind(...binds).all<{ bucket: number; g_project_id?: string; byte_seconds: number }>();
  return results
    .filter((r) => r.byte_seconds > 0)
    .map((r) => ({ bucket: r.bucket, byte_seconds: r.byte_seconds, ...(r.g_project_id !== undefined ? { project_id: r.g_project_id } : {}) }));
}
