// Background validation of SSE bodies (wire format per docs/openai-behaviour.md §5.3/§6.4).
//
// SSE bodies cannot be checked before the SDK sees them: validating-fetch.ts hands a clone to one of the
// watchers here, which validates it event by event in the background. Problems land in
// `streamValidationErrors` (`await expectNoStreamErrors()`).
import { ContractViolationError } from './contract-violations.js';
import { validateResponseStreamEvent, validateStreamEvent } from './openapi.js';
import { SseParser, type SseMessage } from './sse-parser.js';

export const streamValidationErrors: string[] = [];

const pendingStreams = new Set<Promise<void>>();

/**
 * Background check of an Assistants stream: every event named, its data an AssistantStreamEvent of that name,
 * nothing after `done`, and the stream ends with it.
 */
export function watchStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  const check = (msg: SseMessage, index: number, afterDone: boolean): boolean => {
    const where = `event #${index} (${msg.event ?? 'no event name'})`;
    if (afterDone) record(`${where} sent after 'done'`);
    if (msg.event === undefined) {
      record(`${where}: every event needs an 'event:' line (data: ${msg.data.slice(0, 120)})`);
      return msg.data.startsWith('[DONE]');
    }
    if (msg.event === 'done') {
      for (const e of validateStreamEvent('done', msg.data)) record(`${where}: ${e}`);
      return true;
    }
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      record(`${where}: data is not JSON: ${msg.data.slice(0, 200)}`);
      return false;
    }
    for (const e of validateStreamEvent(msg.event, data)) record(`${where}: ${e}`);
    return false;
  };

  let index = 0;
  let done = false;
  watchSse(body, (m) => {
    if (check(m, index++, done)) done = true;
  }, (incomplete) => {
    if (incomplete) record('stream ended in the middle of an event (no blank line after it)');
    if (!done) record("stream ended without 'event: done' / 'data: [DONE]'");
  });
}

/** Events after which a Responses stream ends (OpenAI sends no `[DONE]` on Responses streams). */
const RESPONSE_TERMINAL_EVENTS = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/**
 * Background check of a Responses stream: every event named, its JSON data a ResponseStreamEvent of the same
 * `type`, `sequence_number`s consecutive (a replay with `starting_after` starts above 0), nothing after a
 * terminal event, and the stream ends with one.
 */
export function watchResponseStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  let index = 0;
  let lastSequence: number | undefined;
  let ended = false;
  watchSse(body, (m) => {
    const where = `event #${index++} (${m.event ?? 'no event name'})`;
    if (ended) record(`${where} sent after the terminal event`);
    if (m.event === undefined) return record(`${where}: every event needs an 'event:' line (data: ${m.data.slice(0, 120)})`);
    let data: { sequence_number?: unknown };
    try {
      data = JSON.parse(m.data) as { sequence_number?: unknown };
    } catch {
      return record(`${where}: data is not JSON: ${m.data.slice(0, 200)}`);
    }
    for (const e of validateResponseStreamEvent(m.event, data)) record(`${where}: ${e}`);
    const seq = data.sequence_number;
    if (typeof seq === 'number' && lastSequence !== undefined && seq !== lastSequence + 1) {
      record(`${where}: sequence_number ${seq} does not follow ${lastSequence}`);
    }
    if (typeof seq === 'number') lastSequence = seq;
    if (RESPONSE_TERMINAL_EVENTS.has(m.event)) ended = true;
  }, (incomplete) => {
    if (incomplete) record('stream ended in the middle of an event (no blank line after it)');
    if (!ended) record('responses stream ended without response.completed/failed/incomplete or error');
  });
}

/** Background check of a Chat Completions stream: every event a JSON chunk (or error), then [DONE]. */
export function watchChatStream(label: string, body: ReadableStream<Uint8Array>): void {
  const record = (msg: string): void => void streamValidationErrors.push(`${label}: ${msg}`);
  let done = false;
  watchSse(body, (m) => {
    if (done) record('event after [DONE]');
    if (m.data === '[DONE]') {
      done = true;
      return;
    }
    try {
      const chunk = JSON.parse(m.data) as { object?: unknown; error?: unknown };
      if (chunk.object !== 'chat.completion.chunk' && chunk.error === undefined) record(`not a chat.completion.chunk: ${m.data.slice(0, 120)}`);
    } catch {
      record(`data is not JSON: ${m.data.slice(0, 120)}`);
    }
  }, () => {
    if (!done) record('chat completions stream ended without data: [DONE]');
  });
}

/**
 * Reads an SSE body in the background, handing each message to `onMessage` and, once the body has
 * ended, `onEnd(incomplete)` (whether it stopped in the middle of an event). A client that aborted
 * (e.g. broke out of its iteration) leaves an unfinished stream, which is expected: `onEnd` is skipped.
 * `expectNoStreamErrors()` waits for these tasks.
 */
function watchSse(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => void, onEnd: (incomplete: boolean) => void): void {
  const task = (async () => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) onMessage(m);
      }
      for (const m of parser.push(decoder.decode(), true)) onMessage(m);
    } catch {
      return;
    }
    onEnd(parser.incomplete);
  })();
  pendingStreams.add(task);
  void task.finally(() => pendingStreams.delete(task));
}

/**
 * Wait for the background validation of every stream seen so far (it runs on a clone, slightly behind the
 * SDK), then throw if any problem was recorded. Clears the list so the next test starts clean. Async on
 * purpose: `await expectNoStreamErrors()` after consuming a stream.
 */
export async function expectNoStreamErrors(timeoutMs = 5_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const result = await Promise.race([Promise.all([...pendingStreams]).then(() => 'settled' as const), timedOut]);
  clearTimeout(timer);
  const errors = streamValidationErrors.splice(0);
  if (result === 'timeout') errors.push(`${pendingStreams.size} stream(s) still open after ${timeoutMs} ms`);
  if (errors.length) throw new ContractViolationError(`stream validation failed:\n  - ${errors.join('\n  - ')}`);
}
