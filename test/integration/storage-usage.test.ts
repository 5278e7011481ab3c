// Storage metering inside workerd against the migrated D1: the triggers of migration 0006 keep one
// interval per file and per vector-store size, and the aggregation turns intervals into byte-seconds
// per bucket with a fixed `now` (so the figures are exact).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { aggregateStorage } from '../../src/db/storage-usage';
import { newId } from '../../src/domain/ids';

const intervalsOf = async (objectId: string) =>
  (await env.DB.prepare('SELECT bytes, start_at, end_at FROM storage_intervals WHERE object_id = ? ORDER BY id').bind(objectId).all()).results;

describe('storage intervals (triggers)', () => {
  it('opens an interval when a file is stored and closes it when the file is deleted', async () => {
    const id = newId('file-');
    const project = newId('proj_');
    await env.DB.prepare("INSERT INTO files (id, project_id, created_at, bytes, filename, purpose, mime_type, r2_key) VALUES (?, ?, 1000, 4096, 'a.txt', 'assistants', 'text/plain', 'k')")
      .bind(id, project)
      .run();
    expect(await intervalsOf(id)).toEqual([{ bytes: 4096, start_at: 1000, end_at: null }]);
    await env.DB.prepare('DELETE FROM files WHERE id = ?').bind(id).run();
    const [closed] = (await intervalsOf(id)) as { end_at: number | null }[];
    expect(closed!.end_at).toBeGreaterThan(1000);
  });

  it('starts a new interval each time a vector store changes size', async () => {
    const id = newId('vs_');
    const project = newId('proj_');
    await env.DB.prepare("INSERT INTO vector_stores (id, project_id, created_at, name, usage_bytes, metadata) VALUES (?, ?, 500, 's', 0, '{}')").bind(id, project).run();
    await env.DB.prepare('UPDATE vector_stores SET usage_bytes = 2048 WHERE id = ?').bind(id).run();
    await env.DB.prepare("UPDATE vector_stores SET name = 'renamed' WHERE id = ?").bind(id).run();
    const rows = (await intervalsOf(id)) as { bytes: number; start_at: number; end_at: number | null }[];
    expect(rows.map((r) => r.bytes)).toEqual([0, 2048]);
    expect(rows[0]!.end_at).toBe(rows[1]!.start_at);
    expect(rows[1]!.end_at).toBeNull();
  });
});

describe('aggregateStorage', () => {
  it('sums bytes x overlap per bucket, open intervals up to now, per project', async () => {
    const [p1, p2] = [newId('proj_'), newId('proj_')];
    const insert = (project: string, bytes: number, start: number, end: number | null) =>
      env.DB.prepare("INSERT INTO storage_intervals (kind, object_id, project_id, bytes, start_at, end_at) VALUES ('file', ?, ?, ?, ?, ?)")
        .bind(newId('file-'), project, bytes, start, end)
        .run();
    // Buckets of 100 s from t=10000: [10000,10100), [10100,10200), [10200,10300).
    await insert(p1, 10, 9950, 10150); // 100 s in bucket 0, 50 s in bucket 1
    await insert(p1, 1, 10250, null); // open: 10250..now=10280 -> 30 s in bucket 2
    await insert(p2, 7, 10000, 10300); // 100 s in each bucket
    const rows = await aggregateStorage(env.DB, { kind: 'file', start: 10_000, width: 100, buckets: 3, now: 10_280, groupByProject: true, projectIds: [p1, p2] });
    const by = (p: string) => rows.filter((r) => r.project_id === p).map((r) => [r.bucket, r.byte_seconds]);
    expect(by(p1)).toEqual([[0, 1000], [1, 500], [2, 30]]);
    expect(by(p2)).toEqual([[0, 700], [1, 700], [2, 560]]);
    const mine = await aggregateStorage(env.DB, { kind: 'file', start: 10_000, width: 100, buckets: 3, now: 10_280, groupByProject: false, projectIds: [p1] });
    expect(mine).toEqual([{ bucket: 0, byte_seconds: 1000 }, { bucket: 1, byte_seconds: 500 }, { bucket: 2, byte_seconds: 30 }]);
  });
});
