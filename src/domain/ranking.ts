import type { AttributeValue, Attributes, ComparisonFilter, CompoundFilter, Filter } from '../contract/filter-types';

/**
 * Ranking for hybrid retrieval: fusing the vector (semantic) and FTS5 (keyword) result lists, turning
 * fused scores into OpenAI's 0..1 `score`, and evaluating vector-store search `filters` against a
 * file's `attributes`.
 */

export interface Scored {
  id: string;
  score: number;
}

/**
 * Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list contributes
 * `1 / (k + rank)` (rank from 1) for every id it contains. It needs no score calibration between
 * retrievers (cosine similarity and BM25 live on unrelated scales), and k = 60 is the paper's value:
 * it damps the head so that agreement between lists outweighs a single first place.
 * An id repeated within one list counts once, at its best rank. Ties keep first-seen order (lists
 * in argument order, then rank), so the result is deterministic. `weights` (one per list, ≥ 0)
 * scale each list's contributions; a list of weight 0 is left out entirely.
 */
export function reciprocalRankFusion(lists: ReadonlyArray<ReadonlyArray<{ id: string }>>, k = 60, weights?: readonly number[]): Scored[] {
  if (!(k >= 0)) throw new RangeError('k must be a non-negative number');
  if (weights && (weights.length !== lists.length || weights.some((w) => !(w >= 0)))) throw new RangeError('one non-negative weight per list');
  const scores = new Map<string, { score: number; order: number }>();
  for (const [l, list] of lists.entries()) {
    // Weighted RRF (OpenAI's `ranking_options.hybrid_search`): a list's contributions scale with its weight.
    const weight = weights ? weights[l]! : 1;
    if (weight === 0) continue;
    const seen = new Set<string>();
    list.forEach(({ id }, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      const entry = scores.get(id);
      const add = weight / (k + index + 1);
      if (entry) entry.score += add;
      else scores.set(id, { score: add, order: scores.size });
    });
  }
  return [...scores.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order)
    .map(([id, { score }]) => ({ id, score }));
}

/**
 * Maps fused scores to 0..1 by dividing by the best score, so the top result is 1 and the others
 * keep their proportions. Why relative: an RRF score says only how highly the retrievers ranked a
 * chunk, never how relevant it is in absolute terms, so there is no fixed scale to map onto. (Dividing
 * by the theoretical maximum `lists / (k + 1)` would instead cap a chunk that only one retriever found
 * at 1/lists, e.g. 0.5 — a keyword-only hit for an exact identifier would look half as relevant as it
 * is.) Consequence: with `ranking_options.score_threshold`, the best result always passes; the
 * threshold trims the tail relative to it. Input order is kept; scores are rounded to 6 decimals.
 */
export function normalizeScores<T extends { score: number }>(results: readonly T[]): T[] {
  let best = 0;
  for (const r of results) if (r.score > best) best = r.score;
  if (best <= 0 || !Number.isFinite(best)) return results.map((r) => ({ ...r, score: 0 }));
  return results.map((r) => ({ ...r, score: Math.round((r.score / best) * 1e6) / 1e6 }));
}

// -------------------------------------------------------------------------------------------------
// Filters (vector-store search `filters`, file_search tool `filters`)

export type { AttributeValue, Attributes, ComparisonFilter, CompoundFilter, Filter } from '../contract/filter-types';

/**
 * Whether a file's attributes satisfy a filter. OpenAI documents the operators but not the corner
 * cases; these are the choices made here:
 * - Equality is strict: the string "5" does not equal the number 5, nor `true` the string "true".
 * - `gt/gte/lt/lte` compare numbers with numbers and strings with strings (lexicographically, so ISO
 *   dates order correctly); mixed types and booleans never match.
 * - A missing attribute (or `attributes: null`) matches only the negative operators `ne` and `nin`
 *   ("is not X" is true of a file that has no X), as in MongoDB-style filter languages.
 * - `in`/`nin` with a scalar value act as a one-element list; `eq`/`ne` with a list compare against
 *   the list as a whole, which no scalar attribute equals.
 * - `and` of no filters is true, `or` of no filters is false (the identities of each operator).
 */
export function matchesFilter(attributes: Attributes | null | undefined, filter: Filter): boolean {
  if (isCompound(filter)) {
    return filter.type === 'and'
      ? filter.filters.every((f) => matchesFilter(attributes, f))
      : filter.filters.some((f) => matchesFilter(attributes, f));
  }
  const has = attributes != null && Object.prototype.hasOwnProperty.call(attributes, filter.key);
  const actual = has ? attributes[filter.key] : undefined;
  const { value } = filter;
  switch (filter.type) {
    case 'eq':
      return has && !Array.isArray(value) && actual === value;
    case 'ne':
      return !has || Array.isArray(value) || actual !== value;
    case 'in':
      return has && asList(value).some((v) => v === actual);
    case 'nin':
      return !has || !asList(value).some((v) => v === actual);
    default:
      return has && compare(actual!, value, filter.type);
  }
}

export function isCompound(filter: Filter): filter is CompoundFilter {
  return filter.type === 'and' || filter.type === 'or';
}

function asList(value: ComparisonFilter['value']): Array<string | number | boolean> {
  return Array.isArray(value) ? value : [value];
}

function compare(actual: AttributeValue, value: ComparisonFilter['value'], op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const comparable =
    (typeof actual === 'number' && typeof value === 'number' && !Number.isNaN(actual)) ||
    (typeof actual === 'string' && typeof value === 'string');
  if (!comparable) return false;
  const a = actual as number | string;
  const b = value as number | string;
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}
