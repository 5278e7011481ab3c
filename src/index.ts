import type { Env } from './env';
import { createApp } from './http/app';
import { consumeIngestQueue } from './queue/ingest-queue';
import { consumeRunQueue, type RunDispatch } from './queue/run-dispatch';
import type { IngestJob } from './retrieval/ingest';
import { sweepIngestion, sweepOnRequest } from './retrieval/ingest-sweeper';

export { ThreadObject } from './durable/thread-object';
export { ResponseRunner } from './durable/responses/response-runner';
import { ResponseSocket } from './durable/responses/response-socket';
import { responseTurns } from './http/response-turns';

export { ResponseSocket };
// A Responses WebSocket connection runs its turns through the HTTP layer's `POST /v1/responses`.
ResponseSocket.handleTurn = responseTurns();
// The code_interpreter sandbox's Durable Object class (production binding SANDBOX, wrangler.toml).
export { Sandbox } from '@cloudflare/sandbox';

const app = createApp();

export default {
  fetch: (request, env, ctx) => {
    sweepOnRequest(env, ctx);
    return app.fetch(request, env, ctx);
  },
  queue: async (batch, env, _ctx) => {
    if (batch.queue.startsWith('assistants-edge-ingest')) await consumeIngestQueue(batch as MessageBatch<IngestJob>, env);
    else await consumeRunQueue(batch as MessageBatch<RunDispatch>, env);
  },
  // The cron trigger (wrangler.toml [triggers]): re-queues or fails stranded vector-store files.
  scheduled: async (controller, env, _ctx) => {
    await sweepIngestion(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, unknown>;
