import { describe, expect, it } from 'vitest';
import { usageChunk } from '../../../src/adapters/models/usage';
import { CompletionChunker } from '../../../src/adapters/models/completions-translation';

describe('usageChunk (OpenAI-compatible usage → model port)', () => {
  it('carries prompt_tokens_details.cached_tokens and completion_tokens_details.reasoning_tokens', () => {
    expect(usageChunk({
      prompt_tokens: 100, completion_tokens: 40,
      prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 32 },
    })).toEqual({ type: 'usage', promptTokens: 100, completionTokens: 40, cachedTokens: 64, reasoningTokens: 32 });
  });

  it('leaves the details out when absent, null or zero (servers that do not report them)', () => {
    expect(usageChunk({ prompt_tokens: 5, completion_tokens: 1 })).toEqual({ type: 'usage', promptTokens: 5, completionTokens: 1 });
    expect(usageChunk({ prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: null, completion_tokens_details: { reasoning_tokens: null } }))
      .toEqual({ type: 'usage', promptTokens: 5, completionTokens: 1 });
    expect(usageChunk({ prompt_tokens_details: { cached_tokens: 0 } })).toEqual({ type: 'usage', promptTokens: 0, completionTokens: 0 });
  });
});

describe('translated Chat Completions usage', () => {
  it('has the details objects when the provider reported cached / reasoning tokens', () => {
    const chunker = new CompletionChunker('chatcmpl-x', 'claude-x', true);
    chunker.next({ type: 'usage', promptTokens: 10, completionTokens: 4, cachedTokens: 8 });
    const last = chunker.end().at(-1) as { usage: unknown };
    expect(last.usage).toEqual({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, prompt_tokens_details: { cached_tokens: 8 } });
  });
});
