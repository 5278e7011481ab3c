import type { Result } from '../durable/result';
import { ApiError } from './errors';

/** Turns a Durable Object's result union back into a value or the one error type. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const e = result.error;
  throw new ApiError(e.status, e.message, e.type, e.param, e.code);
}
