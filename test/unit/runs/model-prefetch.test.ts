// A new run's first model request sent ahead (src/durable/model-prefetch.ts): used only for the very
// request the run builds, aborted otherwise; and the run's call stats follow it (run.end log line).
import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatModel, ChatRequest } from '../../../src/domain/ports';
import { callLimit } from '../../../src/durable/call-limit';
import { ModelPrefetch } from '../../../src/durable/model-prefetch';
import { callStatsFor, instrumentModel } from '../../../src/observability/instrumented-model';

/** A model that records each call's request and signal, and streams `chunks` once released. */
function recordingModel(chunks: ChatChunk[]) {
  const calls: { request: ChatRequest; signal?: AbortSignal }[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const model: ChatModel = {
    async *stream(request, signal) {
      calls.push({ request, signal });
      await released;
      for (const c of chunks) {
        if (signal?.aborted) throw signal.reason;
        yield c;
      }
    },
  };
  return { model, calls, release };
}

const request = (text: string): ChatRequest => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }], temperature: 1, topP: 1, reasoningEffort: null });
const chunks: ChatChunk[] = [
  { type: 'text', delta: 'Hel' },
  { type: 'text', delta: 'lo.' },
  { type: 'finish', reason: 'stop' },
];
const collect = async (it: AsyncIterable<ChatChunk>) => {
  const out: ChatChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
};

describe('ModelPrefetch', () => {
  it('sends the request at once, and an equal request (a different object) adopts its stream whole', async () => {
    const { model, calls, release } = recordingModel(chunks);
    const prefetch = new ModelPrefetch(model, request('hi'));
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    const stream = prefetch.adopt(request('hi'), new AbortController().signal);
    expect(stream).not.toBeNull();
    release();
    expect(await collect(stream!)).toEqual(chunks);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal!.aborted).toBe(false);
  });

  it('a different request is refused and the sent one aborted', async () => {
    const { model, calls } = recordingModel(chunks);
    const prefetch = new ModelPrefetch(model, request('hi'));
    expect(prefetch.adopt(request('hi, edited'), new AbortController().signal)).toBeNull();
    expect(calls[0]!.signal!.aborted).toBe(true);
    // Spent: not even the original request can take it any more.
    expect(prefetch.adopt(request('hi'), new AbortController().signal)).toBeNull();
  });

  it('discard aborts an unadopted request and is a no-op after adoption', async () => {
    const a = recordingModel(chunks);
    new ModelPrefetch(a.model, request('a')).discard();
    expect(a.calls[0]!.signal!.aborted).toBe(true);

    const b = recordingModel(chunks);
    const adopted = new ModelPrefetch(b.model, request('b'));
    const stream = adopted.adopt(request('b'), new AbortController().signal)!;
    adopted.discard();
    b.release();
    expect(await collect(stream)).toEqual(chunks);
    expect(b.calls[0]!.signal!.aborted).toBe(false);
  });

  it("the adopting run's signal aborts the call (cancel, expiry, call limit)", async () => {
    const { model, calls, release } = recordingModel(chunks);
    const prefetch = new ModelPrefetch(model, request('x'));
    const run = new AbortController();
    const stream = prefetch.adopt(request('x'), run.signal)!;
    run.abort(new Error('Run cancelled'));
    expect(calls[0]!.signal!.aborted).toBe(true);
    release();
    await expect(collect(stream)).rejects.toThrow('Run cancelled');
  });

  it("an upstream error surfaces on adoption, as the run's own call would have thrown it", async () => {
    const failing: ChatModel = {
      // eslint-disable-next-line require-yield
      async *stream() {
        throw new Error('HTTP 429');
      },
    };
    const prefetch = new ModelPrefetch(failing, request('y'));
    await new Promise((r) => setTimeout(r, 0));
    await expect(collect(prefetch.adopt(request('y'), new AbortController().signal)!)).rejects.toThrow('HTTP 429');
  });

  it("an adopted call counts in the run's stats, like a call made under the run's call limit", async () => {
    const run = new AbortController();
    const counted = recordingModel(chunks);
    const model = instrumentModel('openai', counted.model);
    counted.release();
    // A call through the run's call limit (the executor's calls).
    const limit = callLimit(run.signal, 60_000);
    await collect(model.stream(request('one'), limit.signal));
    limit.dispose();
    // And an adopted prefetch.
    const prefetch = new ModelPrefetch(model, request('two'));
    const second = callLimit(run.signal, 60_000);
    await collect(prefetch.adopt(request('two'), second.signal)!);
    second.dispose();
    expect(callStatsFor(run.signal)).toMatchObject({ provider: 'openai', calls: 2 });
  });
});
