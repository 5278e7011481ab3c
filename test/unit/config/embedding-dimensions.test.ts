import { describe, expect, it } from 'vitest';
import { indexDimensions, OPENAI_DIMENSIONS, WORKERS_AI_DIMENSIONS } from '../../../scripts/embedding-dimensions.mjs';
import { createEmbedder } from '../../../src/adapters/embeddings';
import { readConfig } from '../../../src/config';
import type { Env } from '../../../src/env';

/** The Vectorize index the deploy creates must have the length the Worker's embedder produces. */
const ai = {} as Ai;
const embedderDimensions = (vars: Record<string, string>) => createEmbedder(readConfig(vars as unknown as Env), { AI: ai })!.dimensions;

describe('Vectorize dimensions follow the embedder (scripts/embedding-dimensions.mjs vs src/adapters/embeddings)', () => {
  const cases: Array<Record<string, string>> = [
    {},
    { EMBEDDINGS_MODEL: '@cf/baai/bge-small-en-v1.5' },
    { EMBEDDINGS_MODEL: '@cf/baai/bge-m3' },
    { EMBEDDINGS_MODEL: '@cf/baai/bge-base-en-v1.5', EMBEDDINGS_DIMENSIONS: '768' },
    { EMBEDDINGS_BASE_URL: 'https://api.openai.com/v1' },
    { EMBEDDINGS_BASE_URL: 'https://api.openai.com/v1', EMBEDDINGS_MODEL: 'text-embedding-3-large' },
    { EMBEDDINGS_BASE_URL: 'https://api.openai.com/v1', EMBEDDINGS_MODEL: 'text-embedding-3-large', EMBEDDINGS_DIMENSIONS: '256' },
    ...Object.keys(WORKERS_AI_DIMENSIONS).map((m) => ({ EMBEDDINGS_MODEL: m })),
    ...Object.keys(OPENAI_DIMENSIONS).map((m) => ({ EMBEDDINGS_BASE_URL: 'https://x.example/v1', EMBEDDINGS_MODEL: m })),
  ];
  it.each(cases)('%o', (vars) => {
    expect(indexDimensions(vars).dimensions).toBe(embedderDimensions(vars));
  });

  it('refuses to guess an unknown model', () => {
    expect(() => indexDimensions({ EMBEDDINGS_BASE_URL: 'http://x/v1', EMBEDDINGS_MODEL: 'nomic-embed-text' })).toThrow(/set EMBEDDINGS_DIMENSIONS/);
  });
});
