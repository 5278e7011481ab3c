import type { Embedder } from '../../domain/ports';
import { retryAfterMs } from '../models/openai-compatible';
import { checkVectors, describeError, embedWindowed, EmbeddingError } from './common';

/**
 * An Embedder over OpenAI's embeddings protocol: `POST {baseUrl}/embeddings` with
 * `{model, input: string[]}` → `{data: [{index, embedding}]}`. The same path and Bearer auth serve
 * OpenAI, Azure OpenAI's v1 endpoint, Cloudflare AI Gateway, Together, Mistral, Voyage's
 * compatibility mode, Ollama, vLLM, LM Studio and text-embeddings-inference.
 */
export interface OpenAICompatibleEmbedderOptions {
  baseUrl: string;
  apiKey?: string;
  /** Default `text-embedding-3-small`. */
  model?: string;
  /**
   * Vector length. When set it is also sent as the request's `dimensions` (text-embedding-3 models
   * shorten their output to it); when unset it is learned from the first response.
   */
  dimensions?: number;
  /** Inputs per request. OpenAI accepts 2048; 100 keeps requests small and retries cheap. */
  batchSize?: number;
  /** The model's input limit in tokens; longer texts are embedded in windows (common.ts). text-embedding-3 accepts 8191. */
  maxInputTokens?: number;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

export const DEFAULT_OPENAI_EMBEDDINGS_MODEL = 'text-embedding-3-small';

/** Native sizes of OpenAI's models, so `dimensions` is known before the first call. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

interface EmbeddingsResponse {
  data?: Array<{ index?: number; embedding?: number[] | string }>;
}

export class OpenAICompatibleEmbedder implements Embedder {
  readonly model: string;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly batchSize: number;
  private readonly maxInputTokens: number;
  private learned: number | undefined;

  constructor(private readonly options: OpenAICompatibleEmbedderOptions) {
    this.model = options.model ?? DEFAULT_OPENAI_EMBEDDINGS_MODEL;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bind: calling an unbound global `fetch` as a method throws "Illegal invocation" in Workers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 100, 2048));
    this.maxInputTokens = options.maxInputTokens ?? 8191;
  }

  /** Configured, else learned from a response, else the model's known size, else 0 (not yet known). */
  get dimensions(): number {
    return this.options.dimensions ?? this.learned ?? KNOWN_DIMENSIONS[this.model] ?? 0;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    return embedWindowed(texts, this.maxInputTokens, this.batchSize, (inputs) => this.request(inputs, signal));
  }

  private async request(input: string[], signal?: AbortSignal): Promise<number[][]> {
    const body: Record<string, unknown> = { model: this.model, input };
    if (this.options.dimensions !== undefined) body.dimensions = this.options.dimensions;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    signal?.throwIfAborted();
    let res: Response;
    let json: EmbeddingsResponse;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/embeddings`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          ...this.options.headers,
        },
        body: JSON.stringify(body),
        signal: combined,
      });
      if (!res.ok) throw await httpError(res);
      json = (await res.json()) as EmbeddingsResponse;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof EmbeddingError) throw err;
      if (timeout.aborted) throw new EmbeddingError('server_error', 'Embeddings request timed out.', true);
      throw new EmbeddingError('server_error', `Embeddings request failed: ${describeError(err)}`, true);
    }
    const vectors = readVectors(json, input.length);
    const checked = checkVectors(vectors, input.length, this.options.dimensions ?? this.learned, 'Embeddings upstream');
    this.learned ??= checked[0]?.length;
    return checked;
  }
}

/**
 * `data` in `index` order (servers may return it shuffled); items without usable indexes keep
 * their array order. Base64 float32 (`encoding_format: "base64"` servers) is accepted as well.
 */
function readVectors(json: EmbeddingsResponse, count: number): unknown[] {
  const data = Array.isArray(json?.data) ? json.data : [];
  const vector = (item: (typeof data)[number]) =>
    typeof item?.embedding === 'string' ? decodeBase64Floats(item.embedding) : item?.embedding;
  const indexes = data.map((item) => item?.index);
  const indexed =
    data.length === count &&
    indexes.every((i) => typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < count) &&
    new Set(indexes).size === count;
  if (!indexed) return data.map(vector);
  const out = new Array<unknown>(count);
  data.forEach((item) => (out[item.index!] = vector(item)));
  return out;
}

function decodeBase64Floats(b64: string): number[] {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

/**
 * Non-2xx: 429 → rate_limit_exceeded (retryable, honouring retry-after); 408, 409 and 5xx →
 * server_error (retryable); other 4xx (bad key, unknown model, input too long) → invalid_request,
 * not retried, with the upstream's own message.
 */
async function httpError(res: Response): Promise<EmbeddingError> {
  const text = await res.text().catch(() => '');
  let message = text.slice(0, 500);
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: unknown };
    const m = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
    if (m) message = m;
  } catch {
    // Not JSON (a proxy's HTML error page): keep the raw text.
  }
  const detail = `Embeddings upstream returned HTTP ${res.status}${message ? `: ${message}` : ''}`;
  if (res.status === 429) return new EmbeddingError('rate_limit_exceeded', detail, true, 429, retryAfterMs(res.headers));
  if (res.status >= 500 || res.status === 408 || res.status === 409) {
    return new EmbeddingError('server_error', detail, true, res.status, retryAfterMs(res.headers));
  }
  return new EmbeddingError('invalid_request', detail, false, res.status);
}
