/**
 * A streaming Server-Sent Events parser for upstream model responses, following the WHATWG
 * "event stream interpretation" algorithm (html.spec.whatwg.org/multipage/server-sent-events.html):
 * - lines end in CRLF, LF or CR (a CR at the end of one read followed by LF at the start of the next
 *   is one line break, not two);
 * - `field: value` lines, with one leading space of the value removed; a line without a colon is a
 *   field with an empty value; lines starting with `:` are comments (keep-alives such as OpenRouter's
 *   `: OPENROUTER PROCESSING`);
 * - several `data` lines in one event are joined with `\n`; a blank line dispatches the event;
 *   an event with no `data` field is not dispatched (the spec's "data buffer is empty" rule);
 * - a leading UTF-8 BOM is ignored, and multi-byte characters split across reads decode correctly.
 * `id` and `retry` are reconnection hints for EventSource; a one-shot model call has no use for them.
 *
 * One deliberate deviation: the spec discards a final event that is not followed by a blank line.
 * Some upstreams end the body right after `data: [DONE]\n`, so a pending event is dispatched at EOF.
 *
 * Cost is linear in the body: each read is scanned once from where the last scan stopped (an
 * unterminated line is never rescanned from its start), and one event may hold at most
 * `maxEventChars` characters. Beyond that the parse fails with a non-retryable error instead of
 * buffering an unbounded line (a single 10 MB upstream event once stalled the whole isolate).
 */
import { ChatModelError } from '../../domain/ports';

export interface SSEEvent {
  event?: string;
  data: string;
}

/** Largest upstream event accepted: far above any real chunk (a few KB), far below memory trouble. */
export const MAX_SSE_EVENT_CHARS = 1024 * 1024;

export interface ParseSSEOptions {
  maxEventChars?: number;
}

export function eventTooLarge(max: number): ChatModelError {
  return new ChatModelError('server_error', `The model's stream sent an event larger than ${max} characters; the call was abandoned.`, false);
}

export async function* parseSSE(body: ReadableStream<Uint8Array>, options: ParseSSEOptions = {}): AsyncGenerator<SSEEvent> {
  const max = options.maxEventChars ?? MAX_SSE_EVENT_CHARS;
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  // `pending` holds the text after the last line break; `scanned` is how much of it is known to
  // hold no line break, so a long line is scanned once, not once per read.
  let pending = '';
  let scanned = 0;
  let first = true;
  let event: string | undefined;
  let data: string[] = [];
  let dataChars = 0;
  let hasData = false;
  let finished = false;

  /** Applies one line; returns the event to dispatch when the line is blank. */
  const line = (text: string): SSEEvent | undefined => {
    if (text === '') {
      const out = hasData ? { ...(event !== undefined ? { event } : {}), data: data.join('\n') } : undefined;
      event = undefined;
      data = [];
      dataChars = 0;
      hasData = false;
      return out;
    }
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      dataChars += value.length + 1;
      if (dataChars > max) throw eventTooLarge(max);
      data.push(value);
      hasData = true;
    } else if (field === 'event') {
      event = value;
    }
    return undefined;
  };

  try {
    for (;;) {
      const { value, done } = await reader.read();
      let text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      pending += text;
      // Split complete lines off. A trailing lone CR stays pending until the next read shows
      // whether an LF follows it (unless the stream has ended).
      let start = 0;
      const out: SSEEvent[] = [];
      for (let i = scanned; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i === pending.length - 1 && !done) break;
        const ev = line(pending.slice(start, i));
        if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (ev) out.push(ev);
      }
      if (start > 0) pending = pending.slice(start);
      // A lone CR left at the end is rescanned next time; everything before it holds no break.
      scanned = pending.endsWith('\r') ? pending.length - 1 : pending.length;
      if (pending.length + dataChars > max) throw eventTooLarge(max);
      for (const ev of out) yield ev;
      if (done) {
        // EOF: treat any unterminated last line as complete, then flush a pending event.
        if (pending !== '') line(pending);
        pending = '';
        const last = line('');
        finished = true;
        if (last) yield last;
        return;
      }
    }
  } finally {
    // The consumer stopped early (break, throw, abort): cancel the body so the upstream connection
    // is released instead of buffering an unread response.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
