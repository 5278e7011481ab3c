import { z } from 'zod';
import { AUTO_CHUNKING } from './chunking';
import { Int } from './int';
import { SEARCH_MODES, SEARCH_RANKERS } from './search-options';
import { ChunkingStrategyParam, Metadata } from './common';
import { VectorStoreSearchFilter } from './filters';
import { HybridSearchOptions } from './hybrid-search';

export { ChunkingStrategyParam };

/** Vector-store file attributes: ≤ 16 keys (≤ 64 chars), values string (≤ 512) | number | boolean. */
export const Attributes = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length <= 16, {
    message: "Invalid 'attributes': too many properties. Expected an object with at most 16 properties.",
    params: { code: 'object_above_max_properties' },
  })
  .nullable();
export type Attributes = z.infer<typeof Attributes>;

export const ExpiresAfter = z.strictObject({ anchor: z.literal('last_active_at'), days: Int().min(1).max(365) });

/** `client.vectorStores.create()` body. */
export const VectorStoreCreateParams = z.strictObject({
  file_ids: z.array(z.string().min(1)).max(500).optional(),
  name: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  expires_after: ExpiresAfter.optional(),
  chunking_strategy: ChunkingStrategyParam.optional(),
  metadata: Metadata.optional(),
});
export type VectorStoreCreateParams = z.infer<typeof VectorStoreCreateParams>;

/** `client.vectorStores.update()` body. */
export const VectorStoreUpdateParams = z.strictObject({
  name: z.string().max(256).nullable().optional(),
  expires_after: ExpiresAfter.nullable().optional(),
  metadata: Metadata.optional(),
});

/** `client.vectorStores.files.create()` body. */
export const VectorStoreFileCreateParams = z.strictObject({
  file_id: z.string().min(1),
  chunking_strategy: ChunkingStrategyParam.optional(),
  attributes: Attributes.optional(),
});

/** `client.vectorStores.files.update()` body. */
export const VectorStoreFileUpdateParams = z.strictObject({ attributes: Attributes });

/** `client.vectorStores.fileBatches.create()` body: `file_ids` or `files` (one of them). */
export const FileBatchCreateParams = z.strictObject({
  file_ids: z.array(z.string().min(1)).min(1).max(2000).optional(),
  files: z.array(VectorStoreFileCreateParams).min(1).max(2000).optional(),
  chunking_strategy: ChunkingStrategyParam.optional(),
  attributes: Attributes.optional(),
});

/** `client.vectorStores.search()` body. */
export const VectorStoreSearchParams = z.strictObject({
  query: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(10)]),
  rewrite_query: z.boolean().optional(),
  max_num_results: Int().min(1).max(50).optional(),
  filters: VectorStoreSearchFilter.optional(),
  ranking_options: z
    .strictObject({
      ranker: z.enum(SEARCH_RANKERS).optional(),
      score_threshold: z.number().min(0).max(1).optional(),
      hybrid_search: HybridSearchOptions.optional(),
    })
    .optional(),
  /** Extension (docs/openai-behaviour.md): which retrievers run; default hybrid (keyword without embeddings). */
  search_mode: z.enum(SEARCH_MODES).optional(),
  /** Extension (docs/openai-behaviour.md): add each result's `ranking_details` (the console's retrieval debugger). */
  ranking_details: z.boolean().optional(),
});

/** OpenAI's `auto` strategy: 800-token chunks overlapping by 400. */
export function resolveChunking(p: ChunkingStrategyParam | undefined) {
  if (!p || p.type === 'auto') return { max_chunk_size_tokens: AUTO_CHUNKING.maxTokens, chunk_overlap_tokens: AUTO_CHUNKING.overlapTokens };
  return p.static;
}
