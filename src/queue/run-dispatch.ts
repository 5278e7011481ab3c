import type { Env } from '../env';

/** The run queue's message: which run to execute, and which upstream attempt it is. */
export interface RunDispatch {
  threadId: string;
  runId: string;
  attempt: number;
}

export const RUN_QUEUE = 'assistants-edge-runs';
export const RUN_DLQ = 'assistants-edge-runs-dlq';

/**
 * Run dispatch consumer. It hands each run to its thread's Durable Object, which starts executing
 * and returns at once, then acks: no consumer invocation is held for a model's whole duration (a
 * local queue runs one consumer invocation at a time; production caps concurrent consumers).
 * Failed hand-offs are retried with backoff; messages that exhaust their retries reach the
 * dead-letter queue, whose consumer fails the run.
 */
export async function consumeRunQueue(batch: MessageBatch<RunDispatch>, env: Env): Promise<void> {
  const deadLetters = batch.queue === RUN_DLQ || batch.queue.endsWith('-dlq');
  await Promise.all(
    batch.messages.map(async (message) => {
      const { threadId, runId, attempt } = message.body;
      try {
        const stub = env.THREADS.get(env.THREADS.idFromName(threadId));
        if (deadLetters) await stub.failUndeliverable(runId);
        else await stub.dispatchRun(runId, attempt);
        message.ack();
      } catch (err) {
        console.error(`run ${runId}: dispatch failed (attempt ${message.attempts})`, err);
        message.retry({ delaySeconds: Math.min(2 ** message.attempts, 60) });
      }
    }),
  );
}
