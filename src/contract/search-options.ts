/**
 * The values vector-store search accepts for `search_mode` (our extension: which retrievers run) and
 * `ranking_options.ranker` (OpenAI's OpenAPI document: `none`, `auto`, `default-2024-11-15`). Their
 * meanings are in src/domain/retrieval/ranking-options.ts and docs/openai-behaviour.md.
 */
export const SEARCH_MODES = ['hybrid', 'vector', 'keyword'] as const;

export const SEARCH_RANKERS = ['none', 'auto', 'default-2024-11-15'] as const;
