import { Hono } from 'hono';
import type { TurnHandler } from '../durable/responses/response-socket';
import type { Env } from '../env';
import { renderError } from './app';
import type { AppEnv } from './context';
import { provideServices, requestId } from './middleware';
import { responsesRoutes } from './routes/responses';

/**
 * The turns of a Responses WebSocket connection (src/durable/responses/response-socket.ts): each
 * `response.create` runs `POST /v1/responses` itself, with the principal authenticated at the upgrade
 * (no key is kept) and the connection's chain, so a turn is validated, run and refused exactly as over
 * HTTP (docs/responses.md "WebSocket mode").
 */
export function responseTurns(): TurnHandler {
  const app = new Hono<AppEnv>();
  app.use('*', provideServices);
  app.use('*', requestId);
  app.use('*', async (c, next) => {
    const { principal, chain } = (c.executionCtx as unknown as { props: TurnProps }).props;
    c.set('principal', principal);
    c.set('connectionChain', chain);
    await next();
  });
  app.route('/v1', responsesRoutes);
  app.onError(renderError);
  return (request, env: Env, principal, chain) => {
    // Only waitUntil is used by these routes' middleware (the API key's last-used time is not touched: no key).
    const context = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: { principal, chain } };
    return Promise.resolve(app.fetch(request, env, context as unknown as ExecutionContext));
  };
}

type TurnProps = { principal: AppEnv['Variables']['principal']; chain: NonNullable<AppEnv['Variables']['connectionChain']> };
