import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DomainError } from '../domain/errors';

/**
 * The one error type. Every non-2xx response is rendered from it by `renderError` into OpenAI's
 * envelope `{"error":{"message","type","param","code"}}` (docs/openai-behaviour.md §4).
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly type: string = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new ApiError(400, message, 'invalid_request_error', param, code);

/** `No thread found with id 'thread_x'.` (OpenAI's wording; another project's object looks the same). */
export const notFound = (kind: string, id: string) =>
  new ApiError(404, `No ${kind} found with id '${id}'.`, 'invalid_request_error', null, null);

export const serverError = () =>
  new ApiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null, {
    'x-should-retry': 'false',
  });

/** A domain error as OpenAI's envelope: an unknown object is a 404, anything else a 400. */
export const fromDomainError = (e: DomainError) =>
  new ApiError(e.kind === 'not_found' ? 404 : 400, e.message, 'invalid_request_error', e.param, e.code);
