import { database } from '../../db/client';
import type { VectorIndex } from '../../domain/ports';
import type { Env } from '../../env';
import type { StageTimings } from '../../observability/stage-timings';
import { LocalVectorIndex } from './local';
import { VectorizeVectorIndex } from './vectorize';

export { LocalVectorIndex } from './local';
export { VectorizeVectorIndex, type VectorizeBinding } from './vectorize';

/** Vectorize when the binding exists (production); otherwise the D1-backed local index. */
export function createVectorIndex(env: Pick<Env, 'VECTORIZE' | 'DB'>, timings?: StageTimings): VectorIndex {
  return env.VECTORIZE ? new VectorizeVectorIndex(env.VECTORIZE) : new LocalVectorIndex(database(env.DB), { timings });
}
