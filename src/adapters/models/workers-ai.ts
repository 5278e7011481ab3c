import { newId } from '../../domain/ids';
import { ChatModelError } from '../../domain/ports';
import type { ChatChunk, ChatMessage, ChatModel, ChatRequest } from '../../domain/ports';
import { mapFinish } from './openai-compatible';
import { idleGuardedBody } from './idle-timeout';
import { parseSSE } from './sse';
import { usageChunk, type CompletionsUsage as Usage } from './usage';

/**
 * A ChatModel over the Workers AI binding (`env.AI.run(model, inputs, { signal })`), per
 * developers.cloudflare.com/workers-ai (text generation, JSON mode, traditional function calling).
 * - Without tools the call streams (`stream: true`): a ReadableStream of SSE lines
 *   `data: {"response":"...","usage":{...}}` ending with `data: [DONE]`. Newer models stream OpenAI
 *   chunks (`choices[0].delta`) instead; both shapes are read.
 * - With tools the call is not streamed: traditional function calling returns
 *   `{ response?, tool_calls?: [{ name, arguments }], usage? }` in one piece (arguments may be an
 *   object or a string), or an OpenAI `chat.completion` for OpenAI-style models.
 * Images in user messages are dropped: only Workers AI's vision models accept them, through a
 * model-specific `image` input rather than message parts.
 */
export interface WorkersAIOptions {
  /**
   * Workers AI's own default max_tokens is 256 for most text models, far too short for an assistant
   * turn, so this is sent when the run sets no limit.
   */
  defaultMaxTokens?: number;
  /** No byte from the binding's stream for this long fails the call (retryable, like a 5xx). */
  idleTimeoutMs?: number;
}

/** The binding's run() with loose types: the typed overloads only accept the literal model catalogue. */
interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

interface NativeToolCall {
  name?: string;
  arguments?: unknown;
  id?: string;
  function?: { name?: string; arguments?: unknown };
}
interface WorkersAIOutput {
  response?: unknown;
  tool_calls?: NativeToolCall[];
  usage?: Usage;
  finish_reason?: string;
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: NativeToolCall[] };
    delta?: { content?: string | null };
    finish_reason?: string | null;
  }>;
}

export const WORKERS_AI_DEFAULT_MAX_TOKENS = 2048;

export class WorkersAIModel implements ChatModel {
  private readonly ai: AiRunner;

  constructor(ai: Ai, private readonly options: WorkersAIOptions = {}) {
    this.ai = ai as unknown as AiRunner;
  }

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    const hasTools = (req.tools?.length ?? 0) > 0;
    const maxTokens = req.maxTokens ?? this.options.defaultMaxTokens ?? WORKERS_AI_DEFAULT_MAX_TOKENS;
    const inputs = buildWorkersAIInputs(req, maxTokens, !hasTools);
    let output: unknown;
    signal?.throwIfAborted();
    try {
      output = await this.ai.run(req.model, inputs, signal ? { signal } : undefined);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw mapWorkersAIError(err);
    }
    if (output instanceof ReadableStream) {
      yield* this.fromStream(output as ReadableStream<Uint8Array>, maxTokens, signal);
    } else {
      yield* fromResult(output as WorkersAIOutput, maxTokens);
    }
  }

  private async *fromStream(
    body: ReadableStream<Uint8Array>,
    maxTokens: number,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatChunk> {
    // pipeThrough with a signal errors the stream with the abort reason and cancels the source, so
    // a cancelled run stops reading even if the binding's stream ignores the signal.
    const piped = signal ? body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), { signal }) : body;
    const source = this.options.idleTimeoutMs !== undefined ? idleGuardedBody(piped, this.options.idleTimeoutMs) : piped;
    let usage: Usage | undefined;
    let finish: string | undefined;
    let done = false;
    try {
      for await (const ev of parseSSE(source)) {
        const data = ev.data.trim();
        if (data === '') continue;
        if (data === '[DONE]') {
          done = true;
          break;
        }
        let chunk: WorkersAIOutput;
        try {
          chunk = JSON.parse(data) as WorkersAIOutput;
        } catch {
          throw new ChatModelError('server_error', `Workers AI sent a non-JSON stream event: ${data.slice(0, 200)}`, false);
        }
        if (chunk.usage) usage = chunk.usage;
        const text = typeof chunk.response === 'string' ? chunk.response : chunk.choices?.[0]?.delta?.content;
        if (text) yield { type: 'text', delta: text };
        const reason = chunk.finish_reason ?? chunk.choices?.[0]?.finish_reason;
        if (reason) finish = reason;
      }
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof ChatModelError) throw err;
      throw mapWorkersAIError(err);
    }
    if (!done && !finish) throw new ChatModelError('server_error', 'Workers AI stream ended before [DONE].', false);
    yield* ending(usage, finish, false, maxTokens);
  }
}

function* fromResult(out: WorkersAIOutput, maxTokens: number): Generator<ChatChunk> {
  const choice = out.choices?.[0];
  const text = choice ? choice.message?.content : typeof out.response === 'string' ? out.response : undefined;
  if (text) yield { type: 'text', delta: text };
  // JSON mode returns `response` as an already-parsed object on some models.
  if (!choice && out.response !== undefined && typeof out.response !== 'string' && out.response !== null) {
    yield { type: 'text', delta: JSON.stringify(out.response) };
  }
  const calls = (choice ? choice.message?.tool_calls : out.tool_calls) ?? [];
  for (const [index, call] of calls.entries()) {
    const name = call.function?.name ?? call.name ?? '';
    const raw = call.function?.arguments ?? call.arguments;
    const args = typeof raw === 'string' ? raw : JSON.stringify(raw ?? {});
    // Native tool calls carry no id; the run needs a unique one per call to match tool outputs.
    yield { type: 'tool_call', index, id: call.id || newId('call_'), name, argumentsDelta: args };
  }
  yield* ending(out.usage, choice?.finish_reason ?? out.finish_reason, calls.length > 0, maxTokens);
}

function* ending(usage: Usage | undefined, finish: string | undefined, sawToolCall: boolean, maxTokens: number): Generator<ChatChunk> {
  if (usage) {
    yield usageChunk(usage);
  }
  // Native responses carry no finish reason: hitting the token limit is the one signal of truncation.
  if (!finish && !sawToolCall && (usage?.completion_tokens ?? 0) >= maxTokens) finish = 'length';
  yield { type: 'finish', reason: mapFinish(finish, sawToolCall) };
}

/** The `inputs` object for a chat model; exported for tests. */
export function buildWorkersAIInputs(req: ChatRequest, maxTokens: number, stream: boolean): Record<string, unknown> {
  const inputs: Record<string, unknown> = { messages: toWorkersAIMessages(req.messages), max_tokens: maxTokens };
  if (stream) inputs.stream = true;
  if (req.tools && req.tools.length > 0 && req.toolChoice !== 'none') {
    inputs.tools = req.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.function.name,
        description: t.function.description ?? '',
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      },
    }));
  }
  if (req.temperature != null) inputs.temperature = req.temperature;
  if (req.topP != null) inputs.top_p = req.topP;
  const format = req.responseFormat;
  // Workers AI JSON mode: `{ type: 'json_schema', json_schema: <the schema itself> }`.
  if (format?.type === 'json_object') inputs.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    inputs.response_format = { type: 'json_schema', json_schema: format.json_schema.schema ?? { type: 'object' } };
  }
  return inputs;
}

function toWorkersAIMessages(messages: ChatMessage[]): Record<string, unknown>[] {
  const names = new Map<string, string>();
  return messages.map((m) => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return {
          role: 'user',
          content: typeof m.content === 'string' ? m.content : m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n'),
        };
      case 'assistant': {
        const calls = m.tool_calls ?? [];
        for (const c of calls) names.set(c.id, c.function.name);
        // Llama-family chat templates render the call from the content, so write it as the JSON the
        // model itself emits (as Cloudflare's workers-ai-provider does), and keep tool_calls too.
        const content =
          m.content || calls.map((c) => JSON.stringify({ name: c.function.name, parameters: parseArgs(c.function.arguments) })).join('\n');
        return calls.length > 0 ? { role: 'assistant', content, tool_calls: calls } : { role: 'assistant', content };
      }
      case 'tool':
        return { role: 'tool', tool_call_id: m.tool_call_id, name: names.get(m.tool_call_id) ?? '', content: m.content };
    }
  });
}

function parseArgs(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

/**
 * The binding throws plain Errors whose message carries the cause ("3040: Capacity temporarily
 * exceeded", "429 Too Many Requests", "5006: Input validation error ..."). Capacity and rate
 * limits are retryable with backoff; input validation would fail the same way again; anything else
 * is treated as a transient server error.
 */
export function mapWorkersAIError(err: unknown): ChatModelError {
  const message = err instanceof Error ? err.message : String(err);
  const detail = `Workers AI error: ${message}`;
  if (/\b429\b|rate.?limit|too many requests|\b3040\b|capacity/i.test(message)) {
    return new ChatModelError('rate_limit_exceeded', detail, true, 429);
  }
  if (/\b5006\b|input validation/i.test(message)) return new ChatModelError('invalid_prompt', detail, false, 400);
  return new ChatModelError('server_error', detail, true);
}
