/**
 * Token estimates for budgeting (`max_prompt_tokens`, `truncation_strategy: auto`). Exact counts
 * depend on each provider's tokenizer, which is not available here; ~4 characters per token is the
 * usual English average for BPE tokenizers. Billing figures (`usage`) always come from the
 * upstream's own counts, never from this estimate.
 */
export const CHARS_PER_TOKEN = 4;
/** Chat formats add a few tokens of framing per message. */
export const TOKENS_PER_MESSAGE = 4;
/** OpenAI's vision pricing: a low-detail image is 85 tokens; a typical auto/high one ~765. */
export const IMAGE_TOKENS = { low: 85, other: 765 } as const;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
