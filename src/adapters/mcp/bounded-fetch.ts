/**
 * A `fetch` for the MCP transport that bounds what a server may send: a response body larger than
 * `maxBytes` (Content-Length or counted while streaming) fails with ResponseTooLargeError, so a server
 * cannot fill the Durable Object's memory (128 MB per isolate, Cloudflare Workers limits). Redirects are
 * left to the transport (its `same-origin` policy), so a redirect cannot leave the checked server's origin.
 */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`The MCP server's response exceeded the ${formatBytes(maxBytes)} limit.`);
  }
}

export function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/**
 * `exceeded` is told too: an SSE stream that fails mid-way is retried or waited on by the transport rather
 * than failing the request, so the caller aborts the operation itself.
 */
export function boundedFetch(maxBytes: number, base: typeof fetch, exceeded: (err: ResponseTooLargeError) => void): typeof fetch {
  const tooLarge = () => {
    const err = new ResponseTooLargeError(maxBytes);
    exceeded(err);
    return err;
  };
  return async (input, init) => {
    const response = await base(input, init);
    const declared = Number(response.headers.get('content-length') ?? '');
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    if (!response.body) return response;
    let seen = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
