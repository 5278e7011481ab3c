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

import { estimateTextTokens, tokenCostAt } from '../../domain/tokens';

/** Splits `items` into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Share of a model's input limit a window fills. The token estimate (src/domain/tokens.ts) tracks
 * OpenAI's BPE within ~8 % on average, but other models' tokenizers (BERT WordPiece for BGE) count
 * somewhat more on the same text: the margin keeps windows inside the real limit.
 */
export const WINDOW_FILL = 0.85;
/** Smallest window (estimated tokens) the length-error retry shrinks to before giving up. */
const MIN_WINDOW_TOKENS = 64;

/**
 * Splits `text` into consecutive windows of at most `maxTokens` estimated tokens, cutting at the last
 * whitespace of a window's final fifth when there is one (never inside a surrogate pair). The
 * windows concatenated are the text: nothing is cut off.
 */
export function splitWindows(text: string, maxTokens: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let used = 0;
    let end = start;
    while (end < text.length) {
      const c = tokenCostAt(text, end);
      if (used + c > maxTokens && end > start) break;
      used += c;
      end += 1;
    }
    if (end < text.length) {
      const floor = start + Math.floor(((end - start) * 4) / 5);
      let cut = end;
      while (cut > floor && !/\s/.test(text[cut - 1]!)) cut--;
      if (cut > floor) end = cut;
      const u = text.charCodeAt(end - 1);
      if (u >= 0xd800 && u <= 0xdbff && end - 1 > start) end -= 1;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * Embeds texts of any length: each is split into windows of the model's input limit
 * (`maxTokens` × WINDOW_FILL), the windows are embedded in batches of `batchSize`, and a text's
 * vector is the length-weighted mean of its windows' vectors, L2-normalised (a text that fits one
 * window keeps its vector as is). So every character of a chunk reaches the vector index, whatever the
 * chunk size and the model's window. Blank texts are sent as a single space (upstreams reject empty
 * inputs, yet every position needs a vector). If the upstream still says an input is too long, the
 * window is halved and everything is embedded again, down to MIN_WINDOW_TOKENS.
 */
export async function embedWindowed(
  texts: readonly string[],
  maxTokens: number,
  batchSize: number,
  run: (inputs: string[]) => Promise<number[][]>,
): Promise<number[][]> {
  let window = Math.max(1, Math.floor(maxTokens * WINDOW_FILL));
  for (;;) {
    const pieces: string[] = [];
    const owner: number[] = [];
    texts.forEach((t, i) => {
      for (const w of t.trim() === '' ? [' '] : splitWindows(t, window)) {
        pieces.push(w);
        owner.push(i);
      }
    });
    let vectors: number[][];
    try {
      vectors = [];
      for (const batch of batches(pieces, batchSize)) vectors.push(...(await run(batch)));
    } catch (err) {
      if (!(err instanceof EmbeddingError) || !isInputTooLong(err) || window <= MIN_WINDOW_TOKENS) throw err;
      const longest = Math.max(...pieces.map((p) => estimateTextTokens(p)));
      if (longest <= MIN_WINDOW_TOKENS) throw err;
      window = Math.max(MIN_WINDOW_TOKENS, Math.floor(Math.min(window, longest) / 2));
      continue;
    }
    return combine(texts.length, owner, pieces, vectors);
  }
}

function combine(count: number, owner: number[], pieces: string[], vectors: number[][]): number[][] {
  const parts: number[][] = Array.from({ length: count }, () => []);
  owner.forEach((o, j) => parts[o]!.push(j));
  return parts.map((js) => {
    if (js.length === 1) return vectors[js[0]!]!;
    const sum = new Array<number>(vectors[js[0]!]!.length).fill(0);
    for (const j of js) {
      const w = pieces[j]!.length;
      vectors[j]!.forEach((x, d) => (sum[d]! += w * x));
    }
    const norm = Math.sqrt(sum.reduce((a, x) => a + x * x, 0)) || 1;
    return sum.map((x) => x / norm);
  });
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
