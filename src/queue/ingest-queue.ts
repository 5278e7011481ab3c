import { finishVectorStoreFile } from '../db/vector-store-files';
import type { Env } from '../env';
import { ingestFile, removeIndexed, type IngestJob } from '../retrieval/ingest';
import { services as servicesOf } from '../services';

export const INGEST_QUEUE = 'assistants-edge-ingest';
export const INGEST_DLQ = 'assistants-edge-ingest-dlq';

/** Longest retry delay: INGEST_STALL_SECONDS must exceed it, or a file waiting for its retry looks stranded. */
export const MAX_RETRY_DELAY_SECONDS = 60;

/**
 * File ingestion consumer: one message per (vector store, file). Failures of the infrastructure
 * (embeddings provider, D1, R2) are retried by the queue with backoff, each retry resuming where
 * the last one stopped (src/retrieval/ingest.ts); a message that exhausts its retries reaches the
 * dead-letter queue, whose consumer ends the file `failed` (`server_error`). A message that is lost
 * instead (the local queue dies with its process) is recovered by the sweeper (src/retrieval/ingest-sweeper.ts).
 */
export async function consumeIngestQueue(batch: MessageBatch<IngestJob>, env: Env): Promise<void> {
  const deadLetters = batch.queue.endsWith('-dlq');
  const services = servicesOf(env).retrieval;
  for (const message of batch.messages) {
    const job = message.body;
    try {
      if (deadLetters) {
        const failed = await finishVectorStoreFile(services.db, job.vectorStoreId, job.fileId, {
          status: 'failed',
          error: { code: 'server_error', message: 'The file could not be indexed after several attempts.' },
        });
        // A failed file is not searchable: the chunks its attempts wrote go.
        if (failed) await removeIndexed(services, job.vectorStoreId, job.fileId);
      } else {
        await ingestFile(services, env.FILES, job);
      }
      message.ack();
    } catch (err) {
      console.error(`ingest ${job.vectorStoreId}/${job.fileId}: attempt ${message.attempts} failed`, err);
      message.retry({ delaySeconds: Math.min(2 ** message.attempts, MAX_RETRY_DELAY_SECONDS) });
    }
  }
}
