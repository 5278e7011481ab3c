/**
 * What a test tells the scripted upstream (test/support/scripted-upstream.ts) to answer, and the
 * queue those answers wait in.
 * Besides text and tool calls, there are misbehaving upstreams for the time-limit tests: `{ hang }`
 * (accepts, then silence; `beforeHeaders`: not even headers), `{ drip }` (SSE comment keep-alives
 * forever), `stallAfterChunks` (stops mid-stream and keeps the connection open), and one huge event
 * via `chunkSize` as large as the text.
 * Scripts are consumed FIFO. A script pushed with `{ match }` is only used by a request whose
 * `JSON.stringify(body.messages)` contains that string, so concurrent tests can each steer their own
 * requests; unkeyed scripts serve requests that matched no keyed script; with none left, the reply
 * is DEFAULT_TEXT.
 */

export const DEFAULT_TEXT = 'Hello from the scripted upstream.';

interface Timing {
  /** Only for requests whose messages (JSON) contain this string. */
  match?: string;
  /** Wait before the first content chunk (after the role chunk / message_start). */
  delayMs?: number;
  /** Wait between content chunks. */
  chunkDelayMs?: number;
  /** Characters per text chunk, or per tool-argument fragment. */
  chunkSize?: number;
  /** `cached_tokens` / `reasoning_tokens` go out as OpenAI's `*_tokens_details` (Anthropic: `cache_read_input_tokens`). */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number };
  /** OpenAI finish_reason (mapped for Anthropic: stop→end_turn, length→max_tokens, tool_calls→tool_use). */
  finishReason?: string;
  /** Stop mid-stream: after this many content chunks send nothing more and keep the connection open. */
  stallAfterChunks?: number;
}
export type TextScript = Timing & { text: string };
export type ToolCallScript = Timing & { toolCalls: Array<{ name: string; arguments: string; id?: string }>; text?: string };
export type ErrorScript = { match?: string; status: number; body?: unknown; headers?: Record<string, string> };
export type MalformedScript = { match?: string; malformed: true };
/** Accepts the request and sends nothing more: after the role chunk, or (`beforeHeaders`) not even headers. */
export type HangScript = { match?: string; hang: true; beforeHeaders?: boolean };
/** Keeps the stream alive with SSE comments every `everyMs` (default 200) and never answers. */
export type DripScript = { match?: string; drip: true; everyMs?: number };
export type Script = TextScript | ToolCallScript | ErrorScript | MalformedScript | HangScript | DripScript;

/** Adds scripts to the queue. A bare `{ match }` applies to the scripts after it in this call. */
export function queueScripts(queue: Script[], items: Array<Script | { match: string }>): void {
  let match: string | undefined;
  for (const item of items) {
    if (Object.keys(item).length === 1 && 'match' in item) match = item.match;
    else queue.push({ ...(match !== undefined ? { match } : {}), ...(item as Script) });
  }
}

/**
 * Removes and returns the script for a request body: the first keyed script whose `match` is in
 * its messages, else the first unkeyed one, else undefined (the caller answers DEFAULT_TEXT).
 */
export function takeScript(queue: Script[], body: any): Script | undefined {
  const haystack = JSON.stringify(body?.messages ?? null);
  let i = queue.findIndex((s) => s.match !== undefined && haystack.includes(s.match));
  if (i === -1) i = queue.findIndex((s) => s.match === undefined);
  return i === -1 ? undefined : queue.splice(i, 1)[0];
}
