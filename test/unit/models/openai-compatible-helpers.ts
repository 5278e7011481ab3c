/**
 * Shared by the OpenAICompatibleModel tests (openai-compatible-*.test.ts): the scripted upstream and
 * the model pointed at it, the chat request they send, and readers of the ChatChunk stream it answers with.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { OpenAICompatibleModel } from '../../../src/adapters/models/openai-compatible';
import type { ChatChunk, ChatRequest } from '../../../src/domain/ports';
import { startScriptedUpstream, type ScriptedUpstream } from '../../support/scripted-upstream';

/** A scripted upstream started once per test file, reset before each test, and a model pointed at it. */
export function useScriptedModel(): { upstream: ScriptedUpstream; model: OpenAICompatibleModel } {
  const fx = {} as { upstream: ScriptedUpstream; model: OpenAICompatibleModel };
  beforeAll(async () => {
    fx.upstream = await startScriptedUpstream();
    fx.model = new OpenAICompatibleModel({ baseUrl: fx.upstream.url, apiKey: 'sk-test-upstream', headers: { 'x-extra': 'yes' } });
  });
  afterAll(() => fx.upstream.close());
  beforeEach(() => fx.upstream.reset());
  return fx;
}

export const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello' }],
  ...over,
});

export async function collect(iter: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iter) out.push(c);
  return out;
}

export async function failure(iter: AsyncIterable<ChatChunk>): Promise<unknown> {
  try {
    await collect(iter);
  } catch (err) {
    return err;
  }
  throw new Error('expected the stream to fail');
}

export const text = (chunks: ChatChunk[]) => chunks.flatMap((c) => (c.type === 'text' ? [c.delta] : [])).join('');
