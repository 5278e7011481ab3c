import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { readConfig } from '../../src/config';
import { chunkText } from '../../src/domain/chunking';
import { EMBED_BATCH, ingestFile } from '../../src/retrieval/ingest';
import {
  attachThrough,
  chunkRows,
  countingEmbedder,
  fileRow,
  longText,
  newStore,
  PROJECT,
  servicesWith,
  testQueue,
  uploadText,
  vectorIds,
} from './ingest-support';
import { eventually } from './support';

const config = readConfig(env);
const STALL_MS = config.ingestStallSeconds * 1000;

/** Fires the cron trigger as Cloudflare would, at `scheduledTime` (the sweeper's clock). */
async function cron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const settled = (storeId: string, fileId: string) =>
  eventually(() => fileRow(storeId, fileId), (r) => r.status !== 'in_progress', 400, 25);

/** Exactly one set: one chunk per index 0..n-1 of the file's chunking, no duplicates. */
async function expectOneSetOfChunks(storeId: string, fileId: string, text: string, maxTokens = 100) {
  const expected = chunkText(text, { maxTokens, overlapTokens: 0 }).length;
  const rows = await chunkRows(storeId, fileId);
  expect(rows.map((r) => r.chunkIndex)).toEqual(Array.from({ length: expected }, (_, i) => i));
  return rows;
}

describe('ingestion that always finishes', { timeout: 60_000 }, () => {
  it('a lost queue message: the cron sweep re-queues the stranded file past the stall deadline and it completes', async () => {
    const text = longText(60, 'lost-message');
    const fileId = await uploadText('lost.txt', text);
    const storeId = await newStore();
    const lost = testQueue('lost');
    await attachThrough(lost.queue, storeId, fileId);
    expect(lost.sent).toHaveLength(1); // sent, then lost with the queue
    const before = await fileRow(storeId, fileId);
    expect(before).toMatchObject({ status: 'in_progress', attempts: 1 });

    // Within the deadline the sweep leaves it alone: it may just be waiting for its consumer.
    await cron(before.progressAt + STALL_MS - 1000);
    expect(await fileRow(storeId, fileId)).toMatchObject({ status: 'in_progress', attempts: 1 });

    // Past it, the sweep sends it again (the real queue this time) and the consumer indexes it.
    await cron(before.progressAt + STALL_MS + 1000);
    const done = await settled(storeId, fileId);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, lastError: null });
    await expectOneSetOfChunks(storeId, fileId, text);
    const store = await import('./support').then((s) => s.api('GET', `/vector_stores/${storeId}`));
    expect(store.body).toMatchObject({ status: 'completed', file_counts: { in_progress: 0, completed: 1, total: 1 } });
  });

  it('a consumer killed mid-file: the retry adopts the chunks written and embeds only what was left', async () => {
    const text = longText(1000, 'killed');
    const fileId = await uploadText('killed.txt', text);
    const storeId = await newStore();
    const total = chunkText(text, { maxTokens: 100, overlapTokens: 0 }).length;
    expect(total).toBeGreaterThan(2 * EMBED_BATCH);
    await attachThrough(testQueue('lost').queue, storeId, fileId);

    // The consumer dies at its second embeddings call: chunks written, one batch embedded.
    const first = countingEmbedder({ crashAtCall: 2 });
    await expect(ingestFile(servicesWith(first.embedder), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId })).rejects.toThrow('consumer killed');
    const crashed = await fileRow(storeId, fileId);
    expect(crashed).toMatchObject({ status: 'in_progress', chunksEmbedded: EMBED_BATCH, claim: 1 });
    const written = await chunkRows(storeId, fileId);
    expect(written).toHaveLength(total);

    // The retry (a redelivery, or the sweeper's re-send) resumes.
    const retry = countingEmbedder();
    const outcome = await ingestFile(servicesWith(retry.embedder), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId });
    expect(outcome).toBe('completed');
    expect(retry.state.texts).toBe(total - EMBED_BATCH);
    const rows = await expectOneSetOfChunks(storeId, fileId, text);
    expect(rows.map((r) => r.id)).toEqual(written.map((r) => r.id)); // the same chunks, not written again
    expect((await vectorIds(storeId, rows.map((r) => r.id))).length).toBe(total);
  });

  it('a consumer killed mid-file and its message lost: the cron sweep finishes it with one set of chunks', async () => {
    const text = longText(150, 'killed-lost');
    const fileId = await uploadText('killed-lost.txt', text);
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId);
    const dying = countingEmbedder({ crashAtCall: 1 });
    await expect(ingestFile(servicesWith(dying.embedder), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId })).rejects.toThrow();
    const crashed = await fileRow(storeId, fileId);
    expect(crashed.status).toBe('in_progress');

    await cron(crashed.progressAt + STALL_MS + 1000);
    expect(await settled(storeId, fileId)).toMatchObject({ status: 'completed', attempts: 2 });
    await expectOneSetOfChunks(storeId, fileId, text);
  });

  it('a failed queue send: the file is due at once and the next cron sweep sends it', async () => {
    const text = longText(30, 'broken-send');
    const fileId = await uploadText('broken.txt', text);
    const storeId = await newStore();
    await attachThrough(testQueue('broken').queue, storeId, fileId);
    const unsent = await fileRow(storeId, fileId);
    expect(unsent).toMatchObject({ status: 'in_progress', progressAt: 0, attempts: 1 });

    await cron(Date.now());
    expect(await settled(storeId, fileId)).toMatchObject({ status: 'completed', attempts: 2 });
    await expectOneSetOfChunks(storeId, fileId, text);
  });

  it('a message that used up its queue retries (dead-letter queue) fails the file and takes its partial chunks away', async () => {
    const text = longText(900, 'dead-letter');
    const fileId = await uploadText('dead.txt', text);
    const storeId = await newStore();
    await attachThrough(testQueue('lost').queue, storeId, fileId);
    const dying = countingEmbedder({ crashAtCall: 2 });
    await expect(ingestFile(servicesWith(dying.embedder), env.FILES, { projectId: PROJECT, vectorStoreId: storeId, fileId })).rejects.toThrow();
    const written = await chunkRows(storeId, fileId);
    expect(written.length).toBeGreaterThan(EMBED_BATCH);

    const batch = createMessageBatch('assistants-edge-ingest-dlq', [
      { id: 'dlq-1', timestamp: new Date(), attempts: 1, body: { projectId: PROJECT, vectorStoreId: storeId, fileId } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue!(batch as never, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dlq-1']);
    expect(await fileRow(storeId, fileId)).toMatchObject({ status: 'failed', lastError: { code: 'server_error' } });
    expect(await chunkRows(storeId, fileId)).toHaveLength(0);
    expect(await vectorIds(storeId, written.map((r) => r.id))).toHaveLength(0);
  });
});
