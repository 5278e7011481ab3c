import type { Env } from './env';
import { createApp } from './http/app';

export { ThreadObject } from './durable/thread-object';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
