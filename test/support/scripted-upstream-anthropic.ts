/**
 * The scripted upstream's Anthropic Messages wire format (`POST /v1/messages`,
 * test/support/scripted-upstream.ts): streamed as message_start … message_stop SSE events, or one
 * `message` JSON object when `stream` is false; and Anthropic's error envelope for scripted HTTP
 * errors. Scripts speak OpenAI's finish reasons; they are mapped to stop reasons here.
 */
import { randomBase62 } from '../../src/domain/ids';
import { parts, sleep, split } from './scripted-upstream-reply';
import type { Content, Reply, Write } from './scripted-upstream-reply';

const ANTHROPIC_STOP: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

/** The error body of a scripted HTTP error that gives none. */
export function anthropicError(status: number): unknown {
  return { type: 'error', error: { type: 'api_error', message: `Scripted HTTP ${status}` } };
}

/** Anthropic streaming: message_start, ping, content blocks, message_delta, message_stop. */
export async function anthropicStream(body: any, reply: Reply, write: Write, closed: () => boolean): Promise<void> {
  const send = (type: string, data: Record<string, unknown>) =>
    write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const content = reply.kind === 'content' ? parts(reply) : undefined;
  send('message_start', {
    message: {
      id: `msg_01${randomBase62(22)}`, type: 'message', role: 'assistant', model: body?.model, content: [],
      stop_reason: null, stop_sequence: null,
      usage: { input_tokens: content?.usage.prompt_tokens ?? 1, cache_creation_input_tokens: 0, cache_read_input_tokens: content?.usage.cached_tokens ?? 0, output_tokens: 1 },
    },
  });
  send('ping', {});
  if (reply.kind === 'malformed') return write('event: content_block_delta\ndata: {"type": "content_block_delta", not JSON\n\n');
  if (reply.kind === 'hang' || reply.kind === 'drip' || !content) return;
  await sleep(reply.script.delayMs);
  let first = true;
  let sent = 0;
  const stallAt = reply.script.stallAfterChunks ?? Infinity;
  const pace = async () => (first ? (first = false) : await sleep(reply.script.chunkDelayMs));
  let index = 0;
  if (content.text) {
    send('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const piece of split(content.text, content.size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    }
    send('content_block_stop', { index: index++ });
  }
  for (const call of content.calls) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    const id = call.id || `toolu_01${randomBase62(22)}`;
    send('content_block_start', { index, content_block: { type: 'tool_use', id, name: call.name, input: {} } });
    // Anthropic opens every tool input with an empty partial_json before the fragments.
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
    for (const frag of split(call.arguments, content.size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: frag } });
    }
    send('content_block_stop', { index: index++ });
  }
  const stop = ANTHROPIC_STOP[content.finish] ?? content.finish;
  send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: content.usage.completion_tokens } });
  send('message_stop', {});
}

/** Anthropic non-streaming: one `message` object. */
export function anthropicMessage(body: any, reply: Content): unknown {
  const { text, calls, usage, finish } = parts(reply);
  return {
    id: `msg_01${randomBase62(22)}`, type: 'message', role: 'assistant', model: body?.model,
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...calls.map((c) => ({ type: 'tool_use', id: c.id || `toolu_01${randomBase62(22)}`, name: c.name, input: JSON.parse(c.arguments || '{}') })),
    ],
    stop_reason: ANTHROPIC_STOP[finish] ?? finish, stop_sequence: null,
    usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens },
  };
}
