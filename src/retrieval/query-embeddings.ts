import type { Embedder } from '../domain/ports';

/**
 * Search queries' embeddings, kept per isolate (most recently used first out of the bound). The same
 * query text is searched again and again (the console's retrieval debugger, a run's repeated
 * file_search queries, an app's suggested questions), and its embedding is a call to the embeddings
 * provider on the search's critical path: measured under the local runtime, 6-20 ms a search at
 * 100k chunks (`npm run bench:retrieval`, README §Benchmarks). An embedding is a pure function of
 * the model and the text, so a cached one is the answer the provider would give; chunk embeddings
 * (ingestion) never come here. Keyed by model, dimensions and text, so a changed EMBEDDINGS_MODEL
 * never reuses another model's vectors. About 4 KB an entry at 512 dimensions.
 */
const cache = new Map<string, number[]>();
export const QUERY_EMBEDDINGS_CACHED = 512;

const keyOf = (embedder: Embedder, text: string) => `${embedder.model}\u0000${embedder.dimensions}\u0000${text}`;

/** One vector per query, in order: cached ones at once, the others in one call to the embedder. */
export async function embedQueries(embedder: Embedder, queries: string[], signal?: AbortSignal): Promise<number[][]> {
  const found = queries.map((q) => cache.get(keyOf(embedder, q)));
  const missing = [...new Set(queries.filter((_, i) => !found[i]))];
  if (missing.length > 0) {
    const vectors = await embedder.embed(missing, signal);
    missing.forEach((text, i) => remember(keyOf(embedder, text), vectors[i]!));
  }
  return queries.map((q, i) => {
    const key = keyOf(embedder, q);
    const vector = found[i] ?? cache.get(key)!;
    // Most recently used last: the oldest is the first key.
    cache.delete(key);
    cache.set(key, vector);
    return vector;
  });
}

function remember(key: string, vector: number[]): void {
  cache.set(key, vector);
  while (cache.size > QUERY_EMBEDDINGS_CACHED) cache.delete(cache.keys().next().value!);
}
