/**
 * What a search's `ranking_options` (and the `search_mode` extension) mean here, as pure functions:
 * which retrievers run, how their lists are fused, how results are ordered and what `score` is.
 *
 * - `search_mode` (extension; docs/openai-behaviour.md): `hybrid` (keyword + vector, fused by
 *   weighted reciprocal rank fusion), `vector` (embeddings only) or `keyword` (FTS5 BM25 only).
 * - `hybrid_search.{embedding_weight,text_weight}` (OpenAI's Responses file_search): the weights of
 *   the vector and keyword lists in the fusion. Both 0 is meaningless and refused by the schema.
 * - `ranker`: `none` keeps the fused order (cheapest); any other value (`auto`, `default-2024-11-15`,
 *   `default_2024_08_21`) re-ranks the fused candidates by RELEVANCE (below).
 * - `score` (always in [0, 1]):
 *   - with a ranker: relevance = the weighted mean of the query–passage cosine similarity (clamped
 *     at 0; 0 when the passage was not among the nearest vectors) and the share of the query's
 *     meaningful words found in the passage. An absolute scale: a threshold of 0.5 means "at least
 *     half-way to a perfect semantic and lexical match", whatever the other results are.
 *   - with `none`: the fused RRF score divided by its largest possible value (first place in every
 *     list that ran), i.e. how unanimously the retrievers put the passage on top.
 *   `score_threshold` drops results below it; it can therefore drop every result.
 */

export type SearchMode = 'hybrid' | 'vector' | 'keyword';
export { SEARCH_MODES, SEARCH_RANKERS } from '../../contract/search-options';

export interface HybridWeights {
  embedding_weight: number;
  text_weight: number;
}

/**
 * Defaults chosen by `npm run bench:retrieval` (README, retrieval; 600 queries over 300 manual pages,
 * local model): hybrid with text weighted 3:1 and the re-ranker scored nDCG@10 0.614, level with
 * keyword alone (0.618) and well above equal weights (0.558) or vector alone (0.341), while still
 * finding passages that share no word with the query (which keyword search cannot).
 */
export const DEFAULT_WEIGHTS: HybridWeights = { embedding_weight: 1, text_weight: 3 };
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';

export interface RankingRequest {
  ranker?: string;
  hybrid_search?: HybridWeights;
  search_mode?: SearchMode;
}

export interface RankingPlan {
  mode: SearchMode;
  /** true: order by relevance; false: keep the fused order (`ranker: none`). */
  rerank: boolean;
  /** Weights of the keyword and vector lists; 0 for a retriever that does not run. */
  textWeight: number;
  embeddingWeight: number;
}

export class RankingOptionError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = 'RankingOptionError';
  }
}

/**
 * Resolves a request's options. `hasEmbedder` false (no embeddings provider configured): an explicit
 * `vector` mode is an error (never a silent keyword search); the default becomes `keyword`, and the
 * caller reports it (x-retrieval-mode).
 */
export function planRanking(request: RankingRequest, hasEmbedder: boolean): RankingPlan {
  const requested = request.search_mode;
  if (requested && requested !== 'keyword' && !hasEmbedder) {
    throw new RankingOptionError(
      `search_mode '${requested}' needs an embeddings provider, and none is configured (set EMBEDDINGS_BASE_URL or bind Workers AI); use 'keyword'.`,
      'search_mode',
    );
  }
  const mode = requested ?? (hasEmbedder ? DEFAULT_SEARCH_MODE : 'keyword');
  const weights = request.hybrid_search ?? DEFAULT_WEIGHTS;
  if (request.hybrid_search && weights.embedding_weight + weights.text_weight <= 0) {
    throw new RankingOptionError('ranking_options.hybrid_search needs at least one positive weight.', 'ranking_options.hybrid_search');
  }
  return {
    mode,
    rerank: request.ranker !== 'none',
    textWeight: mode === 'vector' ? 0 : mode === 'keyword' ? 1 : weights.text_weight,
    embeddingWeight: mode === 'keyword' ? 0 : mode === 'vector' ? 1 : weights.embedding_weight,
  };
}

const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to too us was we were what ' +
    'when where which who why will with would you your').split(' '),
);

/** Lowercased letter/digit runs (any script); accents folded so "café" matches "cafe". */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Plural-insensitive form, enough that "files" in a query matches "file" in a passage. */
const fold = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);

/** The query's meaningful terms, folded: stopwords dropped unless that leaves none. */
export function queryTerms(query: string): string[] {
  const all = [...new Set(words(query).map(fold))];
  const meaningful = all.filter((w) => !STOPWORDS.has(w));
  return meaningful.length > 0 ? meaningful : all;
}

/** A passage prepared for term lookups: lowercased, accents folded only when it has non-ASCII text. */
export function preparePassage(text: string): string {
  const lower = text.toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(lower) ? lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : lower;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Whether `term` occurs in the prepared passage as a whole word, or followed by a plural "s"/"es".
 * indexOf over the passage instead of splitting it into words: re-ranking reads ~100 passages a query.
 */
export function hasTerm(passage: string, term: string): boolean {
  for (let at = passage.indexOf(term); at !== -1; at = passage.indexOf(term, at + 1)) {
    if (isWordChar(passage[at - 1])) continue;
    const end = at + term.length;
    const next = passage[end];
    if (!isWordChar(next)) return true;
    if (next === 's' && !isWordChar(passage[end + 1])) return true;
    if (next === 'e' && passage[end + 1] === 's' && !isWordChar(passage[end + 2])) return true;
  }
  return false;
}

/**
 * Share of the query's meaningful words (queryTerms) that occur in the passage, in [0, 1]. Scripts
 * without spaces (Chinese, Japanese) count each run as one word.
 */
export function termCoverage(terms: readonly string[], passage: string): number {
  if (terms.length === 0) return 0;
  let found = 0;
  for (const t of terms) if (hasTerm(passage, t)) found += 1;
  return found / terms.length;
}

/** Relevance in [0, 1]: the weighted mean of clamped cosine similarity and term coverage. */
export function relevance(cosine: number | undefined, coverage: number, plan: RankingPlan): number {
  const total = plan.embeddingWeight + plan.textWeight;
  if (total <= 0) return 0;
  const semantic = Math.min(1, Math.max(0, cosine ?? 0));
  const value = (plan.embeddingWeight * semantic + plan.textWeight * coverage) / total;
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The largest fused RRF score a passage can get: first place in every list that ran
 * (`queries` × each retriever's weight / (k + 1)). Dividing by it gives the `ranker: none` score.
 */
export function maxFusedScore(plan: RankingPlan, queries: number, k = 60): number {
  return (queries * (plan.textWeight + plan.embeddingWeight)) / (k + 1);
}
