import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_TEXT_BYTES, MAX_TOOL_ARGUMENTS_BYTES, storedLength, storedPrefix } from '../../src/domain/runs/limits';
import { ModelTurn, type TurnSink } from '../../src/durable/model-turn';
import type { MessageRow } from '../../src/db/messages';
import type { Run, RunStep } from '../../src/domain/runs/types';

describe('stored sizes', () => {
  it('count the UTF-8 bytes of the JSON string a value is stored as', () => {
    const samples = ['', 'abc', 'é', '€uro', '😀 smile', 'mixed ü 😀 € a', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0001\u001f control', 'lone \ud800 surrogate'];
    for (const s of samples) expect(storedLength(s), JSON.stringify(s)).toBe(new TextEncoder().encode(JSON.stringify(s)).length - 2);
  });

  it('cut at a byte budget without splitting a character or an escape', () => {
    expect(storedPrefix('abc', 2)).toBe('ab');
    expect(storedPrefix('a€b', 3)).toBe('a'); // € is 3 bytes: 1 + 3 > 3
    expect(storedPrefix('a€b', 4)).toBe('a€');
    expect(storedPrefix('😀x', 3)).toBe('');
    expect(storedPrefix('😀x', 4)).toBe('😀');
    expect(storedPrefix('a\u0001b', 6)).toBe('a'); // \u0001 is 6 bytes once escaped
    expect(storedPrefix('short', 100)).toBe('short');
  });
});

function recordingSink() {
  const events: { event: string; data: any }[] = [];
  const messages = new Map<string, MessageRow>();
  const sink: TurnSink = {
    emit: (event, data) => void events.push({ event, data }),
    insertStep: (_s: RunStep) => undefined,
    saveStep: (_s: RunStep) => undefined,
    insertMessage: async (row) => void messages.set(row.id, row),
    saveMessage: async (row) => void messages.set(row.id, row),
  };
  return { sink, events, messages };
}

const run = { id: 'run_x', thread_id: 'thread_x', assistant_id: 'asst_x' } as Run;

describe('ModelTurn bounds', () => {
  it('cuts the text at MAX_MESSAGE_TEXT_BYTES: streamed deltas equal the stored text, later chunks are ignored', async () => {
    const { sink, events, messages } = recordingSink();
    const turn = new ModelTurn(run, 'proj', sink);
    const chunk = 'é'.repeat(100_000); // 200,000 bytes
    for (let i = 0; i < 4; i++) await turn.accept({ type: 'text', delta: chunk });
    expect(turn.overflow).toBe('text');
    const result = await turn.end({ truncated: true });
    const text = (result.message!.content[0] as { text: { value: string } }).text.value;
    expect(storedLength(text)).toBe(MAX_MESSAGE_TEXT_BYTES); // 2-byte characters fill it exactly
    const streamed = events.filter((e) => e.event === 'thread.message.delta').map((e) => e.data.delta.content[0].text?.value ?? '').join('');
    expect(streamed).toBe(text);
    expect([...messages.values()][0]).toMatchObject({ status: 'incomplete', incompleteDetails: { reason: 'max_tokens' } });
  });

  it('flags arguments past MAX_TOOL_ARGUMENTS_BYTES and keeps none of the excess', async () => {
    const { sink } = recordingSink();
    const turn = new ModelTurn(run, 'proj', sink);
    await turn.accept({ type: 'tool_call', index: 0, id: 'up_1', name: 'f', argumentsDelta: 'a'.repeat(MAX_TOOL_ARGUMENTS_BYTES) });
    expect(turn.overflow).toBeNull();
    await turn.accept({ type: 'tool_call', index: 1, id: 'up_2', name: 'g', argumentsDelta: 'b' });
    expect(turn.overflow).toBe('arguments');
    const result = await turn.end({ truncated: false });
    expect(result.calls.map((c) => c.function.arguments.length)).toEqual([MAX_TOOL_ARGUMENTS_BYTES, 0]);
  });
});
