// Incremental parser for server-sent events, enough to check the wire format of our streams
// (docs/openai-behaviour.md §5.3/§6.4): event names, data lines, comments and the blank line that ends
// an event, with any of the three line endings.

export interface SseMessage { event: string | undefined; data: string }

/** Incremental SSE parser: lines end in \n, \r\n or \r; a blank line dispatches; `:` lines are comments. */
export class SseParser {
  private buffer = '';
  private event: string | undefined;
  private data: string[] = [];

  push(chunk: string, final = false): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\n|\r/.exec(this.buffer);
      // A trailing \r may be the first half of \r\n split across chunks: wait for more input.
      if (!m || (!final && m[0] === '\r' && m.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    if (final && this.buffer) {
      const msg = this.line(this.buffer);
      this.buffer = '';
      if (msg) out.push(msg);
    }
    return out;
  }

  /** True when an event was started but never terminated by a blank line. */
  get incomplete(): boolean {
    return this.event !== undefined || this.data.length > 0 || this.buffer.length > 0;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.event === undefined && this.data.length === 0) return undefined;
      const msg = { event: this.event, data: this.data.join('\n') };
      this.event = undefined;
      this.data = [];
      return msg;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}
