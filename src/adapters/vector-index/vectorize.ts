import type { VectorIndex, VectorMatch, VectorMetadata } from '../../domain/ports';

/**
 * The VectorIndex port over a Cloudflare Vectorize binding (production). Limits (docs/platform-limits.md §4,
 * Cloudflare docs): writes are accepted in batches of ≤ 1000 vectors and become visible to queries
 * asynchronously (seconds later), so a file is searchable shortly after ingestion reports it
 * complete; `topK` ≤ 100 when neither values nor metadata are returned, which is how we query
 * (chunk text and attributes live in D1). One namespace per vector store keeps stores apart.
 * The index must be created with the embedder's dimension and the cosine metric:
 * `wrangler vectorize create assistants-edge-chunks --dimensions=768 --metric=cosine`.
 */

/** The binding methods used; both `VectorizeIndex` (legacy type) and `Vectorize` provide them. */
export interface VectorizeBinding {
  upsert(vectors: VectorizeVector[]): Promise<unknown>;
  query(vector: number[], options?: VectorizeQueryOptions): Promise<{ matches: Array<{ id: string; score: number }> }>;
  deleteByIds(ids: string[]): Promise<unknown>;
}

export const VECTORIZE_WRITE_BATCH = 1000;
export const VECTORIZE_MAX_TOP_K = 100;

/** Named VectorizeVectorIndex, not VectorizeIndex, so as not to shadow the binding's global type. */
export class VectorizeVectorIndex implements VectorIndex {
  constructor(private readonly binding: VectorizeBinding) {}

  async upsert(namespace: string, vectors: { id: string; values: number[]; metadata?: VectorMetadata }[]): Promise<void> {
    for (let i = 0; i < vectors.length; i += VECTORIZE_WRITE_BATCH) {
      const batch = vectors.slice(i, i + VECTORIZE_WRITE_BATCH).map((v) => ({
        id: v.id,
        values: v.values,
        namespace,
        ...(v.metadata ? { metadata: v.metadata } : {}),
      }));
      await this.binding.upsert(batch);
    }
  }

  async query(namespace: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const k = Math.max(1, Math.min(Math.floor(topK), VECTORIZE_MAX_TOP_K));
    const result = await this.binding.query(vector, { topK: k, namespace, returnValues: false, returnMetadata: 'none' });
    return result.matches.map((m) => ({ id: m.id, score: m.score }));
  }

  async deleteByIds(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += VECTORIZE_WRITE_BATCH) {
      await this.binding.deleteByIds(ids.slice(i, i + VECTORIZE_WRITE_BATCH));
    }
  }
}
