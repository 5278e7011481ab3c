import type { Embedder } from '../../domain/ports';
import { checkVectors, describeError, embedWindowed, EmbeddingError } from './common';

/**
 * An Embedder over the Workers AI binding: `env.AI.run(model, { text: string[] })` →
 * `{ shape: [n, dims], data: number[][] }` (developers.cloudflare.com/workers-ai, text embeddings).
 * Limits (docs/platform-limits.md §5): ≤ 100 texts per call; `@cf/baai/bge-base-en-v1.5` has 768 dimensions
 * and reads at most 512 tokens, so a longer chunk is embedded as several windows whose vectors are
 * averaged (src/adapters/embeddings/common.ts): no part of a chunk is invisible to vector search.
 */
export interface WorkersAIEmbedderOptions {
  /** Default `@cf/baai/bge-base-en-v1.5`. */
  model?: string;
  /** Overrides the model's known size (for models missing from the table below). */
  dimensions?: number;
  /** ≤ 100 (the binding's limit). */
  batchSize?: number;
  /** Overrides the model's input limit in tokens. */
  maxInputTokens?: number;
  /**
   * BGE models: `cls` pooling is BAAI's own method and Cloudflare's recommendation ("more accurate
   * on larger inputs"); `mean` is the binding's backward-compatible default. Vectors from the two
   * are not comparable, so this must not change once an index holds vectors.
   */
  pooling?: 'cls' | 'mean';
}

export const DEFAULT_WORKERS_AI_EMBEDDINGS_MODEL = '@cf/baai/bge-base-en-v1.5';

/** Dimensions and input limits (tokens) of Workers AI's embedding models, from their model pages. */
const MODELS: Record<string, { dimensions: number; maxTokens: number }> = {
  '@cf/baai/bge-small-en-v1.5': { dimensions: 384, maxTokens: 512 },
  '@cf/baai/bge-base-en-v1.5': { dimensions: 768, maxTokens: 512 },
  '@cf/baai/bge-large-en-v1.5': { dimensions: 1024, maxTokens: 512 },
  '@cf/baai/bge-m3': { dimensions: 1024, maxTokens: 8192 },
  '@cf/google/embeddinggemma-300m': { dimensions: 768, maxTokens: 2048 },
  '@cf/qwen/qwen3-embedding-0.6b': { dimensions: 1024, maxTokens: 8192 },
};

/** The binding's run() with loose types: the typed overloads accept only the literal catalogue. */
interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export class WorkersAIEmbedder implements Embedder {
  readonly model: string;
  private readonly ai: AiRunner;
  private readonly batchSize: number;
  private readonly maxInputTokens: number;
  private learned: number | undefined;

  constructor(ai: Ai, private readonly options: WorkersAIEmbedderOptions = {}) {
    this.ai = ai as unknown as AiRunner;
    this.model = options.model ?? DEFAULT_WORKERS_AI_EMBEDDINGS_MODEL;
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 100, 100));
    this.maxInputTokens = options.maxInputTokens ?? MODELS[this.model]?.maxTokens ?? 512;
  }

  get dimensions(): number {
    return this.options.dimensions ?? MODELS[this.model]?.dimensions ?? this.learned ?? 0;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    return embedWindowed(texts, this.maxInputTokens, this.batchSize, (inputs) => this.run(inputs, signal));
  }

  private async run(text: string[], signal?: AbortSignal): Promise<number[][]> {
    const inputs: Record<string, unknown> = { text };
    if (/^@cf\/baai\/bge-(small|base|large)-en/.test(this.model)) inputs.pooling = this.options.pooling ?? 'cls';
    signal?.throwIfAborted();
    let output: unknown;
    try {
      output = await this.ai.run(this.model, inputs, signal ? { signal } : undefined);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw mapWorkersAIEmbeddingError(err);
    }
    const data = (output as { data?: unknown } | null)?.data;
    const known = this.options.dimensions ?? MODELS[this.model]?.dimensions ?? this.learned;
    const vectors = checkVectors(data, text.length, known, 'Workers AI');
    this.learned ??= vectors[0]?.length;
    return vectors;
  }
}

/**
 * Workers AI errors arrive as exceptions whose message carries the internal code
 * (developers.cloudflare.com/workers-ai/workers-ai-errors): 3040 out of capacity and 3036 daily
 * allocation used up are 429s; 3007/3008 timeouts and unknown failures are retryable; 5006 input
 * validation, 5007 / 3042 unknown model and 3006 request too large are not.
 */
export function mapWorkersAIEmbeddingError(err: unknown): EmbeddingError {
  const message = describeError(err);
  const detail = `Workers AI error: ${message}`;
  if (/\b(429|3040|3036)\b|rate.?limit|too many requests|capacity|allocation/i.test(message)) {
    return new EmbeddingError('rate_limit_exceeded', detail, true, 429);
  }
  if (/\b(5006|5007|3042|3006|5004)\b|input validation|no such model|invalid model|too large|too long/i.test(message)) {
    return new EmbeddingError('invalid_request', detail, false, 400);
  }
  return new EmbeddingError('server_error', detail, true);
}
