/**
 * Why an embeddings call failed. Mirrors ChatModelError (src/domain/ports.ts): `retryable` and
 * `retryAfterMs` drive the ingestion queue's backoff (429, 5xx, network errors); a non-retryable
 * error (bad credentials, unknown model, malformed response) fails the vector-store file with
 * `last_error.code = "server_error"` at once instead of burning retries.
 */
export type EmbeddingErrorKind = 'rate_limit_exceeded' | 'server_error' | 'invalid_request';

export class EmbeddingError extends Error {
  constructor(
    readonly kind: EmbeddingErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

/** Splits `items` into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Cuts `text` to at most `maxChars` UTF-16 units without splitting a surrogate pair. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const c = text.charCodeAt(maxChars - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? maxChars - 1 : maxChars);
}

/**
 * Upstreams reject empty inputs (OpenAI: `'$.input' is invalid`), yet every position must get a
 * vector: an empty or blank text is sent as a single space.
 */
export function prepareInputs(texts: readonly string[], maxChars: number): string[] {
  return texts.map((t) => (t.trim() === '' ? ' ' : truncateChars(t, maxChars)));
}

/** Smallest input limit the length-error retry shrinks to before giving up. */
const MIN_INPUT_CHARS = 256;

/**
 * Calls `run` on inputs cut to `maxChars`; if the upstream says an input is too long for the model
 * (our 4-characters-per-token estimate undercounts code, numbers and non-Latin scripts), halves the
 * limit and tries again, down to MIN_INPUT_CHARS. The embedding then covers the start of the chunk;
 * the chunk's full text stays in the keyword index.
 */
export async function embedWithShrinkingLimit(
  texts: readonly string[],
  maxChars: number,
  run: (inputs: string[]) => Promise<number[][]>,
): Promise<number[][]> {
  let limit = maxChars;
  for (;;) {
    try {
      return await run(prepareInputs(texts, limit));
    } catch (err) {
      const longest = Math.max(...texts.map((t) => t.length));
      if (!(err instanceof EmbeddingError) || !isInputTooLong(err) || limit <= MIN_INPUT_CHARS || longest <= MIN_INPUT_CHARS) {
        throw err;
      }
      limit = Math.max(MIN_INPUT_CHARS, Math.floor(Math.min(limit, longest) / 2));
    }
  }
}

function isInputTooLong(err: EmbeddingError): boolean {
  return (
    err.kind === 'invalid_request' &&
    /context length|too long|too many tokens|maximum.*tokens|tokens.*(exceed|maximum|limit)|input.*(length|size)|truncat/i.test(err.message)
  );
}

/** Checks an upstream's vectors: one per input, all numeric, all of the expected length. */
export function checkVectors(vectors: unknown, count: number, dimensions: number | undefined, source: string): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new EmbeddingError('server_error', `${source} returned ${Array.isArray(vectors) ? vectors.length : 'no'} embeddings for ${count} inputs.`, false);
  }
  const dims = dimensions ?? (vectors[0] as unknown[] | undefined)?.length;
  for (const v of vectors as unknown[]) {
    if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'number') {
      throw new EmbeddingError('server_error', `${source} returned a malformed embedding.`, false);
    }
    if (v.length !== dims) {
      throw new EmbeddingError('server_error', `${source} returned ${v.length}-dimensional embeddings; expected ${dims}.`, false);
    }
  }
  return vectors as number[][];
}
