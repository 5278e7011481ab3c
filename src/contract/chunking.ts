/**
 * OpenAI's `{type:"auto"}` chunking strategy: 800-token chunks overlapping by 400. A wire fact (what
 * `auto` means), so it sits in the contract; src/domain/chunking.ts re-exports it for the chunker.
 */
export interface ChunkOptions {
  maxTokens: number;
  overlapTokens: number;
}

export const AUTO_CHUNKING: ChunkOptions = { maxTokens: 800, overlapTokens: 400 };
