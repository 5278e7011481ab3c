import type { Config } from '../../config';
import type { Embedder } from '../../domain/ports';
import type { Env } from '../../env';
import { OpenAICompatibleEmbedder } from './openai-compatible';
import { WorkersAIEmbedder } from './workers-ai';

export { EmbeddingError } from './common';
export type { EmbeddingErrorKind } from './common';
export { OpenAICompatibleEmbedder, DEFAULT_OPENAI_EMBEDDINGS_MODEL } from './openai-compatible';
export { WorkersAIEmbedder, DEFAULT_WORKERS_AI_EMBEDDINGS_MODEL } from './workers-ai';

/**
 * Chooses the embeddings provider:
 * 1. `EMBEDDINGS_BASE_URL` set → an OpenAI-compatible `/embeddings` endpoint (`EMBEDDINGS_API_KEY`,
 *    `EMBEDDINGS_MODEL` default `text-embedding-3-small`, `EMBEDDINGS_DIMENSIONS`,
 *    `EMBEDDINGS_BATCH_SIZE`). An explicit choice wins over the binding.
 * 2. else the Workers AI binding (`env.AI`, production) with `EMBEDDINGS_MODEL` if it names a Workers
 *    AI model (`@cf/...`), else `@cf/baai/bge-base-en-v1.5`.
 * 3. else null: retrieval runs on the keyword index alone, and the caller says so.
 * The vector index's dimension must match the embedder's (a Vectorize index is created with one).
 */
export function createEmbedder(config: Config, env: Pick<Env, 'AI'>): Embedder | null {
  if (config.embeddingsBaseUrl) {
    return new OpenAICompatibleEmbedder({
      baseUrl: config.embeddingsBaseUrl,
      apiKey: config.embeddingsApiKey,
      model: config.embeddingsModel,
      dimensions: config.embeddingsDimensions,
      batchSize: config.embeddingsBatchSize,
    });
  }
  if (env.AI) {
    const model = config.embeddingsModel?.startsWith('@cf/') ? config.embeddingsModel : undefined;
    return new WorkersAIEmbedder(env.AI, {
      model,
      dimensions: model ? config.embeddingsDimensions : undefined,
      batchSize: config.embeddingsBatchSize,
    });
  }
  return null;
}
