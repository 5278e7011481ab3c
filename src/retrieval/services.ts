import { createEmbedder } from '../adapters/embeddings';
import { createVectorIndex } from '../adapters/vector-index';
import { readConfig } from '../config';
import { database } from '../db/client';
import type { Env } from '../env';
import type { StageTimings } from '../observability/stage-timings';
import type { RetrievalServices } from './search';

/** The retrieval ports for this environment: Workers AI + Vectorize in production, local otherwise. */
export function retrievalServices(env: Env, timings?: StageTimings): RetrievalServices {
  return { db: database(env.DB), embedder: createEmbedder(readConfig(env), env), index: createVectorIndex(env, timings), timings };
}
