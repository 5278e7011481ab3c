/**
 * Extension fields of `POST /vector_stores/{id}/search` (docs/openai-behaviour.md, vector stores),
 * as OpenAPI schemas. OpenAI's request and result-item schemas say `additionalProperties: false`,
 * so the served document (document.ts) adds these properties to them, and the contract tests'
 * response validator (test/support/openapi-adjustments.ts) allows exactly `ranking_details` on a result item.
 */
type Json = Record<string, unknown>;

const rank = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] };
const nullableNumber = { anyOf: [{ type: 'number' }, { type: 'null' }] };

/** `ranking_details` of one result (src/retrieval/search.ts, RankingDetails). */
export const RANKING_DETAILS_SCHEMA: Json = {
  type: 'object',
  description:
    'Extension, only with `ranking_details: true`: what each ranking stage computed for this result. Ranks count from 1 (best over the queries); null when that retriever did not return the chunk or did not run.',
  additionalProperties: false,
  required: ['mode', 'ranker', 'keyword_rank', 'keyword_score', 'vector_rank', 'vector_score', 'fused_rank', 'fused_score', 'score'],
  properties: {
    mode: { type: 'string', enum: ['hybrid', 'vector', 'keyword'], description: 'The search mode that ran.' },
    ranker: { type: 'string', enum: ['relevance', 'none'], description: 'Which formula made `score`.' },
    keyword_rank: rank,
    keyword_score: { ...nullableNumber, description: 'BM25 (FTS5), sign flipped: higher is better.' },
    vector_rank: rank,
    vector_score: { ...nullableNumber, description: 'Cosine similarity of query and chunk embeddings.' },
    fused_rank: { type: 'integer', minimum: 1 },
    fused_score: { type: 'number', description: 'Weighted reciprocal rank fusion (k = 60).' },
    score: { type: 'number', minimum: 0, maximum: 1, description: 'The same as the result\'s `score`.' },
  },
};

/** Properties added to OpenAI's `VectorStoreSearchRequest`. */
export const SEARCH_REQUEST_EXTENSIONS: Json = {
  search_mode: { type: 'string', enum: ['hybrid', 'vector', 'keyword'], description: 'Extension: which retrievers run (default hybrid; keyword without an embeddings provider). The mode that ran is in the `x-retrieval-mode` header.' },
  ranking_details: { type: 'boolean', default: false, description: 'Extension: add `ranking_details` to each result.' },
};

/** Properties added to OpenAI's `VectorStoreSearchResultItem`. */
export const SEARCH_RESULT_EXTENSIONS: Json = { ranking_details: RANKING_DETAILS_SCHEMA };

/** A copy of `schemas` with the extension properties merged into the two search schemas. */
export function withSearchExtensions(schemas: Record<string, unknown>): Record<string, unknown> {
  const extend = (name: string, extra: Json) => {
    const schema = schemas[name] as Json | undefined;
    if (!schema) return;
    schemas = { ...schemas, [name]: { ...schema, properties: { ...(schema.properties as Json), ...extra } } };
  };
  extend('VectorStoreSearchRequest', SEARCH_REQUEST_EXTENSIONS);
  extend('VectorStoreSearchResultItem', SEARCH_RESULT_EXTENSIONS);
  return schemas;
}
