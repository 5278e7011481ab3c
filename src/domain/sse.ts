/**
 * The one SSE writer's framing (docs/openai-behaviour.md §5.3): one `event:` line, one `data:` line holding
 * single-line JSON, a blank line; the stream ends with `event: done` / `data: [DONE]`. Keep-alives
 * are comment lines, which every SDK ignores (an invented event name with empty data crashes them).
 */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = 'event: done\ndata: [DONE]\n\n';
export const SSE_PING = ': ping\n\n';


/** Run events after which a stream ends (the SDK needs one of them before `done`, docs/openai-behaviour.md §5.4 rule 1). */
export const STREAM_FINAL_EVENTS = new Set([
  'thread.run.requires_action',
  'thread.run.completed',
  'thread.run.incomplete',
  'thread.run.failed',
  'thread.run.cancelled',
  'thread.run.expired',
]);
