/**
 * A streaming multipart/form-data reader (RFC 7578 over RFC 2046's framing).
 *
 * Why not `request.formData()`: it buffers every part in memory, and a Worker has 128 MB for all of its
 * concurrent requests while `POST /files` takes up to 100 MB (docs/platform-limits.md §2). This reader holds at most
 * one incoming chunk plus a delimiter's length of look-ahead, so a file part can be streamed straight
 * into R2. Parts are visited in wire order; the SDKs disagree on that order (v4 sends `purpose` before
 * `file`, v6 after, docs/openai-behaviour.md §6.6), so callers must not depend on it.
 *
 * Usage: `for (let p; (p = await form.next()); )` then either `form.chunks()` / `form.text(max)` for the
 * current part's body, or nothing (the next `next()` skips what was not read).
 */

import { concat, indexOf } from './byte-search';
import { MultipartError } from './errors';
import { parsePartHeaders, splitParams, type PartInfo } from './part-headers';

export interface MultipartLimits {
  /** Bytes of one part's header block: a stream of header bytes must not grow the buffer forever. */
  maxHeaderBytes: number;
  /** Parts per form: each costs a header parse; real forms here have 1 to 4. */
  maxParts: number;
}

/** The most of a refused request's body read and thrown away before the connection is cut instead. */
const MAX_DISCARD_BYTES = 64 * 1024 * 1024;

/** Reads and discards a refused request's body (see MultipartReader.discardRest), if nobody reads it yet. */
export async function discardBody(request: Request, maxBytes: number = MAX_DISCARD_BYTES): Promise<void> {
  if (!request.body || request.bodyUsed || request.body.locked) return;
  await drain(request.body.getReader(), maxBytes);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.length;
      if (seen > maxBytes) return void (await reader.cancel());
    }
  } catch {
    // The client went away: nothing left to discard.
  }
}

const DEFAULT_LIMITS: MultipartLimits = { maxHeaderBytes: 16 * 1024, maxParts: 64 };
const CRLF = new Uint8Array([13, 10]);
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);
const utf8 = new TextDecoder();

/** The boundary of a `multipart/form-data` content type, or undefined if it is not one. */
export function boundaryOf(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const [type, ...params] = splitParams(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = params.find(([k]) => k === 'boundary')?.[1];
  // RFC 2046 §5.1.1: 1 to 70 characters.
  return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? boundary : undefined;
}

/** A reader over a request: refuses anything that is not multipart/form-data with a boundary. */
export function openMultipart(request: Request, limits: Partial<MultipartLimits> = {}): MultipartReader {
  const type = request.headers.get('content-type');
  const boundary = boundaryOf(type);
  if (boundary === undefined) {
    const shown = type ? type.split(';')[0]!.trim() : 'none';
    // Same wording and code as the JSON routes' content-type check (src/http/validation.ts).
    throw new MultipartError(`Invalid Content-Type header (${shown}), expected multipart/form-data with a boundary.`, 'invalid_content_type');
  }
  return new MultipartReader(request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), boundary, limits);
}

type State = 'preamble' | 'delimiter' | 'body' | 'done';

export class MultipartReader {
  private readonly source: ReadableStreamDefaultReader<Uint8Array>;
  private readonly delimiter: Uint8Array;
  private readonly limits: MultipartLimits;
  // A virtual CRLF in front makes the first boundary look like every other one ("\r\n--" + boundary).
  private buf: Uint8Array = CRLF;
  private eof = false;
  private state: State = 'preamble';
  private parts = 0;

  constructor(body: ReadableStream<Uint8Array>, boundary: string, limits: Partial<MultipartLimits> = {}) {
    this.source = body.getReader();
    this.delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Advances to the next part (skipping the unread rest of the current one); null after the last. */
  async next(): Promise<PartInfo | null> {
    if (this.state === 'body') while ((await this.read()) !== null);
    if (this.state === 'preamble') await this.skipPreamble();
    if (this.state === 'done') return null;
    if (!(await this.afterDelimiter())) return null;
    if (++this.parts > this.limits.maxParts) throw new MultipartError(`Too many form fields (more than ${this.limits.maxParts}).`);
    const info = parsePartHeaders(await this.headerBlock());
    this.state = 'body';
    return info;
  }

  /**
   * After a refusal: reads and discards the rest of the request body (up to `maxBytes`, then cancels
   * it). A response sent while the client is still uploading is otherwise cut off mid-request; under
   * concurrency the local proxy then answered 500 with a stack trace instead of the 400.
   */
  async discardRest(maxBytes: number = MAX_DISCARD_BYTES): Promise<void> {
    this.buf = new Uint8Array(0);
    this.state = 'done';
    if (!this.eof) await drain(this.source, maxBytes);
    this.eof = true;
  }

  /** The next chunk of the current part's body, or null at its end. Chunks stay valid after later reads. */
  async read(): Promise<Uint8Array | null> {
    if (this.state !== 'body') return null;
    const d = this.delimiter;
    for (;;) {
      const at = indexOf(this.buf, d);
      if (at !== -1) {
        const chunk = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + d.length);
        this.state = 'delimiter';
        return chunk.length > 0 ? chunk : null;
      }
      // Everything except a possible delimiter prefix at the end is body.
      const safe = this.buf.length - (d.length - 1);
      if (safe > 0) {
        const chunk = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        return chunk;
      }
      if (!(await this.fill())) throw new MultipartError('The multipart body ended in the middle of a part (truncated upload?).');
    }
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    for (let c; (c = await this.read()) !== null; ) yield c;
  }

  /** The current part as UTF-8 text, refusing more than `maxBytes` (text fields are small). */
  async text(maxBytes: number): Promise<string> {
    const pieces: Uint8Array[] = [];
    let total = 0;
    for await (const c of this.chunks()) {
      total += c.length;
      if (total > maxBytes) throw new MultipartError(`A form field is longer than ${maxBytes} bytes.`);
      pieces.push(c);
    }
    return utf8.decode(concat(pieces, total));
  }

  /** Stops reading the request body (after the last part, or when giving up on a bad form). */
  async cancel(): Promise<void> {
    this.state = 'done';
    await this.source.cancel().catch(() => undefined);
  }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const { done, value } = await this.source.read();
    if (done) {
      this.eof = true;
      return false;
    }
    if (value.length > 0) this.buf = this.buf.length === 0 ? value : concat([this.buf, value], this.buf.length + value.length);
    return true;
  }

  private async skipPreamble(): Promise<void> {
    const d = this.delimiter;
    for (;;) {
      const at = indexOf(this.buf, d);
      if (at !== -1) {
        this.buf = this.buf.subarray(at + d.length);
        this.state = 'delimiter';
        return;
      }
      // Preamble text is ignored (RFC 2046), but never kept: only a possible delimiter prefix survives.
      if (this.buf.length >= d.length) this.buf = this.buf.slice(this.buf.length - (d.length - 1));
      if (!(await this.fill())) throw new MultipartError('The multipart body does not contain the boundary from the Content-Type header.');
    }
  }

  /** After a delimiter: `--` closes the form; otherwise optional padding then CRLF starts a part. */
  private async afterDelimiter(): Promise<boolean> {
    for (;;) {
      if (this.buf.length >= 2 && this.buf[0] === 45 && this.buf[1] === 45) {
        await this.cancel(); // the epilogue is ignored (RFC 2046)
        return false;
      }
      const eol = indexOf(this.buf, CRLF);
      if (eol !== -1) {
        for (let i = 0; i < eol; i++) {
          if (this.buf[i] !== 32 && this.buf[i] !== 9) throw new MultipartError('Malformed multipart body: unexpected bytes after a boundary.');
        }
        // Keep the CRLF: the header block is then everything up to the next CRLFCRLF, even when empty.
        this.buf = this.buf.subarray(eol);
        return true;
      }
      if (this.buf.length > 256) throw new MultipartError('Malformed multipart body: unexpected bytes after a boundary.');
      if (!(await this.fill())) throw new MultipartError('The multipart body ended without its closing boundary (truncated upload?).');
    }
  }

  private async headerBlock(): Promise<string> {
    for (;;) {
      const end = indexOf(this.buf, CRLFCRLF);
      if (end !== -1) {
        const text = utf8.decode(this.buf.subarray(2, Math.max(2, end)));
        this.buf = this.buf.subarray(end + 4);
        return text;
      }
      if (this.buf.length > this.limits.maxHeaderBytes) throw new MultipartError(`A form part's headers exceed ${this.limits.maxHeaderBytes} bytes.`);
      if (!(await this.fill())) throw new MultipartError('The multipart body ended inside part headers (truncated upload?).');
    }
  }
}
