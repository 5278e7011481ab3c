/**
 * The ports: small interfaces the domain and the Durable Object depend on, each implemented in
 * src/adapters by a Cloudflare binding in production and a real local implementation in dev/tests.
 */

// ---------------------------------------------------------------------------------------------
// Chat models (runs). One neutral request/stream shape; adapters translate to OpenAI Chat
// Completions, Anthropic Messages, or the Workers AI binding.

export interface ChatToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Messages in Chat Completions form: tool outputs are `role: "tool"` messages, never user text. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export type ChatToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type ChatResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatToolDefinition[];
  toolChoice?: ChatToolChoice;
  parallelToolCalls?: boolean;
  temperature?: number | null;
  topP?: number | null;
  responseFormat?: ChatResponseFormat;
  /** Upper bound on generated tokens for this call (from the run's remaining max_completion_tokens). */
  maxTokens?: number;
  reasoningEffort?: string | null;
}

/**
 * What a streaming model call yields, in order. Tool-call chunks for one call share its `index`;
 * the first carries `id` and `name`, later ones carry argument fragments.
 */
export type ChatChunk =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; index: number; id?: string; name?: string; argumentsDelta?: string }
  /**
   * Token counts of the call. `cachedTokens` (prompt tokens served from the provider's prompt cache, part
   * of promptTokens) and `reasoningTokens` (part of completionTokens) only when the provider reports them.
   */
  | { type: 'usage'; promptTokens: number; completionTokens: number; cachedTokens?: number; reasoningTokens?: number }
  | { type: 'finish'; reason: 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other' };

/** Why a model call failed, as the run's `last_error.code` will say. */
export type ChatErrorKind = 'rate_limit_exceeded' | 'server_error' | 'invalid_prompt';

/** Thrown by adapters for upstream failures; `retryable` + `retryAfterMs` drive queue backoff. */
export class ChatModelError extends Error {
  constructor(
    readonly kind: ChatErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatModelError';
  }
}

export interface ChatModel {
  /** Streams one completion. Honours `signal` (run cancellation aborts the upstream request). */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk>;
}

export interface ModelInfo {
  id: string;
  created: number;
  owned_by: string;
}

/** Chooses the provider for a model name (configuration-driven) and lists configured models. */
export interface ModelRouter {
  resolve(model: string): ChatModel | undefined;
  list(): Promise<ModelInfo[]>;
}

// ---------------------------------------------------------------------------------------------
// Retrieval (file_search). Embeddings and the vector index are ports: Workers AI and Vectorize in
// production, an OpenAI-compatible `/embeddings` endpoint and a local D1 index in dev and tests.

export interface Embedder {
  /** e.g. `@cf/baai/bge-base-en-v1.5` or `text-embedding-3-small`. */
  readonly model: string;
  /** Vector length; fixed per index (Vectorize indexes are created with a dimension). */
  readonly dimensions: number;
  /** One vector per text, in order. Implementations batch internally (Workers AI: ≤ 100 texts). */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export type VectorMetadata = Record<string, string | number | boolean>;

export interface VectorMatch {
  id: string;
  /** Cosine similarity, -1..1. */
  score: number;
}

export interface VectorIndex {
  /** Vectors are grouped by namespace (one per vector store), as Vectorize namespaces. */
  upsert(namespace: string, vectors: { id: string; values: number[]; metadata?: VectorMetadata }[]): Promise<void>;
  query(namespace: string, vector: number[], topK: number): Promise<VectorMatch[]>;
  deleteByIds(ids: string[]): Promise<void>;
  /**
   * Optional hint that `namespace` is about to be queried: starts the work a query needs that does not
   * depend on the query vector, so it overlaps with embedding the query (the local index reads the
   * namespace's cache version). Only the next `query` of that namespace uses what it started.
   */
  prepare?(namespace: string): void;
}

// ---------------------------------------------------------------------------------------------
// Code execution (code_interpreter). A sandboxed Python interpreter per session (one per thread):
// Cloudflare Containers (Sandbox SDK) in production, a local executor service in dev and tests.

export interface CodeExecutionResult {
  /** `error`: the code raised (the traceback is in `logs`); `timeout`: it was stopped at the limit. */
  status: 'ok' | 'error' | 'timeout';
  /** stdout, stderr and any traceback, in order: what the model reads. */
  logs: string;
  /** PNG images the code displayed (e.g. matplotlib figures), in order. */
  images: Uint8Array[];
  /** Files under /mnt/data that this execution created or changed (paths relative to /mnt/data). */
  files: { path: string; bytes: number }[];
}

export interface CodeExecutor {
  /** Runs Python in the session's interpreter, started on first use; variables persist between calls. */
  execute(sessionId: string, code: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<CodeExecutionResult>;
  /** Places a file in the session's /mnt/data (`path` relative to it). */
  writeFile(sessionId: string, path: string, bytes: Uint8Array): Promise<void>;
  /** Reads a file from the session's /mnt/data. */
  readFile(sessionId: string, path: string): Promise<Uint8Array>;
  /** Stops the interpreter and deletes the session's files. */
  endSession(sessionId: string): Promise<void>;
}

/** The sandbox cannot be reached or started: the run fails with a clear `last_error`. */
export class CodeExecutorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeExecutorUnavailableError';
  }
}
