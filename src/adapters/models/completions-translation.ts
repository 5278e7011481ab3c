import type {
  ChatChunk,
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatResponseFormat,
  ChatToolCall,
  ChatToolChoice,
  ChatToolDefinition,
} from '../../domain/ports';

/**
 * `POST /v1/chat/completions` for providers that do not speak it (Anthropic, Workers AI): the client's
 * Chat Completions request becomes the neutral ChatRequest the run adapters take, and their ChatChunks
 * become `chat.completion` / `chat.completion.chunk` objects shaped as OpenAI sends them
 * (platform.openai.com/docs/api-reference/chat). The OpenAI-compatible upstream gets the request as is.
 */

/** The parts of a Chat Completions request the translation reads (validated by the route). */
export interface CompletionsBody {
  model: string;
  messages: Array<Record<string, unknown>>;
  tools?: ChatToolDefinition[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  response_format?: ChatResponseFormat;
  reasoning_effort?: string | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
}

/** Text of a content value: a string, or the text parts of an array (system/developer/tool messages). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && (p as { type?: unknown }).type === 'text' ? String((p as { text?: unknown }).text ?? '') : ''))
      .join('');
  }
  return '';
}

function userContent(content: unknown): string | ChatContentPart[] {
  if (!Array.isArray(content)) return textOf(content);
  const parts: ChatContentPart[] = [];
  for (const p of content as Array<Record<string, unknown>>) {
    if (p?.type === 'text') parts.push({ type: 'text', text: String(p.text ?? '') });
    else if (p?.type === 'image_url' && p.image_url && typeof p.image_url === 'object') {
      parts.push({ type: 'image_url', image_url: p.image_url as { url: string; detail?: 'auto' | 'low' | 'high' } });
    }
  }
  return parts;
}

/** Chat Completions messages → ChatMessage[] (`developer` is OpenAI's newer name for `system`). */
export function toChatMessages(messages: Array<Record<string, unknown>>): ChatMessage[] {
  return messages.map((m): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(m.content) };
      case 'assistant': {
        const calls = Array.isArray(m.tool_calls) ? (m.tool_calls as ChatToolCall[]) : undefined;
        const text = m.content == null ? null : textOf(m.content);
        return calls?.length ? { role: 'assistant', content: text, tool_calls: calls } : { role: 'assistant', content: text };
      }
      case 'tool':
        return { role: 'tool', tool_call_id: String(m.tool_call_id ?? ''), content: textOf(m.content) };
      default:
        return { role: 'user', content: userContent(m.content) };
    }
  });
}

export function toChatRequest(body: CompletionsBody): ChatRequest {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    model: body.model,
    messages: toChatMessages(body.messages),
    ...(body.tools?.length ? { tools: body.tools } : {}),
    ...(body.tool_choice !== undefined ? { toolChoice: body.tool_choice } : {}),
    ...(body.parallel_tool_calls !== undefined ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    temperature: body.temperature ?? null,
    topP: body.top_p ?? null,
    ...(body.response_format ? { responseFormat: body.response_format } : {}),
    ...(maxTokens != null ? { maxTokens } : {}),
    ...(body.reasoning_effort ? { reasoningEffort: body.reasoning_effort } : {}),
  };
}

type Finish = Extract<ChatChunk, { type: 'finish' }>['reason'];
const FINISH: Record<Finish, string> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', content_filter: 'content_filter', other: 'stop' };

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/** OpenAI's usage object; the details objects when the provider reported them (docs/responses.md "Usage"). */
const usageOf = (c: Extract<ChatChunk, { type: 'usage' }>): CompletionUsage => ({
  prompt_tokens: c.promptTokens,
  completion_tokens: c.completionTokens,
  total_tokens: c.promptTokens + c.completionTokens,
  ...(c.cachedTokens !== undefined ? { prompt_tokens_details: { cached_tokens: c.cachedTokens } } : {}),
  ...(c.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: c.reasoningTokens } } : {}),
});

/**
 * ChatChunks → `chat.completion.chunk` objects: a first chunk with the role, one per text or tool-call
 * delta, one with the finish_reason, and (when the client asked with stream_options.include_usage)
 * a last one with `choices: []` and the usage, as OpenAI streams it.
 */
export class CompletionChunker {
  private readonly created = Math.floor(Date.now() / 1000);
  usage: CompletionUsage | undefined;

  constructor(private readonly id: string, private readonly model: string, private readonly includeUsage: boolean) {}

  private chunk(choices: unknown[], extra: Record<string, unknown> = {}) {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, system_fingerprint: null, choices, ...extra };
  }

  start() {
    return this.chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  }

  /** The chunk objects for one ChatChunk (none for usage: it is kept for the end). */
  next(c: ChatChunk): unknown[] {
    switch (c.type) {
      case 'text':
        return [this.chunk([{ index: 0, delta: { content: c.delta }, logprobs: null, finish_reason: null }])];
      case 'tool_call': {
        const call: Record<string, unknown> = { index: c.index };
        if (c.id) Object.assign(call, { id: c.id, type: 'function' });
        const fn: Record<string, string> = {};
        if (c.name) fn.name = c.name;
        fn.arguments = c.argumentsDelta ?? '';
        call.function = fn;
        return [this.chunk([{ index: 0, delta: { tool_calls: [call] }, logprobs: null, finish_reason: null }])];
      }
      case 'usage':
        this.usage = usageOf(c);
        return [];
      case 'finish':
        return [this.chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: FINISH[c.reason] }])];
    }
  }

  end(): unknown[] {
    return this.includeUsage ? [this.chunk([], { usage: this.usage ?? null })] : [];
  }
}

/** All ChatChunks of one call → one `chat.completion` object. */
export function toCompletion(id: string, model: string, chunks: ChatChunk[]) {
  let text = '';
  let finish: Finish = 'stop';
  let usage: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const calls = new Map<number, { id: string; type: 'function'; function: { name: string; arguments: string } }>();
  for (const c of chunks) {
    if (c.type === 'text') text += c.delta;
    else if (c.type === 'usage') usage = usageOf(c);
    else if (c.type === 'finish') finish = c.reason;
    else if (c.type === 'tool_call') {
      const call = calls.get(c.index) ?? { id: '', type: 'function' as const, function: { name: '', arguments: '' } };
      if (c.id) call.id = c.id;
      if (c.name) call.function.name = c.name;
      if (c.argumentsDelta) call.function.arguments += c.argumentsDelta;
      calls.set(c.index, call);
    }
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text === '' && toolCalls.length ? null : text, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: FINISH[finish],
      },
    ],
    usage,
  };
}
