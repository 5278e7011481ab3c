/**
 * Durable Object RPC drops custom error properties and a stub that threw is poisoned (docs/platform-limits.md
 * §6), so expected failures cross the RPC boundary as values and become ApiErrors in the route.
 */
export interface ErrorShape {
  status: 400 | 404 | 409 | 500;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (status: ErrorShape['status'], message: string, code: string | null = null): Result<never> => ({
  ok: false,
  error: { status, message, type: 'invalid_request_error', param: null, code },
});

/** A 400 naming the parameter, as OpenAI refuses a request's content. */
export const refuse = (message: string, param: string | null, code: string | null): Result<never> => ({
  ok: false,
  error: { status: 400, message, type: 'invalid_request_error', param, code },
});
