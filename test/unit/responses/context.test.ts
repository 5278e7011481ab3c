import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/domain/ports';
import { estimateInputTokens, truncateOldest } from '../../../src/domain/responses/context';

const big = (role: 'user' | 'assistant', n: number): ChatMessage => ({ role, content: 'word '.repeat(n) });

describe('truncation: "auto"', () => {
  it('keeps everything that fits', () => {
    const messages: ChatMessage[] = [{ role: 'system', content: 'S' }, big('user', 10), big('assistant', 10)];
    expect(truncateOldest(messages, 10_000)).toEqual(messages);
  });

  it('drops the oldest turns first, never the system message nor a tool result without its call', () => {
    const call: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] };
    const messages: ChatMessage[] = [
      { role: 'system', content: 'S' }, call, { role: 'tool', tool_call_id: 'c1', content: 'word '.repeat(400) }, big('user', 400), big('user', 20),
    ];
    const budget = estimateInputTokens([messages[0]!, messages[4]!]) + 5;
    const kept = truncateOldest(messages, budget);
    expect(kept).toEqual([messages[0], messages[4]]);
    // The call goes first; its result is never left at the start without it.
    expect(truncateOldest(messages, estimateInputTokens(messages) - 1)[1]!.role).not.toBe('tool');
  });

  it('counts the tools into the estimate', () => {
    const m: ChatMessage[] = [big('user', 5)];
    const tool = { type: 'function' as const, function: { name: 'lookup', description: 'word '.repeat(50), parameters: { type: 'object' } } };
    expect(estimateInputTokens(m, [tool])).toBeGreaterThan(estimateInputTokens(m) + 40);
  });
});
