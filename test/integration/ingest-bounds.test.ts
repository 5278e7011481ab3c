import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config';
import { fileBatches } from '../../src/db/schema';
import { newId, unixSeconds } from '../../src/domain/ids';
import { EMBED_BATCH, ingestFile } from '../../src/retrieval/ingest';
import { waitWhileIndexing } from '../../src/retrieval/indexing-wait';
import { sweepStrandedFiles } from '../../src/retrieval/ingest-sweeper';
import { attachThrough, chunkRows, countingEmbedder, db, fileRow, longText, newStore, PROJECT, servicesWith, testQueue, uploadText, vectorIds } from './ingest-support';
import { api } from './support';

const OPTIONS = { stallSeconds: 120, maxAttempts: 3 };
/** How often the cron fires (wrangler.toml `[triggers]`: every minute). */
const CRON_MS = 60_000;
const never = new AbortController().signal;

describe('ingestion bounds', { timeout: 60_000 }, () => {
  it('the sweeper settings default to a 120 s stall and 3 attempts, and refuse nonsense', () => {
    expect(readConfig({ ...env })).toMatchObject({ ingestStallSeconds: 120, ingestMaxAttempts: 3 });
    expect(readConfig({ ...env, INGEST_STALL_SECONDS: '300', INGEST_MAX_ATTEMPTS: '5' })).toMatchObject({ ingestStallSeconds: 300, ingestMaxAttempts: 5 });
    expect(() => readConfig({ ...env, INGEST_STALL_SECONDS: '0' })).toThrow(/INGEST_STALL_SECONDS must be at least 1/);
    expect(() => readConfig({ ...env, INGEST_MAX_ATTEMPTS: 'three' })).toThrow(/INGEST_MAX_ATTEMPTS must be a whole number/);
  });

  it('a file that never makes progress ends failed after its attempts, within the documented bound; batch and store follow', async () => {
    const fileId = await uploadText('never.txt', longText(20, 'never'));
    const storeId = await newStore();
    const batchId = newId('vsfb_');
    await db().insert(fileBatches).values({ id: batchId, vectorStoreId: storeId, projectId: PROJECT, createdAt: unixSeconds() });
    const lost = testQueue('lost'); // every message lost: the file never progresses
    await attachThrough(lost.queue, storeId, fileId, 100, batchId);
    const start = (await fileRow(storeId, fileId)).progressAt;

    // The cron fires every minute; each sweep past the stall deadline sends the file again.
    let now = start;
    let failedAt: number | null = null;
    for (let tick = 1; tick <= 20 && failedAt === null; tick++) {
      now = start + tick * CRON_MS;
      await sweepStrandedFiles(servicesWith(null), lost.queue, OPTIONS, now);
      if ((await fileRow(storeId, fileId)).status === 'failed') failedAt = now;
    }
    expect(failedAt).not.toBeNull();
    // README: at most maxAttempts × (stallSeconds + one cron interval) in_progress.
    expect(failedAt! - start).toBeLessThanOrEqual(OPTIONS.maxAttempts * (OPTIONS.stallSeconds * 1000 + CRON_MS));
    expect(lost.sent.filter((j) => j.fileId === fileId)).toHaveLength(OPTIONS.maxAttempts);
    const row = await fileRow(storeId, fileId);
    expect(row.attempts).toBe(OPTIONS.maxAttempts);
    expect(row.lastError).toMatchObject({ code: 'server_error' });
    expect(row.lastError!.message).toMatch(/no progress/);

    const file = await api('GET', `/vector_stores/${storeId}/files/${fileId}`);
    expect(file.body).toMatchObject({ status: 'failed', last_error: { code: 'server_error' } });
    const batch = await api('GET', `/vector_stores/${storeId}/file_batches/${batchId}`);
    expect(batch.body).toMatchObject({ status: 'failed', file_counts: { in_progress: 0, failed: 1, total: 1 } });
    const store = await api('GET', `/vector_stores/${storeId}`);
    expect(store.body).toMatchObject({ status: 'completed', file_counts: { in_progress: 0, failed: 1 } });
  });

  it('a failed file keeps no chunks from its interrupted attempts', async () => {
    const fileId = await uploadText('partial.txt', longText(900, 'partial'));
    const storeId = await newStore();
    const lost = testQueue('lost');
    await attachThrough(lost.queue, storeId, fileId);
    const dying = countingEmbedder({ crashAtCall: 2 });
    await expect(ingestFile(servicesWith(dying.embedder), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId })).rejects.toThrow();
    const written = await chunkRows(storeId, fileId);
    expect(written.length).toBeGreaterThan(EMBED_BATCH);
    expect(await vectorIds(storeId, written.map((r) => r.id))).toHaveLength(EMBED_BATCH);

    let now = (await fileRow(storeId, fileId)).progressAt;
    for (let i = 0; i < OPTIONS.maxAttempts; i++) {
      now += (OPTIONS.stallSeconds + 1) * 1000;
      await sweepStrandedFiles(servicesWith(null), lost.queue, OPTIONS, now);
    }
    expect((await fileRow(storeId, fileId)).status).toBe('failed');
    expect(await chunkRows(storeId, fileId)).toHaveLength(0);
    expect(await vectorIds(storeId, written.map((r) => r.id))).toHaveLength(0);
  });

  it('two sweeps at once send a stranded file once', async () => {
    const fileId = await uploadText('twice.txt', longText(10, 'twice'));
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId);
    const due = (await fileRow(storeId, fileId)).progressAt + (OPTIONS.stallSeconds + 1) * 1000;
    const a = testQueue('lost');
    const b = testQueue('lost');
    await Promise.all([
      sweepStrandedFiles(servicesWith(null), a.queue, OPTIONS, due),
      sweepStrandedFiles(servicesWith(null), b.queue, OPTIONS, due),
    ]);
    expect([...a.sent, ...b.sent].filter((j) => j.fileId === fileId)).toHaveLength(1);
    expect((await fileRow(storeId, fileId)).attempts).toBe(2);
  });

  it('a file indexed twice at once has exactly one set of chunks and vectors', async () => {
    const text = longText(900, 'concurrent');
    const fileId = await uploadText('concurrent.txt', text);
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId);
    const job = { projectId: PROJECT, vectorStoreId: storeId, fileId };
    const outcomes = await Promise.all([
      ingestFile(servicesWith(countingEmbedder().embedder), env.FILES, job),
      ingestFile(servicesWith(countingEmbedder().embedder), env.FILES, job),
    ]);
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(1);
    const rows = await chunkRows(storeId, fileId);
    expect(rows.length).toBeGreaterThan(EMBED_BATCH);
    expect(rows.map((r) => r.chunkIndex)).toEqual(rows.map((_, i) => i));
    expect(await vectorIds(storeId, rows.map((r) => r.id))).toHaveLength(rows.length);
    expect((await fileRow(storeId, fileId)).status).toBe('completed');
  });

  it('a slow consumer overtaken by a retry stops at its next progress write and leaves the chunks of the retry alone', async () => {
    const fileId = await uploadText('overtaken.txt', longText(900, 'overtaken'));
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId);
    const job = { projectId: PROJECT, vectorStoreId: storeId, fileId };
    // The first consumer hangs in its first embeddings call (alive, but stalled).
    let release!: () => void;
    let entered!: () => void;
    const inCall = new Promise<void>((r) => (entered = r));
    const slow = countingEmbedder();
    const hanging = {
      ...slow.embedder,
      embed: async (texts: string[]) => {
        entered();
        await new Promise<void>((r) => (release = r));
        return slow.embedder.embed(texts);
      },
    };
    const first = ingestFile(servicesWith(hanging), env.FILES, job);
    await inCall;
    // The sweeper's re-send reaches another consumer, which finishes the file.
    expect(await ingestFile(servicesWith(countingEmbedder().embedder), env.FILES, job)).toBe('completed');
    const rows = await chunkRows(storeId, fileId);
    release();
    expect(await first).toBe('skipped');
    expect(await chunkRows(storeId, fileId)).toEqual(rows);
    expect(rows.map((r) => r.chunkIndex)).toEqual(rows.map((_, i) => i));
    expect(await vectorIds(storeId, rows.map((r) => r.id))).toHaveLength(rows.length);
    expect((await fileRow(storeId, fileId)).status).toBe('completed');
  });

  it('file_search does not wait for files that make no progress', async () => {
    const stuckId = await uploadText('stuck.txt', longText(10, 'stuck'));
    const storeId = await newStore();
    await attachThrough(testQueue('broken').queue, storeId, stuckId); // never sent: no progress since
    // With a 10-minute bound, only the progress check can end this wait before the test's timeout.
    const state = await waitWhileIndexing(db(), [storeId], never, 600_000);
    expect(state).toEqual({ pending: 1, progressing: 0 });
  });

  it('file_search waits for files that are making progress until they finish', async () => {
    const fileId = await uploadText('live.txt', longText(40, 'live'));
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId); // just queued: progressing
    const waiting = waitWhileIndexing(db(), [storeId], never, 600_000);
    expect(await ingestFile(servicesWith(null), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId })).toBe('completed');
    expect(await waiting).toEqual({ pending: 0, progressing: 0 });
  });
});
