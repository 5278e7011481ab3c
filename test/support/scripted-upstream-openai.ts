/**
 * The scripted upstream's OpenAI Chat Completions wire format (`POST /v1/chat/completions`,
 * test/support/scripted-upstream.ts): streamed as `chat.completion.chunk` SSE events exactly as
 * OpenAI sends them (role chunk, content/tool_call deltas, a finish chunk, then a usage chunk with
 * `choices: []` when `stream_options.include_usage`, then `data: [DONE]`), or one `chat.completion`
 * JSON object when `stream` is false; and OpenAI's error envelope for scripted HTTP errors.
 */
import { randomBase62 } from '../../src/domain/ids';
import { parts, sleep, split } from './scripted-upstream-reply';
import type { Content, Reply, Write } from './scripted-upstream-reply';

/** The error body of a scripted HTTP error that gives none. */
export function openaiError(status: number): unknown {
  return { error: { message: `Scripted HTTP ${status}`, type: 'server_error', param: null, code: null } };
}

/** OpenAI streaming: role chunk, deltas, finish chunk, usage chunk (`choices: []`), [DONE]. */
export async function openaiStream(body: any, reply: Reply, write: Write, closed: () => boolean): Promise<void> {
  const id = `chatcmpl-${randomBase62(29)}`;
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = body?.stream_options?.include_usage === true;
  // With include_usage, OpenAI adds `"usage": null` to every chunk before the last.
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id, object: 'chat.completion.chunk', created, model: body?.model, service_tier: 'default',
    system_fingerprint: 'fp_scripted', choices, ...(includeUsage ? { usage } : {}),
  });
  const send = (delta: unknown, finish: string | null = null) =>
    write(`data: ${JSON.stringify(chunk([{ index: 0, delta, logprobs: null, finish_reason: finish }]))}\n\n`);

  send({ role: 'assistant', content: '', refusal: null });
  if (reply.kind === 'malformed') return write('data: {"id": "chatcmpl-x", this is not JSON\n\n');
  if (reply.kind === 'hang') return;
  if (reply.kind === 'drip') {
    while (!closed()) {
      await sleep(reply.everyMs);
      write(': keep-alive\n\n');
    }
    return;
  }
  const { text, calls, usage, finish, size } = parts(reply);
  await sleep(reply.script.delayMs);
  let first = true;
  let sent = 0;
  const stallAt = reply.script.stallAfterChunks ?? Infinity;
  const pace = async () => (first ? (first = false) : await sleep(reply.script.chunkDelayMs));
  for (const piece of split(text, size)) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    send({ content: piece });
  }
  for (const [index, call] of calls.entries()) {
    await pace();
    if (closed() || sent++ >= stallAt) return;
    const callId = call.id || `call_${randomBase62(24)}`;
    send({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const frag of split(call.arguments, size)) {
      await pace();
      if (closed() || sent++ >= stallAt) return;
      send({ tool_calls: [{ index, function: { arguments: frag } }] });
    }
  }
  send({}, finish);
  if (includeUsage) {
    const full = {
      prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    write(`data: ${JSON.stringify(chunk([], full))}\n\n`);
  }
  write('data: [DONE]\n\n');
}

/** OpenAI non-streaming: one `chat.completion` object. */
export function openaiCompletion(body: any, reply: Content): unknown {
  const { text, calls, usage, finish } = parts(reply);
  const toolCalls = calls.map((c) => ({
    id: c.id || `call_${randomBase62(24)}`, type: 'function', function: { name: c.name, arguments: c.arguments },
  }));
  return {
    id: `chatcmpl-${randomBase62(29)}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000),
    model: body?.model, system_fingerprint: 'fp_scripted',
    choices: [{
      index: 0, logprobs: null, finish_reason: finish,
      message: { role: 'assistant', content: text || null, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
    }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}
