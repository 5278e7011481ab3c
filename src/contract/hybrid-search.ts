import { z } from 'zod';

/**
 * `ranking_options.hybrid_search` (OpenAI's Responses file_search `HybridSearchOptions`): the weights
 * of the embedding (vector) and text (keyword) lists in reciprocal rank fusion. Both are required, as
 * in OpenAI's schema; non-negative; at least one positive (all-zero would rank nothing).
 */
export const HybridSearchOptions = z
  .strictObject({
    embedding_weight: z.number().min(0).max(1000),
    text_weight: z.number().min(0).max(1000),
  })
  .refine((w) => w.embedding_weight + w.text_weight > 0, {
    message: "Invalid 'ranking_options.hybrid_search': at least one of 'embedding_weight' and 'text_weight' must be greater than 0.",
  });
