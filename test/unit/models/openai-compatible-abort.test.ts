// OpenAICompatibleModel cancelled through its AbortSignal: before the request, mid-stream and
// between chunks; the generator throws the signal's reason and the upstream sees the request aborted.
import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../../../src/domain/ports';
import { collect, request, useScriptedModel } from './openai-compatible-helpers';

const fx = useScriptedModel();

describe('OpenAICompatibleModel', () => {
  it('aborts mid-stream: the generator throws the abort reason and the server sees the abort', async () => {
    fx.upstream.push({ hang: true });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const run = (async () => {
      for await (const c of fx.model.stream(request(), controller.signal)) seen.push(c);
    })();
    await waitFor(() => fx.upstream.requests.length === 1);
    await new Promise((r) => setTimeout(r, 50)); // let the headers and role chunk arrive
    const reason = new Error('run cancelled');
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    await waitFor(() => fx.upstream.requests[0]?.aborted === true);
    expect(seen).toEqual([]);
  });

  it('aborts between text chunks: output so far was delivered, then the abort reason is thrown', async () => {
    fx.upstream.push({ text: 'abcdefgh', chunkSize: 1, chunkDelayMs: 1000 });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const reason = new DOMException('stopped', 'AbortError');
    const run = (async () => {
      for await (const c of fx.model.stream(request(), controller.signal)) {
        seen.push(c);
        controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(seen).toEqual([{ type: 'text', delta: 'a' }]);
    await waitFor(() => fx.upstream.requests[0]?.aborted === true);
  });

  it('throws the abort reason without a request when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(collect(fx.model.stream(request(), controller.signal))).rejects.toThrow('too late');
    expect(fx.upstream.requests).toHaveLength(0);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
