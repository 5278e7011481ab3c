import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicModel } from '../../../src/adapters/models/anthropic';
import { CompletionChunker, toChatMessages, toChatRequest, toCompletion } from '../../../src/adapters/models/completions-translation';
import type { ChatChunk } from '../../../src/domain/ports';
import { startScriptedUpstream, type ScriptedUpstream } from '../../support/scripted-upstream';

/** /v1/chat/completions for Anthropic (over the scripted upstream's Messages API) and the shapes it returns. */
let upstream: ScriptedUpstream;
let anthropic: AnthropicModel;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
  anthropic = new AnthropicModel({ apiKey: 'sk-ant-test', baseUrl: upstream.anthropicUrl });
});
afterAll(() => upstream.close());

async function collect(iter: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iter) out.push(c);
  return out;
}

describe('Chat Completions translation', () => {
  it('maps developer/system, user parts, assistant tool calls and tool results', () => {
    expect(
      toChatMessages([
        { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'done' },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'done' },
    ]);
    expect(toChatRequest({ model: 'm', messages: [], max_tokens: 5, max_completion_tokens: 7 }).maxTokens).toBe(7);
  });

  it('an Anthropic answer becomes a chat.completion', async () => {
    upstream.push({ match: 'to claude' }, { text: 'Hello from Claude.', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const request = toChatRequest({ model: 'claude-x', messages: [{ role: 'user', content: 'to claude' }] });
    const completion = toCompletion('chatcmpl-1', 'claude-x', await collect(anthropic.stream(request)));
    expect(completion).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'claude-x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Claude.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    expect(upstream.requests.at(-1)?.path).toBe('/v1/messages');
  });

  it('an Anthropic tool call streams as chat.completion.chunk deltas, then finish, then usage when asked', async () => {
    upstream.push({ match: 'weather' }, { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], chunkSize: 5 });
    const request = toChatRequest({ model: 'claude-x', messages: [{ role: 'user', content: 'weather?' }], tools: [{ type: 'function', function: { name: 'get_weather' } }] });
    const chunker = new CompletionChunker('chatcmpl-2', 'claude-x', true);
    const out = [chunker.start(), ...(await collect(anthropic.stream(request))).flatMap((c) => chunker.next(c)), ...chunker.end()] as Array<{
      object: string;
      choices: Array<{ delta: { role?: string; tool_calls?: Array<{ id?: string; function: { name?: string; arguments: string } }> }; finish_reason: string | null }>;
      usage?: unknown;
    }>;
    expect(out.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(out[0]!.choices[0]!.delta.role).toBe('assistant');
    const calls = out.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ id: expect.any(String), function: { name: 'get_weather' } });
    expect(calls.map((c) => c.function.arguments).join('')).toBe('{"city":"Oslo"}');
    expect(out.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(out.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
  });
});
