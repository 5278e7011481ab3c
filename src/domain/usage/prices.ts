/**
 * The price table of GET /v1/organization/costs: USD per 1M tokens, as OpenAI's and Anthropic's
 * public price lists state them. `PRICES` (src/config.ts) overrides or adds entries. A model is
 * priced by its exact name, else by the longest entry that prefixes it (`gpt-4o-mini-2024-07-18` is
 * priced as `gpt-4o-mini`); a model with no entry costs 0 and is reported as unpriced.
 */
export interface ModelPrice {
  input: number;
  /** Cached input tokens; the input price when the provider gives no discount. */
  cached_input?: number;
  output: number;
}

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, cached_input: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cached_input: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cached_input: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cached_input: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cached_input: 0.025, output: 0.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, cached_input: 7.5, output: 60 },
  'o3-mini': { input: 1.1, cached_input: 0.55, output: 4.4 },
  o3: { input: 2, cached_input: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cached_input: 0.275, output: 4.4 },
  'claude-3-5-haiku': { input: 0.8, cached_input: 0.08, output: 4 },
  'claude-3-5-sonnet': { input: 3, cached_input: 0.3, output: 15 },
  'claude-3-7-sonnet': { input: 3, cached_input: 0.3, output: 15 },
  'claude-sonnet-4': { input: 3, cached_input: 0.3, output: 15 },
  'claude-opus-4': { input: 15, cached_input: 1.5, output: 75 },
};

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export function priceTable(overrides: Record<string, ModelPrice> | undefined): PriceTable {
  return { ...DEFAULT_PRICES, ...(overrides ?? {}) };
}

export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}

/** One cost line per token kind, in USD. */
export function tokenCosts(price: ModelPrice, tokens: { input: number; cached: number; output: number }) {
  const uncached = Math.max(tokens.input - tokens.cached, 0);
  return {
    input: (uncached * price.input) / 1e6,
    cachedInput: (tokens.cached * (price.cached_input ?? price.input)) / 1e6,
    output: (tokens.output * price.output) / 1e6,
  };
}
