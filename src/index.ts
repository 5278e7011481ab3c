import type { Env } from './env';
import { createApp } from './http/app';
import { consumeRunQueue, type RunDispatch } from './queue/run-dispatch';

export { ThreadObject } from './durable/thread-object';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: async (batch, env, _ctx) => {
    await consumeRunQueue(batch as MessageBatch<RunDispatch>, env);
  },
} satisfies ExportedHandler<Env, unknown>;
