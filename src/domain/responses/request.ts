import type { ResponseCreateParams, TextFormat } from '../../contract/responses';
import type { ChatMessage, ChatRequest, ChatResponseFormat, ChatToolChoice, ChatToolDefinition } from '../ports';
import { FILE_SEARCH_FUNCTION, fileSearchToolDefinition } from '../retrieval/file-search-tool';
import type { ResponseFunctionToolJson, ResponseObject, ResponseToolJson } from './types';
import { conversationIdOf } from './conversation';
import { mcpToolEcho } from './mcp';

/**
 * The model request of a response and the Response object's echo of its parameters (docs/responses.md).
 * Sampling, tools, `tool_choice`, `parallel_tool_calls`, `text.format` and `reasoning.effort` map one to one
 * onto the Chat Completions fields of the model port, so every provider of the router serves responses.
 */

type ModelParams = Pick<ResponseCreateParams, 'tools' | 'tool_choice' | 'parallel_tool_calls' | 'text' | 'reasoning'>;

/**
 * Tools as the Response echoes them: `strict` defaults to true for functions in the Responses API;
 * `file_search` with OpenAI's defaults (20 results, ranker `auto`, threshold 0, no filters).
 */
export function responseTools(tools: ResponseCreateParams['tools']): ResponseToolJson[] {
  return (tools ?? []).map((t): ResponseToolJson => {
    if (t.type === 'mcp') return mcpToolEcho(t);
    if (t.type === 'file_search') {
      return {
        type: 'file_search',
        vector_store_ids: t.vector_store_ids,
        max_num_results: t.max_num_results ?? 20,
        filters: t.filters ?? null,
        ranking_options: { ranker: 'auto', score_threshold: 0, ...t.ranking_options },
      };
    }
    return {
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters ?? { type: 'object', properties: {} },
      strict: t.strict ?? true,
    };
  });
}

/** The functions the model is offered: the request's own, then one per hosted tool (answered by the server). */
function modelTools(tools: ResponseToolJson[]): ChatToolDefinition[] {
  const functions = tools.filter((t): t is ResponseFunctionToolJson => t.type === 'function');
  const out: ChatToolDefinition[] = functions.map((t) => ({
    type: 'function',
    function: { name: t.name, ...(t.description !== null ? { description: t.description } : {}), parameters: t.parameters, strict: t.strict },
  }));
  if (tools.some((t) => t.type === 'file_search')) out.push(fileSearchToolDefinition());
  return out;
}

/** `text.format` as a Chat Completions `response_format` (json_schema moves its fields under `json_schema`). */
export function responseFormatFor(format: TextFormat | undefined): ChatResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      ...(format.description !== undefined ? { description: format.description } : {}),
      schema: format.schema,
      strict: format.strict ?? null,
    },
  };
}

/** `tool_choice` for the model; `{type: "file_search"}` (OpenAI's ToolChoiceTypes) forces the hosted tool's function. */
function toolChoiceFor(choice: ResponseCreateParams['tool_choice']): ChatToolChoice | undefined {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  if (choice.type === 'file_search') return { type: 'function', function: { name: FILE_SEARCH_FUNCTION } };
  return { type: 'function', function: { name: choice.name } };
}

/**
 * The tool choice of the model call after hosted calls were answered: a forced choice (`required`, a named
 * tool) was honoured by the first call, so the next one may answer (`auto`); otherwise the model would be
 * forced to call again until the turn limit.
 */
export function choiceAfterHostedCalls(choice: ChatToolChoice | undefined): ChatToolChoice | undefined {
  return choice === undefined || choice === 'none' || choice === 'auto' ? choice : 'auto';
}

export function chatRequestForResponse(
  model: string,
  params: ModelParams & { temperature?: number | null; top_p?: number | null; max_output_tokens?: number | null },
  messages: ChatMessage[],
): ChatRequest {
  const request: ChatRequest = {
    model,
    messages,
    temperature: params.temperature ?? null,
    topP: params.top_p ?? null,
    reasoningEffort: params.reasoning?.effort ?? null,
  };
  const tools = modelTools(responseTools(params.tools));
  // An `mcp` tool's functions are added once its server's tools are listed (src/tools/mcp/responses.ts).
  if (tools.length > 0 || params.tools?.some((t) => t.type === 'mcp')) {
    if (tools.length > 0) request.tools = tools;
    const choice = toolChoiceFor(params.tool_choice);
    if (choice) request.toolChoice = choice;
    request.parallelToolCalls = params.parallel_tool_calls ?? true;
  }
  const format = responseFormatFor(params.text?.format);
  if (format) request.responseFormat = format;
  if (params.max_output_tokens !== null && params.max_output_tokens !== undefined) request.maxTokens = params.max_output_tokens;
  return request;
}

/** The Response object before its model call (`in_progress`, or `queued` in background), every required field set. */
export function initialResponse(
  params: ResponseCreateParams,
  ids: { id: string; createdAt: number; status: 'queued' | 'in_progress' },
): ResponseObject {
  const response: ResponseObject = {
    id: ids.id,
    object: 'response',
    created_at: ids.createdAt,
    status: ids.status,
    completed_at: null,
    background: params.background ?? false,
    error: null,
    incomplete_details: null,
    // Instructions are this request's only: they are not carried over from previous_response_id (OpenAI).
    instructions: params.instructions ?? null,
    max_output_tokens: params.max_output_tokens ?? null,
    max_tool_calls: params.max_tool_calls ?? null,
    model: params.model,
    output: [],
    parallel_tool_calls: params.parallel_tool_calls ?? true,
    previous_response_id: params.previous_response_id ?? null,
    reasoning: { effort: params.reasoning?.effort ?? null, summary: params.reasoning?.summary ?? null },
    service_tier: 'default',
    store: params.store ?? true,
    temperature: params.temperature ?? 1,
    text: { format: params.text?.format ?? { type: 'text' }, ...(params.text?.verbosity ? { verbosity: params.text.verbosity } : {}) },
    tool_choice: params.tool_choice ?? 'auto',
    tools: responseTools(params.tools),
    top_logprobs: params.top_logprobs ?? 0,
    top_p: params.top_p ?? 1,
    truncation: params.truncation ?? 'disabled',
    metadata: params.metadata ?? {},
  };
  if (params.user !== undefined) response.user = params.user;
  if (params.safety_identifier !== undefined) response.safety_identifier = params.safety_identifier;
  if (params.prompt_cache_key !== undefined) response.prompt_cache_key = params.prompt_cache_key;
  const conversation = conversationIdOf(params.conversation);
  if (conversation !== null) response.conversation = { id: conversation };
  return response;
}

/** The messages of a model call: this request's instructions as the system message, then the context. */
export function withInstructions(instructions: string | null | undefined, context: ChatMessage[]): ChatMessage[] {
  return instructions ? [{ role: 'system', content: instructions }, ...context] : context;
}
