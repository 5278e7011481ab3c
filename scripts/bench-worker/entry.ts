// Bench only: the worker entry of `npm run bench`'s latency mode (scripts/bench.ts writes a wrangler
// config whose `main` is this file). It delegates to the real worker (src/index.ts) with every storage
// binding delayed by BENCH_STORAGE_LATENCY_MS per call (scripts/bench-worker/delayed-bindings.ts), and
// exports a ThreadObject whose env is wrapped the same way. `GET /__bench/log` returns (and clears) the
// ordered log of calls. Never part of the production bundle (wrangler.toml's main is src/index.ts).
import worker, { ThreadObject as RealThreadObject, ResponseRunner as RealResponseRunner, ResponseSocket as RealResponseSocket } from '../../src/index';
import type { Env } from '../../src/env';
import { delayedEnv, log, logFetches } from './delayed-bindings';

export { Sandbox } from '@cloudflare/sandbox';

const wrapped = new WeakMap<object, Env>();
/** One wrapped env per real env: the worker caches its parsed config per env object. */
function benchEnv(env: Env): Env {
  let w = wrapped.get(env);
  if (!w) {
    const ms = Number((env as unknown as Record<string, string>).BENCH_STORAGE_LATENCY_MS ?? 0);
    w = delayedEnv(env as unknown as Record<string, unknown>, ms) as unknown as Env;
    wrapped.set(env, w);
  }
  return w;
}

logFetches();

export class ThreadObject extends RealThreadObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, benchEnv(env));
  }
}

// The Responses API's objects: wrapped too, so a response's storage calls are delayed like a run's.
export class ResponseRunner extends RealResponseRunner {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, benchEnv(env));
  }
}

export class ResponseSocket extends RealResponseSocket {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, benchEnv(env));
  }
}

export default {
  fetch: (request, env, ctx) => {
    const url = new URL(request.url);
    if (url.pathname === '/__bench/log') {
      const events = log.events;
      log.events = [];
      return Response.json({ events });
    }
    log.events.push({ name: `request ${request.method} ${url.pathname}`, done: true });
    return worker.fetch(request, benchEnv(env), ctx);
  },
  queue: (batch, env, ctx) => worker.queue(batch, benchEnv(env), ctx),
  scheduled: (controller, env, ctx) => worker.scheduled(controller, benchEnv(env), ctx),
} satisfies ExportedHandler<Env, unknown>;
