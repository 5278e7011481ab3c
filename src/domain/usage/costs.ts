import { priceOf, tokenCosts, type PriceTable } from './prices';

/** Usage summed per bucket and group (src/db/usage.ts `aggregateUsage` reads it from D1). */
export interface UsageAggregate {
  bucket: number;
  project_id?: string;
  model?: string;
  api_key_id?: string | null;
  assistant_id?: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  requests: number;
  function_calls: number;
  file_search_calls: number;
  code_interpreter_calls: number;
  /** Distinct (thread, clock hour) pairs with code_interpreter calls: OpenAI bills a session per hour. */
  code_interpreter_sessions: number;
}

export interface CostLine {
  bucket: number;
  project_id?: string;
  line_item: string;
  value: number;
}

/**
 * Usage rows (grouped by bucket, model and maybe project) turned into cost lines, one per token kind
 * (`<model>, input` / `, cached input` / `, output`). Models the price table does not know cost 0
 * and are returned in `unpriced`, so the caller can say so instead of silently under-reporting.
 */
export function costLines(rows: UsageAggregate[], prices: PriceTable): { lines: CostLine[]; unpriced: string[] } {
  const lines: CostLine[] = [];
  const unpriced = new Set<string>();
  for (const row of rows) {
    const model = row.model ?? '';
    const price = priceOf(prices, model);
    if (!price) unpriced.add(model);
    const cost = price ? tokenCosts(price, { input: row.input_tokens, cached: row.cached_tokens, output: row.output_tokens }) : { input: 0, cachedInput: 0, output: 0 };
    const base = { bucket: row.bucket, ...(row.project_id !== undefined ? { project_id: row.project_id } : {}) };
    lines.push({ ...base, line_item: `${model}, input`, value: cost.input });
    if (row.cached_tokens > 0) lines.push({ ...base, line_item: `${model}, cached input`, value: cost.cachedInput });
    lines.push({ ...base, line_item: `${model}, output`, value: cost.output });
  }
  return { lines, unpriced: [...unpriced].sort() };
}

/** Sums lines per bucket and the chosen keys (project_id and/or line_item), in first-seen order. */
export function sumLines(lines: CostLine[], keys: { project: boolean; lineItem: boolean }) {
  const out = new Map<string, { bucket: number; project_id: string | null; line_item: string | null; value: number }>();
  for (const l of lines) {
    const project_id = keys.project ? (l.project_id ?? null) : null;
    const line_item = keys.lineItem ? l.line_item : null;
    const k = JSON.stringify([l.bucket, project_id, line_item]);
    const hit = out.get(k);
    if (hit) hit.value += l.value;
    else out.set(k, { bucket: l.bucket, project_id, line_item, value: l.value });
  }
  return [...out.values()];
}
