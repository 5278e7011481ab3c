import type { MiddlewareHandler } from 'hono';
import { UPSTREAM_HOP_HEADER, UPSTREAM_LOOP_CODE } from '../adapters/models/upstream-errors';
import type { AppEnv } from './context';
import { ApiError } from './errors';

/**
 * Refuses requests that an assistants-edge server sent to its model upstream (they carry
 * UPSTREAM_HOP_HEADER). That happens when the upstream URL points at this server, typically the
 * SDK's own OPENAI_BASE_URL taken as the upstream: without this, a run's model call would reach
 * `/v1/chat/completions` here, which forwards to the upstream, i.e. here again, without end.
 * 508 Loop Detected (RFC 5842); the adapter turns it into a last_error naming the setting.
 */
export const refuseUpstreamLoop: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header(UPSTREAM_HOP_HEADER) !== undefined) {
    throw new ApiError(
      508,
      'This is an assistants-edge server, reached by its own model upstream call: set the upstream to a model provider (UPSTREAM_OPENAI_BASE_URL), not to this server.',
      'server_error',
      null,
      UPSTREAM_LOOP_CODE,
    );
  }
  await next();
};
