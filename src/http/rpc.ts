import type { ErrorShape, Result } from '../durable/result';
import { ApiError } from './errors';

/**
 * Turns a Durable Object's result union back into a value or the one error type. RPC wraps return
 * types (streams, `unknown` fields) beyond inference, so callers name the value type they expect.
 */
export function unwrap<T>(result: Result<T> | { ok: boolean }): T {
  const r = result as { ok: true; value: T } | { ok: false; error: ErrorShape };
  if (r.ok) return r.value;
  const e = r.error;
  throw new ApiError(e.status, e.message, e.type, e.param, e.code);
}
