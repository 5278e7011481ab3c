import { describe, expect, it } from 'vitest';
import { fetchWithIdleTimeout } from '../../../src/adapters/models/idle-timeout';
import { OpenAICompatibleModel } from '../../../src/adapters/models/openai-compatible';

const enc = new TextEncoder();

/** A body that sends `pieces` and then nothing more, never closing; records its cancellation. */
function stalling(pieces: string[]) {
  const state = { cancelled: false };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const p = pieces[i++];
      if (p !== undefined) controller.enqueue(enc.encode(p));
      else return new Promise<void>(() => {}); // stalls
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

describe('model idle timeout', () => {
  it('fails a call whose upstream never answers with headers, aborting the request', async () => {
    let aborted = false;
    const never: typeof fetch = (_input, init) =>
      new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(init.signal!.reason);
        });
      });
    const model = new OpenAICompatibleModel({ baseUrl: 'http://upstream/v1', fetch: fetchWithIdleTimeout(never, 50) });
    const run = async () => {
      for await (const _ of model.stream({ model: 'm', messages: [] })) void _;
    };
    await expect(run()).rejects.toMatchObject({ name: 'ChatModelError', kind: 'server_error', retryable: true, message: expect.stringContaining('sent no data') });
    expect(aborted).toBe(true);
  });

  it('fails a stream that stops after its first chunk, and cancels the body', async () => {
    const first = `data: ${JSON.stringify({ choices: [{ delta: { content: 'Hel' } }] })}\n\n`;
    const { body, state } = stalling([first]);
    const model = new OpenAICompatibleModel({
      baseUrl: 'http://upstream/v1',
      fetch: fetchWithIdleTimeout(async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }), 50),
    });
    const seen: unknown[] = [];
    const run = async () => {
      for await (const chunk of model.stream({ model: 'm', messages: [] })) seen.push(chunk);
    };
    await expect(run()).rejects.toMatchObject({ kind: 'server_error', retryable: true });
    expect(seen).toEqual([{ type: 'text', delta: 'Hel' }]);
    expect(state.cancelled).toBe(true);
  });

  it('keeps a stream alive while bytes (even comments) keep arriving', async () => {
    const events = [': keep-alive\n\n', `data: ${JSON.stringify({ choices: [{ delta: { content: 'ok' }, finish_reason: 'stop' }] })}\n\n`, 'data: [DONE]\n\n'];
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 20));
        const e = events[i++];
        if (e === undefined) controller.close();
        else controller.enqueue(enc.encode(e));
      },
    });
    const model = new OpenAICompatibleModel({ baseUrl: 'http://upstream/v1', fetch: fetchWithIdleTimeout(async () => new Response(body), 1000) });
    const seen: unknown[] = [];
    for await (const chunk of model.stream({ model: 'm', messages: [] })) seen.push(chunk);
    expect(seen).toEqual([{ type: 'text', delta: 'ok' }, { type: 'finish', reason: 'stop' }]);
  });
});
