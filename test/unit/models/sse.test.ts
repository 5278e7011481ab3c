import { describe, expect, it } from 'vitest';
import { parseSSE } from '../../../src/adapters/models/sse';
import type { SSEEvent } from '../../../src/adapters/models/sse';

/** A body that delivers exactly these pieces, one per read (strings are UTF-8 encoded). */
function body(...pieces: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const p = pieces[i++];
      if (p === undefined) controller.close();
      else controller.enqueue(typeof p === 'string' ? enc.encode(p) : p);
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SSEEvent[]> {
  const out: SSEEvent[] = [];
  for await (const ev of parseSSE(stream)) out.push(ev);
  return out;
}

describe('parseSSE', () => {
  it('parses LF-delimited data events and named events', async () => {
    expect(await collect(body('data: {"a":1}\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n'))).toEqual([
      { data: '{"a":1}' },
      { event: 'ping', data: '{}' },
      { data: '[DONE]' },
    ]);
  });

  it('handles CRLF and bare CR line endings', async () => {
    expect(await collect(body('data: one\r\n\r\ndata: two\r\rdata: three\n\n'))).toEqual([
      { data: 'one' },
      { data: 'two' },
      { data: 'three' },
    ]);
  });

  it('treats a CR at the end of one read and LF at the start of the next as one line break', async () => {
    expect(await collect(body('data: a\r', '\n\r', '\ndata: b\r\n\r\n'))).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('joins multi-line data with \\n and strips only one leading space', async () => {
    expect(await collect(body('data: line 1\ndata:line 2\ndata:   indented\n\n'))).toEqual([
      { data: 'line 1\nline 2\n  indented' },
    ]);
  });

  it('ignores comments, unknown fields, id and retry; skips events without data', async () => {
    const events = await collect(body(': keep-alive\n\nid: 7\nretry: 10\nfoo: bar\ndata: x\n\nevent: lonely\n\n'));
    expect(events).toEqual([{ data: 'x' }]);
  });

  it('dispatches `data:` with an empty value as an empty string', async () => {
    expect(await collect(body('data:\n\ndata\n\n'))).toEqual([{ data: '' }, { data: '' }]);
  });

  it('reassembles events split at arbitrary byte boundaries, including inside UTF-8 characters', async () => {
    const text = 'event: message\ndata: {"t":"héllo — 世界 🎉"}\n\ndata: end\n\n';
    const bytes = new TextEncoder().encode(text);
    // One byte per read: every field, line ending and multi-byte character is split.
    const pieces = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(await collect(body(...pieces))).toEqual([
      { event: 'message', data: '{"t":"héllo — 世界 🎉"}' },
      { data: 'end' },
    ]);
  });

  it('strips a leading BOM', async () => {
    expect(await collect(body('\uFEFFdata: x\n\n'))).toEqual([{ data: 'x' }]);
  });

  it('flushes a final event that is not followed by a blank line', async () => {
    expect(await collect(body('data: a\n\ndata: [DONE]'))).toEqual([{ data: 'a' }, { data: '[DONE]' }]);
    expect(await collect(body('data: b\n'))).toEqual([{ data: 'b' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const ev of parseSSE(stream)) {
      expect(ev.data).toBe('tick');
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('propagates a read error', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: a\n\n'));
        controller.error(new Error('connection reset'));
      },
    });
    await expect(collect(stream)).rejects.toThrow('connection reset');
  });
});

describe('parseSSE bounds', () => {
  it('reassembles one long line delivered in many small reads, and a CR split from its LF', async () => {
    const value = 'x'.repeat(200_000);
    const line = `data: ${value}\r\n\r\n`;
    const pieces: string[] = [];
    for (let i = 0; i < line.length; i += 97) pieces.push(line.slice(i, i + 97));
    expect(await collect(body(...pieces, 'data: after\n\n'))).toEqual([{ data: value }, { data: 'after' }]);
  });

  it('fails an event larger than the cap with a non-retryable error, whether it arrives as one line or many', async () => {
    const huge = `data: ${'y'.repeat(2048)}`;
    const oneLine = parseSSE(body(huge.slice(0, 1000), huge.slice(1000), '\n\n'), { maxEventChars: 1024 });
    await expect(collectFrom(oneLine)).rejects.toMatchObject({ name: 'ChatModelError', kind: 'server_error', retryable: false });
    const manyLines = parseSSE(body(`${'data: 0123456789\n'.repeat(200)}\n`), { maxEventChars: 1024 });
    await expect(collectFrom(manyLines)).rejects.toThrow('larger than 1024 characters');
  });

  it('cancels the body when an event is too large (the upstream connection is released)', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('z'.repeat(600)));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(collectFrom(parseSSE(stream, { maxEventChars: 1000 }))).rejects.toThrow('larger than 1000');
    expect(cancelled).toBe(true);
  });
});

async function collectFrom(events: AsyncGenerator<SSEEvent>): Promise<SSEEvent[]> {
  const out: SSEEvent[] = [];
  for await (const ev of events) out.push(ev);
  return out;
}
