import type { McpItem, ResponseMcpToolJson } from './mcp';

/**
 * The Responses API objects as this server writes them (OpenAI's `Response`, its output items and stream
 * events; docs/responses.md). Every field OpenAI's document marks required is always present.
 */

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface OutputMessageItem {
  type: 'message';
  id: string;
  status: ItemStatus;
  role: 'assistant';
  content: OutputTextPart[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

/** One result of a `file_search_call` (OpenAI's FileSearchToolCall `results[]`). */
export interface FileSearchResult {
  file_id: string;
  filename: string;
  score: number;
  text: string;
  attributes: Record<string, string | number | boolean> | null;
}

/** A `file_search_call` item: `results` only with `include: ["file_search_call.results"]`, else null. */
export interface FileSearchCallItem {
  type: 'file_search_call';
  id: string;
  status: 'in_progress' | 'searching' | 'completed' | 'incomplete' | 'failed';
  queries: string[];
  results: FileSearchResult[] | null;
}

/** An output item of a hosted tool's call, answered by the server itself (docs/responses.md "Hosted tools"). */
export type HostedCallItem = FileSearchCallItem | McpItem;

export type OutputItem = OutputMessageItem | FunctionCallItem | HostedCallItem;

/** An input item as stored and listed (`GET /responses/{id}/input_items`): always with `id` and `type`. */
export type StoredItem = { id: string; type: string } & Record<string, unknown>;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'incomplete' | 'cancelled';

export interface ResponseFunctionToolJson {
  type: 'function';
  name: string;
  description: string | null;
  parameters: Record<string, unknown>;
  strict: boolean;
}

/** A `file_search` tool as the Response echoes it. */
export interface ResponseFileSearchToolJson {
  type: 'file_search';
  vector_store_ids: string[];
  max_num_results: number;
  filters: unknown;
  ranking_options: { ranker: string; score_threshold: number; hybrid_search?: { embedding_weight: number; text_weight: number } };
}

export type ResponseToolJson = ResponseFunctionToolJson | ResponseFileSearchToolJson | ResponseMcpToolJson;

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  background: boolean;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: Record<string, unknown> & { type: string }; verbosity?: string };
  tool_choice: unknown;
  tools: ResponseToolJson[];
  top_logprobs: number;
  top_p: number;
  truncation: 'auto' | 'disabled';
  /** Absent until the model reported it: the document types it as an object, never null. */
  usage?: ResponseUsage;
  metadata: Record<string, string>;
  user?: string;
  safety_identifier?: string;
  prompt_cache_key?: string;
  /** The conversation the response continues and is added to (absent without one). */
  conversation?: { id: string };
}

/** One event of a Responses stream: `type` is also the SSE event name; numbered from 0 in emission order. */
export type ResponseStreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;
