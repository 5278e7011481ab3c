import { describe, expect, it } from 'vitest';
import { ChatTurn, type TurnListener } from '../../../src/domain/turn/chat-turn';
import { MAX_MESSAGE_TEXT_BYTES, MAX_TOOL_ARGUMENTS_BYTES } from '../../../src/domain/runs/limits';

/** The API-neutral reader of a model call (src/domain/turn/chat-turn.ts): what it reports, in order. */
function recorder() {
  const reports: string[] = [];
  const listener: TurnListener = {
    text: (d) => void reports.push(`text ${d}`),
    toolCallStarted: (i, name) => void reports.push(`start ${i} ${name}`),
    toolArguments: (i, d) => void reports.push(`args ${i} ${d}`),
  };
  return { reports, listener };
}

describe('ChatTurn', () => {
  it('keeps the cached prompt tokens the provider reported, for the usage row (input_cached_tokens)', async () => {
    const turn = new ChatTurn(recorder().listener);
    await turn.accept({ type: 'usage', promptTokens: 100, completionTokens: 5, cachedTokens: 64, reasoningTokens: 3 });
    expect(turn.usage).toEqual({ prompt_tokens: 100, completion_tokens: 5, cached_tokens: 64 });
  });

  it('reports text, dense tool-call indexes and argument fragments in order; keeps usage and finish', async () => {
    const { reports, listener } = recorder();
    const turn = new ChatTurn(listener);
    await turn.accept({ type: 'text', delta: 'Hi' });
    await turn.accept({ type: 'text', delta: '' });
    await turn.accept({ type: 'tool_call', index: 3, id: 'a', name: 'get_', argumentsDelta: '{' });
    await turn.accept({ type: 'tool_call', index: 3, name: 'time' });
    await turn.accept({ type: 'tool_call', index: 7, id: 'b', name: 'f' });
    await turn.accept({ type: 'text', delta: 'after' });
    await turn.accept({ type: 'tool_call', index: 3, argumentsDelta: '}' });
    await turn.accept({ type: 'usage', promptTokens: 4, completionTokens: 2 });
    await turn.accept({ type: 'finish', reason: 'tool_calls' });
    expect(reports).toEqual(['text Hi', 'start 0 get_', 'args 0 {', 'start 1 f', 'text after', 'args 0 }']);
    expect(turn.calls).toEqual([{ name: 'get_time', arguments: '{}' }, { name: 'f', arguments: '' }]);
    expect(turn.usage).toEqual({ prompt_tokens: 4, completion_tokens: 2 });
    expect(turn.finish).toBe('tool_calls');
    expect(turn.overflow).toBeNull();
  });

  it('drops text after the first tool call when asked, counting it toward no bound', async () => {
    const { reports, listener } = recorder();
    const turn = new ChatTurn(listener, { dropTextAfterToolCalls: true });
    await turn.accept({ type: 'tool_call', index: 0, name: 'f' });
    await turn.accept({ type: 'text', delta: 'x'.repeat(MAX_MESSAGE_TEXT_BYTES + 1) });
    expect(reports).toEqual(['start 0 f']);
    expect(turn.overflow).toBeNull();
  });

  it('cuts text at the byte bound and ignores every chunk after an overflow', async () => {
    const { reports, listener } = recorder();
    const turn = new ChatTurn(listener);
    await turn.accept({ type: 'text', delta: 'a'.repeat(MAX_MESSAGE_TEXT_BYTES - 1) });
    await turn.accept({ type: 'text', delta: 'bc' });
    expect(turn.overflow).toBe('text');
    await turn.accept({ type: 'tool_call', index: 0, name: 'f', argumentsDelta: 'x' });
    await turn.accept({ type: 'finish', reason: 'stop' });
    expect(reports.map((r) => r.length)).toEqual([5 + MAX_MESSAGE_TEXT_BYTES - 1, 6]);
    expect(turn.finish).toBeNull();
  });

  it('flags arguments past the bound without reporting the fragment that crossed it', async () => {
    const { reports, listener } = recorder();
    const turn = new ChatTurn(listener);
    await turn.accept({ type: 'tool_call', index: 0, name: 'f', argumentsDelta: 'a'.repeat(MAX_TOOL_ARGUMENTS_BYTES) });
    await turn.accept({ type: 'tool_call', index: 1, name: 'g', argumentsDelta: 'b' });
    expect(turn.overflow).toBe('arguments');
    expect(reports.map((r) => r.slice(0, 9))).toEqual(['start 0 f', 'args 0 aa', 'start 1 g']);
    expect(turn.calls.map((c) => c.arguments.length)).toEqual([MAX_TOOL_ARGUMENTS_BYTES, 0]);
  });
});
