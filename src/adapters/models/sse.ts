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
 */
export interface SSEEvent {
  event?: string;
  data: string;
}

export async function* parseSSE(body: ReadableStream<Uint8Array>): AsyncGenerator<SSEEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let first = true;
  let event: string | undefined;
  let data: string[] = [];
  let hasData = false;
  let finished = false;

  /** Applies one line; returns the event to dispatch when the line is blank. */
  const line = (text: string): SSEEvent | undefined => {
    if (text === '') {
      const out = hasData ? { ...(event !== undefined ? { event } : {}), data: data.join('\n') } : undefined;
      event = undefined;
      data = [];
      hasData = false;
      return out;
    }
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
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
      if (done) {
        buffer += decoder.decode();
      } else {
        buffer += decoder.decode(value, { stream: true });
      }
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      // Split complete lines off the buffer. A trailing lone CR stays buffered until the next
      // read shows whether an LF follows it (unless the stream has ended).
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i === buffer.length - 1 && !done) break;
        const out = line(buffer.slice(start, i));
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (out) yield out;
      }
      buffer = buffer.slice(start);
      if (done) {
        // EOF: treat any unterminated last line as complete, then flush a pending event.
        if (buffer !== '') line(buffer);
        buffer = '';
        const out = line('');
        finished = true;
        if (out) yield out;
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
