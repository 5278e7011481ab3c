import { ChatModelError } from '../../domain/ports';
import type { ChatChunk, ChatModel, ChatRequest, ModelInfo } from '../../domain/ports';
import { parseSSE } from './sse';
import { usageChunk, type CompletionsUsage as Usage } from './usage';
import { guardedFetch, httpError, malformedUpstream as malformed, streamFailure, type UpstreamIdentity } from './upstream-errors';

// Shared with the Anthropic adapter and older imports; the mapping lives in ./upstream-errors.
export { guardedFetch, httpError, retryAfterMs, streamFailure } from './upstream-errors';

/**
 * A ChatModel over the OpenAI Chat Completions wire protocol (`POST {baseUrl}/chat/completions`,
 * streamed). The same path and Bearer auth work for OpenAI, Azure OpenAI's v1 endpoint
 * (`https://RESOURCE.openai.azure.com/openai/v1`), Groq, OpenRouter, Together, Ollama, vLLM and
 * Cloudflare AI Gateway; provider-specific headers (e.g. `cf-aig-authorization`) go in `headers`.
 */
export interface OpenAICompatibleOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /**
   * OpenAI deprecated `max_tokens` for `max_completion_tokens` (required by o-series models);
   * a few older self-hosted servers only understand `max_tokens`.
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** How errors name this upstream and its settings (default: by its URL). */
  identity?: UpstreamIdentity;
}

type FinishReason = Extract<ChatChunk, { type: 'finish' }>['reason'];

/** One `chat.completion.chunk` as OpenAI and compatible servers stream it (only what we read). */
interface CompletionChunk {
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: Usage | null;
  /** Groq reports usage here on the last chunk instead of (or as well as) `usage`. */
  x_groq?: { usage?: Usage };
  /** OpenRouter and others send mid-stream failures as a chunk with an `error` object. */
  error?: { message?: string; code?: unknown };
}

export class OpenAICompatibleModel implements ChatModel {
  readonly baseUrl: string;
  readonly identity: UpstreamIdentity;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.identity = options.identity ?? { label: `the OpenAI-compatible upstream ${this.baseUrl}` };
    // Bind: calling an unbound global `fetch` as a method throws "Illegal invocation" in Workers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Request headers: JSON in, SSE out, the key as Bearer. */
  headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      ...this.options.headers,
    };
  }

  /** The request body: optional fields are omitted, not sent as null, since some servers reject nulls. */
  buildBody(req: ChatRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: req.model,
      messages: req.messages,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (req.tools && req.tools.length > 0) {
      body.tools = req.tools;
      if (req.toolChoice !== undefined) body.tool_choice = req.toolChoice;
      // OpenAI rejects parallel_tool_calls without tools ("only allowed when 'tools' are specified").
      if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
    }
    if (req.temperature != null) body.temperature = req.temperature;
    if (req.topP != null) body.top_p = req.topP;
    if (req.responseFormat && req.responseFormat.type !== 'text') body.response_format = req.responseFormat;
    if (req.maxTokens !== undefined) body[this.options.maxTokensField ?? 'max_completion_tokens'] = req.maxTokens;
    if (req.reasoningEffort) body.reasoning_effort = req.reasoningEffort;
    return body;
  }

  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    const res = await guardedFetch(
      this.fetchImpl,
      `${this.baseUrl}/chat/completions`,
      { method: 'POST', headers: this.headers(), body: JSON.stringify(this.buildBody(req)), signal },
      signal,
      this.identity,
    );
    if (!res.ok) throw await httpError(res, this.identity);
    if (!res.body) throw new ChatModelError('server_error', 'Upstream returned an empty body.', true, res.status);

    let finish: string | undefined;
    let done = false;
    let usage: Usage | undefined;
    let sawToolCall = false;
    // Per tool-call index: whether id/name were already passed on. Some servers (e.g. vLLM, Mistral)
    // repeat id and name on every fragment; ChatChunk carries them only on the first.
    const announced = new Map<number, { id: boolean; name: boolean }>();
    const indexOfId = new Map<string, number>();
    let lastIndex = 0;

    try {
      for await (const ev of parseSSE(res.body)) {
        const data = ev.data.trim();
        if (data === '') continue;
        if (data === '[DONE]') {
          done = true;
          break;
        }
        let chunk: CompletionChunk;
        try {
          chunk = JSON.parse(data) as CompletionChunk;
        } catch {
          throw malformed(`Upstream sent a non-JSON stream event: ${data.slice(0, 200)}`);
        }
        if (chunk.error) throw malformed(`Upstream stream error: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
        const u = chunk.usage ?? chunk.x_groq?.usage;
        if (u) usage = u;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) yield { type: 'text', delta: delta.content };
        for (const tc of delta?.tool_calls ?? []) {
          // `index` is required by OpenAI's protocol; a server that omits it gets one inferred:
          // a new id starts a new call, otherwise fragments continue the latest one.
          let index = tc.index;
          if (index === undefined) {
            index = tc.id ? (indexOfId.get(tc.id) ?? indexOfId.size) : lastIndex;
          }
          if (tc.id && !indexOfId.has(tc.id)) indexOfId.set(tc.id, index);
          lastIndex = index;
          const seen = announced.get(index) ?? { id: false, name: false };
          announced.set(index, seen);
          const out: Extract<ChatChunk, { type: 'tool_call' }> = { type: 'tool_call', index };
          if (tc.id && !seen.id) (out.id = tc.id), (seen.id = true);
          if (tc.function?.name && !seen.name) (out.name = tc.function.name), (seen.name = true);
          if (tc.function?.arguments) out.argumentsDelta = tc.function.arguments;
          if (out.id || out.name || out.argumentsDelta) {
            sawToolCall = true;
            yield out;
          }
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (err) {
      throw streamFailure(err, signal, this.identity);
    }
    if (!finish && !done) throw malformed('Upstream stream ended before a finish_reason or [DONE].');
    if (usage) {
      yield usageChunk(usage);
    }
    yield { type: 'finish', reason: mapFinish(finish, sawToolCall) };
  }

  /**
   * Sends a raw request to `{baseUrl}{path}` (the pass-through routes: `/chat/completions`,
   * `/embeddings`), with this upstream's key and the loop-guard header; errors as in stream().
   */
  async forward(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const res = await guardedFetch(
      this.fetchImpl,
      `${this.baseUrl}${path}`,
      { method: 'POST', headers: { ...this.headers(), accept: 'application/json, text/event-stream' }, body: JSON.stringify(body), signal },
      signal,
      this.identity,
    );
    if (!res.ok) throw await httpError(res, this.identity);
    return res;
  }

  /**
   * `GET {baseUrl}/models`. [] when the upstream has no such endpoint (404: Ollama's older
   * versions, some proxies); any other failure (a rejected key, an unreachable host) throws a
   * ChatModelError naming the upstream, so GET /v1/models can report it instead of an empty list.
   */
  async listModels(): Promise<ModelInfo[]> {
    const res = await guardedFetch(
      this.fetchImpl,
      `${this.baseUrl}/models`,
      { headers: { ...this.headers(), accept: 'application/json' }, signal: AbortSignal.timeout(10_000) },
      undefined,
      this.identity,
    );
    if (res.status === 404) return [];
    if (!res.ok) throw await httpError(res, this.identity);
    let json: { data?: Array<{ id?: unknown; created?: unknown; owned_by?: unknown }> };
    try {
      json = (await res.json()) as typeof json;
    } catch {
      throw malformed(`${this.identity.label} answered GET /models with a body that is not JSON`);
    }
    return (json.data ?? [])
      .filter((m) => typeof m.id === 'string')
      .map((m) => ({
        id: m.id as string,
        created: typeof m.created === 'number' ? m.created : 0,
        owned_by: typeof m.owned_by === 'string' ? m.owned_by : 'openai',
      }));
  }
}

/**
 * OpenAI's finish reasons, plus the legacy `function_call`. Some compatible servers (older Ollama,
 * some vLLM tool parsers) say `stop` after emitting tool calls; the calls are what the run acts on.
 * A stream that ended with `[DONE]` but no finish_reason is treated the same way.
 */
export function mapFinish(reason: string | undefined, sawToolCall: boolean): FinishReason {
  if (sawToolCall && (reason === undefined || reason === 'stop')) return 'tool_calls';
  switch (reason) {
    case undefined:
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

