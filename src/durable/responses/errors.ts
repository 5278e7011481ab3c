import { ChatModelError } from '../../domain/ports';
import { fail } from '../result';

/** The answer for a missing response, also given for another project's. */
export const notFound = (id: string) => fail(404, `Response with id '${id}' not found.`);

/** A model failure as the Response's `error` (codes from OpenAI's ResponseErrorCode). */
export function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof ChatModelError) return { code: err.kind, message: err.message };
  console.error('response model call failed', err);
  return { code: 'server_error', message: 'The model provider failed.' };
}
