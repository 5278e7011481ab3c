import type { ResponseUsage } from './types';

/** A Response's usage; cached and reasoning tokens as the provider reported them (docs/responses.md "Usage"). */
export function usageOf(input: number, output: number, details: { cachedTokens?: number; reasoningTokens?: number } = {}): ResponseUsage {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: Math.min(details.cachedTokens ?? 0, input), cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: Math.min(details.reasoningTokens ?? 0, output) },
    total_tokens: input + output,
  };
}
