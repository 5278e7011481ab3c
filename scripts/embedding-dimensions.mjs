// The vector length the production embedder produces, for sizing the Vectorize index (scripts/deploy.mjs).
// Mirrors the choice in src/adapters/embeddings/index.ts (test/unit/config/embedding-dimensions.test.ts
// compares the two): an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set, else Workers AI.

/** OpenAI's models (src/adapters/embeddings/openai-compatible.ts). */
export const OPENAI_DIMENSIONS = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };
/** Workers AI's models (src/adapters/embeddings/workers-ai.ts). */
export const WORKERS_AI_DIMENSIONS = {
  '@cf/baai/bge-small-en-v1.5': 384,
  '@cf/baai/bge-base-en-v1.5': 768,
  '@cf/baai/bge-large-en-v1.5': 1024,
  '@cf/baai/bge-m3': 1024,
  '@cf/google/embeddinggemma-300m': 768,
  '@cf/qwen/qwen3-embedding-0.6b': 1024,
};

/** { dimensions, why } for settings `vars` (EMBEDDINGS_*); throws when the length cannot be known. */
export function indexDimensions(vars, hasAiBinding = true) {
  const explicit = vars.EMBEDDINGS_DIMENSIONS ? Number(vars.EMBEDDINGS_DIMENSIONS) : undefined;
  if (vars.EMBEDDINGS_BASE_URL) {
    const model = vars.EMBEDDINGS_MODEL || 'text-embedding-3-small';
    const dimensions = explicit ?? OPENAI_DIMENSIONS[model];
    if (!dimensions) throw new Error(`set EMBEDDINGS_DIMENSIONS: the vector length of ${model} is not known`);
    return { dimensions, why: `${model} at EMBEDDINGS_BASE_URL${explicit ? ', EMBEDDINGS_DIMENSIONS' : ''}` };
  }
  if (!hasAiBinding) throw new Error('no embedder: set EMBEDDINGS_BASE_URL or bind Workers AI');
  const model = vars.EMBEDDINGS_MODEL?.startsWith('@cf/') ? vars.EMBEDDINGS_MODEL : '@cf/baai/bge-base-en-v1.5';
  const dimensions = (model === vars.EMBEDDINGS_MODEL ? explicit : undefined) ?? WORKERS_AI_DIMENSIONS[model];
  if (!dimensions) throw new Error(`set EMBEDDINGS_DIMENSIONS: the vector length of ${model} is not known`);
  return { dimensions, why: `Workers AI ${model}` };
}
