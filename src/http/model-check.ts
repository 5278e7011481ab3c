import { createModelRouter, type ProviderRouter } from '../adapters/models/router';
import { readConfig } from '../config';
import { ChatModelError } from '../domain/ports';
import type { Env } from '../env';
import { ApiError } from './errors';

/** OpenAI's answer for a model it does not serve (assistant and run creation). */
const modelNotFound = (message: string) => new ApiError(400, message, 'invalid_request_error', 'model', 'model_not_found');

/**
 * One router per env object, as readConfig caches the config per env (src/config.ts): building it
 * (provider clients, the sorted routes) on every run creation cost CPU on the run's hot path
 * (issue 13, `npm run bench`). The env object of an isolate holds the same settings for its lifetime.
 */
const routers = new WeakMap<Env, ProviderRouter>();
function routerFor(env: Env): ProviderRouter {
  let router = routers.get(env);
  if (!router) routers.set(env, (router = createModelRouter(readConfig(env), env)));
  return router;
}

/**
 * A run needs a model some configured provider serves. With no provider at all the message says so
 * (and which setting to set), instead of OpenAI's "does not exist", which would send the user looking
 * for a typo.
 */
export function requireRoutableModel(env: Env, model: string): void {
  const reason = routerFor(env).unavailableReason(model);
  if (reason) throw modelNotFound(reason);
}

/**
 * Assistant create/update: OpenAI answered 400 at creation for a model it does not serve. Here that is
 * knowable when no provider serves the name, or when the OpenAI-compatible upstream lists its models
 * and the name (routed to it) is not among them. An upstream without a usable model list (no
 * `GET /models`, or it failed) is trusted: the run then reports what the upstream says.
 */
export async function requireServedModel(env: Env, model: string): Promise<void> {
  const router = routerFor(env);
  const reason = router.unavailableReason(model);
  if (reason) throw modelNotFound(reason);
  if (router.providerFor(model) !== 'openai') return;
  const ids = await router.upstreamModelIds();
  if (ids && !ids.has(model)) throw modelNotFound(`The model '${model}' does not exist or you do not have access to it.`);
}

/** A provider failure during a request (GET /v1/models, the pass-through routes) in OpenAI's envelope. */
export function upstreamFailure(err: unknown): unknown {
  if (!(err instanceof ChatModelError)) return err;
  if (err.kind === 'rate_limit_exceeded') return new ApiError(429, err.message, 'requests', null, 'rate_limit_exceeded');
  if (err.kind === 'invalid_prompt' && err.status !== undefined && err.status >= 400 && err.status < 500) {
    return new ApiError(err.status as 400, err.message, 'invalid_request_error', null, null);
  }
  // The upstream rejected our key, is down, or is this server: the client cannot fix it (502 Bad Gateway).
  return new ApiError(502, err.message, 'server_error', null, 'upstream_error');
}
