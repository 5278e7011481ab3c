/**
 * A streamed run as the HTTP response the SDK expects (docs/openai-behaviour.md §5.1): 200,
 * `text/event-stream`, `no-cache`, no Content-Length. The bytes come from the thread object's
 * stream hub, already framed by src/domain/sse.ts.
 */
export function sseResponse(stream: ReadableStream<Uint8Array>, requestId: string): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': requestId,
    },
  });
}
