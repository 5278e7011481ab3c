/**
 * Errors of the layers below src/http. They say what went wrong in the caller's terms (which object
 * is unknown, which parameter is invalid) and know nothing of HTTP: src/http/errors.ts `fromDomainError`
 * turns them into OpenAI's envelope, and src/http/app.ts's onError applies it in one place.
 * `param` uses OpenAI's path syntax (`tool_resources.file_search.vector_store_ids`).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid_request',
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** `No file found with id 'file_x'.` (OpenAI's wording; another project's object looks the same). */
export const unknownObject = (kind: string, id: string, param: string | null = null) =>
  new DomainError('not_found', `No ${kind} found with id '${id}'.`, param);

export const invalidInput = (message: string, param: string | null = null, code: string | null = null) =>
  new DomainError('invalid_request', message, param, code);
