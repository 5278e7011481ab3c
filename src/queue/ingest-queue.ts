import { database } from '../db/client';
import { finishVectorStoreFile } from '../db/vector-store-files';
import type { Env } from '../env';
import { ingestFile, type IngestJob } from '../retrieval/ingest';
import { retrievalServices } from '../retrieval/services';

export const INGEST_QUEUE = 'assistants-edge-ingest';
export const INGEST_DLQ = 'assistants-edge-ingest-dlq';

/**
 * File ingestion consumer: one message per (vector store, file). Failures of the infrastructure
 * (embeddings provider, D1, R2) are retried by the queue with backoff; a message that exhausts its
 * retries reaches the dead-letter queue, whose consumer ends the file `failed` (`server_error`).
 */
export async function consumeIngestQueue(batch: MessageBatch<IngestJob>, env: Env): Promise<void> {
  const deadLetters = batch.queue.endsWith('-dlq');
  for (const message of batch.messages) {
    const job = message.body;
    try {
      if (deadLetters) {
        await finishVectorStoreFile(database(env.DB), job.vectorStoreId, job.fileId, {
          status: 'failed',
          error: { code: 'server_error', message: 'The file could not be indexed after several attempts.' },
        });
      } else {
        await ingestFile(retrievalServices(env), env.FILES, job);
      }
      message.ack();
    } catch (err) {
      console.error(`ingest ${job.vectorStoreId}/${job.fileId}: attempt ${message.attempts} failed`, err);
      message.retry({ delaySeconds: Math.min(2 ** message.attempts, 60) });
    }
  }
}
