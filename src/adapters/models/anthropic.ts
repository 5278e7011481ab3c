import { ChatModelError } from '../../domain/ports';
import type { ChatChunk, ChatContentPart, ChatMessage, ChatModel, ChatRequest } from '../../domain/ports';
import { guardedFetch, httpError, streamFailure, type UpstreamIdentity } from './upstream-errors';
import { parseSSE } from './sse';

/**
 * A ChatModel over Anthropic's Messages API (`POST {baseUrl}/v1/messages`, `stream: true`), per
 * docs.anthropic.com/en/api/messages and /en/docs/build-with-claude/streaming.
 *
 * Anthropic has no `response_format`: for json_object/json_schema we append an instruction (with the
 * schema) to the system prompt asking for a single JSON value and nothing else. That is a request,
 * not a guarantee; the model usually complies but the output is not validated here.
 */
export interface AnthropicOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}
type FinishReason = Extract<ChatChunk, { type: 'finish' }>['reason'];

/** The fields of Anthropic's stream events that we read (all event types share one loose shape). */
interface StreamEvent {
  type?: string;
  index?: number;
  message?: { usage?: Record<string, unknown> };
  content_block?: { type?: string; text?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: { output_tokens?: number };
  error?: { type?: string; message?: string };
}

/** Anthropic requires max_tokens; this is used when the run sets no limit. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export class AnthropicModel implements ChatModel {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly identity: UpstreamIdentity;

  constructor(private readonly options: AnthropicOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '');
    this.identity = { label: `Anthropic (${this.baseUrl})`, keySetting: 'ANTHROPIC_API_KEY', urlSetting: 'ANTHROPIC_BASE_URL' };
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    const res = await guardedFetch(
      this.fetchImpl,
      `${this.baseUrl}/v1/messages`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'x-api-key': this.options.apiKey,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify(buildAnthropicBody(req)),
        signal,
      },
      signal,
      this.identity,
    );
    if (!res.ok) throw await httpError(res, this.identity);
    if (!res.body) throw new ChatModelError('server_error', 'Upstream returned an empty body.', true, res.status);

    let promptTokens = 0;
    let completionTokens = 0;
    let cachedTokens = 0;
    let stop: string | undefined;
    let stopped = false;
    let toolCount = 0;
    // content block index → { tool-call index, whether any argument text was sent }
    const tools = new Map<number, { index: number; args: boolean }>();

    try {
      for await (const ev of parseSSE(res.body)) {
        let data: StreamEvent;
        try {
          data = JSON.parse(ev.data) as StreamEvent;
        } catch {
          throw new ChatModelError('server_error', `Upstream sent a non-JSON stream event: ${ev.data.slice(0, 200)}`, false);
        }
        switch (ev.event ?? data.type) {
          case 'message_start': {
            // Cached prompt tokens are reported separately from input_tokens; the run counts them all.
            const u = data.message?.usage ?? {};
            promptTokens = num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens);
            completionTokens = num(u.output_tokens);
            // Tokens read from the prompt cache are OpenAI's `cached_tokens` (docs/responses.md "Usage").
            cachedTokens = num(u.cache_read_input_tokens);
            break;
          }
          case 'content_block_start': {
            const block = data.content_block ?? {};
            if (block.type === 'text' && block.text) yield { type: 'text', delta: block.text };
            if (block.type === 'tool_use') {
              const index = toolCount++;
              tools.set(data.index ?? -1, { index, args: false });
              yield { type: 'tool_call', index, id: block.id ?? '', name: block.name ?? '' };
            }
            break; // thinking / redacted_thinking blocks are not part of the assistant's answer
          }
          case 'content_block_delta': {
            const d = data.delta ?? {};
            if (d.type === 'text_delta' && d.text) yield { type: 'text', delta: d.text };
            const tool = tools.get(data.index ?? -1);
            if (d.type === 'input_json_delta' && tool && d.partial_json) {
              tool.args = true;
              yield { type: 'tool_call', index: tool.index, argumentsDelta: d.partial_json };
            }
            break;
          }
          case 'content_block_stop': {
            // A tool called with no input streams only an empty partial_json; callers JSON.parse the
            // arguments, and "{}" is what OpenAI sends for a parameterless call.
            const tool = tools.get(data.index ?? -1);
            if (tool && !tool.args) yield { type: 'tool_call', index: tool.index, argumentsDelta: '{}' };
            break;
          }
          case 'message_delta':
            if (data.delta?.stop_reason) stop = data.delta.stop_reason;
            // output_tokens in message_delta is cumulative for the message.
            if (data.usage?.output_tokens !== undefined) completionTokens = num(data.usage.output_tokens);
            break;
          case 'message_stop':
            stopped = true;
            break;
          case 'error': {
            // Mid-stream errors arrive as `event: error` with {type:'error', error:{type, message}}.
            const type = String(data.error?.type ?? 'error');
            const retryable = type === 'overloaded_error' || type === 'api_error';
            throw new ChatModelError('server_error', `Upstream stream error (${type}): ${data.error?.message ?? ''}`, retryable);
          }
          default:
            break; // ping, and event types added later (the docs ask clients to ignore unknown ones)
        }
        if (stopped) break;
      }
    } catch (err) {
      throw streamFailure(err, signal, this.identity);
    }
    if (!stopped && !stop) {
      throw new ChatModelError('server_error', 'Upstream stream ended before message_stop.', false);
    }
    yield { type: 'usage', promptTokens, completionTokens, ...(cachedTokens > 0 ? { cachedTokens } : {}) };
    yield { type: 'finish', reason: mapStopReason(stop) };
  }
}

export function mapStopReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other'; // pause_turn (server tools) and anything newer
  }
}

/** Translates the neutral request into a Messages API body. Exported for tests. */
export function buildAnthropicBody(req: ChatRequest): Record<string, unknown> {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') {
      system.push(m.content);
    } else if (m.role === 'tool') {
      // Tool results go back as `tool_result` blocks in a user turn; consecutive results (parallel
      // calls) must share one user message, right after the assistant's tool_use blocks.
      const block = { type: 'tool_result', tool_use_id: m.tool_call_id, content: m.content };
      const last = messages[messages.length - 1];
      if (last?.role === 'user' && last.content.every((b) => b.type === 'tool_result')) last.content.push(block);
      else messages.push({ role: 'user', content: [block] });
    } else if (m.role === 'user') {
      const content = typeof m.content === 'string' ? textBlocks(m.content) : m.content.flatMap(partToBlock);
      if (content.length > 0) messages.push({ role: 'user', content });
    } else {
      const content = assistantBlocks(m);
      if (content.length > 0) messages.push({ role: 'assistant', content });
    }
  }
  const format = req.responseFormat;
  if (format?.type === 'json_object') {
    system.push('Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.');
  } else if (format?.type === 'json_schema') {
    const schema = format.json_schema.schema ? `\n${JSON.stringify(format.json_schema.schema)}` : '';
    system.push(
      `Respond with a single valid JSON value and nothing else (no prose, no Markdown code fences), ` +
        `conforming to the JSON Schema "${format.json_schema.name}":${schema}`,
    );
  }

  const body: Record<string, unknown> = {
    model: req.model,
    max_tokens: req.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
    stream: true,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  // Anthropic's temperature range is 0..1 (OpenAI's is 0..2), and recent Claude models reject
  // temperature and top_p together: send top_p only when it is the one actually changed.
  const t = req.temperature;
  const p = req.topP;
  if (p != null && p !== 1 && (t == null || t === 1)) body.top_p = p;
  else if (t != null) body.temperature = Math.min(Math.max(t, 0), 1);

  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: 'object', properties: {} },
    }));
    const choice = req.toolChoice;
    const tc: Record<string, unknown> =
      choice === 'none' ? { type: 'none' }
      : choice === 'required' ? { type: 'any' }
      : typeof choice === 'object' ? { type: 'tool', name: choice.function.name }
      : { type: 'auto' };
    if (req.parallelToolCalls === false && tc.type !== 'none') tc.disable_parallel_tool_use = true;
    if (choice !== undefined || tc.disable_parallel_tool_use) body.tool_choice = tc;
  }
  return body;
}

/** Anthropic rejects empty text blocks ("text content blocks must be non-empty"). */
function textBlocks(text: string): Block[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function partToBlock(part: ChatContentPart): Block[] {
  if (part.type === 'text') return textBlocks(part.text);
  const url = part.image_url.url;
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (m) return [{ type: 'image', source: { type: 'base64', media_type: m[1], data: m[2] } }];
  return [{ type: 'image', source: { type: 'url', url } }];
}

function assistantBlocks(m: Extract<ChatMessage, { role: 'assistant' }>): Block[] {
  const blocks = textBlocks(m.content ?? '');
  for (const call of m.tool_calls ?? []) {
    let input: unknown;
    try {
      input = JSON.parse(call.function.arguments);
    } catch {
      input = {};
    }
    // tool_use.input must be an object; a model that produced e.g. `[]` or `"x"` gets {}.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) input = {};
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
  }
  return blocks;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
