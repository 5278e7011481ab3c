/**
 * Writes a byte stream of unknown length into one R2 object with bounded memory.
 *
 * Why: `R2Bucket.put` needs the length up front for a stream (a request body or a FixedLengthStream),
 * and a multipart form part's length is only known once it has been read; buffering the whole file is
 * not an option with 128 MB per isolate shared by concurrent requests (docs/platform-limits.md §2). So bytes are
 * collected up to one part size: a file that ends before that is a single `put`; a larger one becomes
 * an R2 multipart upload whose parts are all exactly `partSize` bytes except the last, which R2 requires
 * (every part but the last the same size, each at least 5 MiB; miniflare enforces the same rule).
 * Anything that fails before `close()` returns must be followed by `abort()` so no multipart upload is
 * left dangling.
 */

/** 8 MiB: above R2's 5 MiB part minimum; 10,000 parts of it (R2's maximum) hold 80 GB, above OpenAI's 8 GB uploads. */
export const R2_PART_SIZE = 8 * 1024 * 1024;

/** The stream exceeded `maxBytes`; nothing is kept (the writer aborted itself). */
export class ObjectTooLargeError extends Error {
  override name = 'ObjectTooLargeError';
  constructor(readonly limit: number) {
    super(`object larger than ${limit} bytes`);
  }
}

/** A source object of a concatenation no longer exists (deleted concurrently). */
export class MissingObjectError extends Error {
  override name = 'MissingObjectError';
  constructor(readonly key: string) {
    super(`R2 object ${key} does not exist`);
  }
}

export interface R2WriteOptions {
  contentType?: string;
  /** Refuse (and abort) once more than this many bytes have been written. */
  maxBytes?: number;
  /** Exposed for tests; must be ≥ 5 MiB against real R2. */
  partSize?: number;
}

export class R2StreamWriter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private total = 0;
  private upload: R2MultipartUpload | undefined;
  private readonly uploaded: R2UploadedPart[] = [];
  private finished = false;
  private readonly partSize: number;

  constructor(
    private readonly bucket: R2Bucket,
    readonly key: string,
    private readonly options: R2WriteOptions = {},
  ) {
    this.partSize = options.partSize ?? R2_PART_SIZE;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.total;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.finished) throw new Error('R2StreamWriter: write after close/abort');
    if (chunk.length === 0) return;
    this.total += chunk.length;
    if (this.options.maxBytes !== undefined && this.total > this.options.maxBytes) {
      await this.abort();
      throw new ObjectTooLargeError(this.options.maxBytes);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= this.partSize) await this.flushPart(this.partSize);
  }

  /** Writes every chunk of `source`, then closes. Aborts on any error. */
  async writeAll(source: AsyncIterable<Uint8Array>): Promise<R2Object> {
    try {
      for await (const chunk of source) await this.write(chunk);
      return await this.close();
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Stores what is buffered and completes the object. */
  async close(): Promise<R2Object> {
    if (this.finished) throw new Error('R2StreamWriter: close after close/abort');
    const httpMetadata = this.options.contentType ? { contentType: this.options.contentType } : undefined;
    if (!this.upload) {
      const body = this.take(this.buffered);
      this.finished = true;
      return this.bucket.put(this.key, body, { httpMetadata });
    }
    if (this.buffered > 0) await this.flushPart(this.buffered);
    this.finished = true;
    return this.upload.complete(this.uploaded);
  }

  /** Drops buffered bytes and aborts a started multipart upload. Safe to call more than once. */
  async abort(): Promise<void> {
    this.finished = true;
    this.chunks = [];
    this.buffered = 0;
    const upload = this.upload;
    this.upload = undefined;
    if (upload) await upload.abort().catch(() => undefined);
  }

  private async flushPart(size: number): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: this.options.contentType ? { contentType: this.options.contentType } : undefined,
    });
    const body = this.take(size);
    this.uploaded.push(await this.upload.uploadPart(this.uploaded.length + 1, body));
  }

  /** Removes exactly `size` bytes from the front of the buffer as one contiguous array. */
  private take(size: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length === size) {
      this.chunks.shift();
      this.buffered -= size;
      return first;
    }
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const c = this.chunks[0]!;
      const n = Math.min(c.length, size - at);
      out.set(n === c.length ? c : c.subarray(0, n), at);
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
      at += n;
    }
    this.buffered -= size;
    return out;
  }
}

export interface ConcatResult {
  object: R2Object;
  bytes: number;
  /** Lower-case hex MD5 of the concatenation, when requested. */
  md5?: string;
}

/**
 * Concatenates existing objects, in order, into `destKey`. Source objects of arbitrary sizes cannot
 * become R2 parts directly (equal-size rule above), so their bytes are streamed through a writer that
 * re-chunks them. The MD5 uses workerd's `crypto.DigestStream`, which hashes as the bytes pass through.
 */
export async function concatenateObjects(
  bucket: R2Bucket,
  sourceKeys: readonly string[],
  destKey: string,
  options: R2WriteOptions & { md5?: boolean } = {},
): Promise<ConcatResult> {
  const writer = new R2StreamWriter(bucket, destKey, options);
  const digest = options.md5 ? new crypto.DigestStream('MD5') : undefined;
  const hasher = digest?.getWriter();
  let object: R2Object | undefined;
  try {
    for (const key of sourceKeys) {
      const source = await bucket.get(key);
      if (!source) throw new MissingObjectError(key);
      const reader = source.body.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        if (hasher) await hasher.write(r.value);
        await writer.write(r.value);
      }
    }
    object = await writer.close();
    let md5: string | undefined;
    if (hasher && digest) {
      await hasher.close();
      md5 = [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    }
    return { object, bytes: writer.bytes, md5 };
  } catch (err) {
    await writer.abort();
    await hasher?.abort().catch(() => undefined);
    if (object) await bucket.delete(destKey).catch(() => undefined);
    throw err;
  }
}
