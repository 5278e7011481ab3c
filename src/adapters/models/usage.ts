import type { ChatChunk } from '../../domain/ports';

/**
 * Usage as OpenAI-compatible Chat Completions servers report it (OpenAI, Workers AI's OpenAI-shaped
 * models, most gateways): cached prompt tokens in `prompt_tokens_details.cached_tokens`, reasoning tokens
 * in `completion_tokens_details.reasoning_tokens` (docs/responses.md "Usage"). Either may be absent.
 */
export interface CompletionsUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** The model port's usage chunk of a reported usage; the details only when the server gave them. */
export function usageChunk(u: CompletionsUsage): Extract<ChatChunk, { type: 'usage' }> {
  const chunk: Extract<ChatChunk, { type: 'usage' }> = { type: 'usage', promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 };
  const cached = u.prompt_tokens_details?.cached_tokens;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (typeof cached === 'number' && cached > 0) chunk.cachedTokens = cached;
  if (typeof reasoning === 'number' && reasoning > 0) chunk.reasoningTokens = reasoning;
  return chunk;
}
