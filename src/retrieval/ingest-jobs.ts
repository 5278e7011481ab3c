import type { Database } from '../db/client';
import { markIngestUnsent } from '../db/vector-store-files';
import type { IngestJob } from './ingest';

/** Queue sends take at most 100 messages per `sendBatch`. */
const SEND_BATCH = 100;

/**
 * Queues ingestion of files whose rows are already `in_progress` (the row is written first, so
 * a consumer always finds it). A send that fails twice does not strand its files: they are marked
 * due (progress_at 0) and the sweeper's next pass sends them again, or fails them once their
 * attempts are used up (src/retrieval/ingest-sweeper.ts). Returns how many could not be sent.
 */
export async function enqueueIngest(db: Database, queue: Queue, jobs: IngestJob[]): Promise<number> {
  let unsent = 0;
  for (let i = 0; i < jobs.length; i += SEND_BATCH) {
    const slice = jobs.slice(i, i + SEND_BATCH);
    const messages = slice.map((body) => ({ body }));
    try {
      await queue.sendBatch(messages).catch(() => queue.sendBatch(messages));
    } catch (err) {
      console.error(`ingest: queue send of ${slice.length} file(s) failed; the sweeper will send them again`, err);
      unsent += slice.length;
      const byStore = new Map<string, string[]>();
      for (const j of slice) byStore.set(j.vectorStoreId, [...(byStore.get(j.vectorStoreId) ?? []), j.fileId]);
      for (const [storeId, fileIds] of byStore) await markIngestUnsent(db, storeId, fileIds);
    }
  }
  return unsent;
}
