import { estimateMessageTokens } from '../context';
import type { ChatMessage, ChatToolDefinition } from '../ports';
import { estimateTextTokens } from '../tokens';

/**
 * Prompt size for `POST /responses/input_tokens` and `truncation: "auto"` (docs/responses.md "State"):
 * the same estimate as runs (src/domain/context.ts), plus the tools' JSON.
 */
export function estimateInputTokens(messages: readonly ChatMessage[], tools: readonly ChatToolDefinition[] = []): number {
  const toolTokens = tools.reduce((n, t) => n + estimateTextTokens(JSON.stringify(t.function)), 0);
  return messages.reduce((n, m) => n + estimateMessageTokens(m), 0) + toolTokens;
}

/**
 * `truncation: "auto"`: drops the oldest conversation messages (never the system message) until the
 * prompt fits the budget. A tool result never starts the kept part without the call it answers.
 */
export function truncateOldest(messages: readonly ChatMessage[], budget: number): ChatMessage[] {
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  let rest = messages.slice(system.length);
  const cost = (ms: readonly ChatMessage[]) => estimateInputTokens(ms);
  while (rest.length > 1 && cost(system) + cost(rest) > budget) {
    rest = rest.slice(1);
    while (rest.length > 1 && rest[0]!.role === 'tool') rest = rest.slice(1);
  }
  return [...system, ...rest];
}
