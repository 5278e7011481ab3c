import { z } from 'zod';
import { FunctionName, Metadata, Model, ReasoningEffort, Temperature, TopP } from './common';
import { VectorStoreSearchFilter } from './filters';
import { HybridSearchOptions } from './hybrid-search';
import { Int } from './int';
import { MCP_INPUT_ITEMS, ResponseMcpTool } from './responses-mcp';

/**
 * The Responses API request bodies (`client.responses.*`), named after the SDK's param types. Objects are
 * strict like the Assistants schemas: an unknown field is `400 Unknown parameter: 'x'.`. Hosted tools
 * are members of the tool union: `file_search` is served (docs/responses.md "Hosted tools"); the others
 * (web_search, code_interpreter, ...) are refused with a clear 400 until they join the union.
 */

const InputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const InputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.enum(['low', 'high', 'auto']).optional(),
});
const InputFile = z.strictObject({
  type: z.literal('input_file'),
  file_id: z.string().nullable().optional(),
  file_data: z.string().optional(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
});
const OutputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.looseObject({ type: z.string() })).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const Refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
export const InputContentPart = z.discriminatedUnion('type', [InputText, InputImage, InputFile, OutputText, Refusal]);
export type InputContentPart = z.infer<typeof InputContentPart>;

const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

/** A message item: `{role, content}` (EasyInputMessage) or with `type: "message"` (and an id when replayed). */
export const MessageItem = z.strictObject({
  type: z.literal('message').optional(),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(InputContentPart)]),
  status: ItemStatus.optional(),
});

export const FunctionCallItem = z.strictObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: ItemStatus.optional(),
});

export const FunctionCallOutputItem = z.strictObject({
  type: z.literal('function_call_output'),
  id: z.string().nullable().optional(),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [InputText, InputImage, InputFile]))]),
  status: ItemStatus.nullable().optional(),
});

/** Reasoning items from earlier outputs are accepted and not sent on (no provider takes them back yet). */
export const ReasoningItem = z.looseObject({ type: z.literal('reasoning'), id: z.string() });

/** A file_search call of an earlier output, replayed: kept as an input item, not sent to the model (as runs' calls). */
export const FileSearchCallInputItem = z.strictObject({
  type: z.literal('file_search_call'),
  id: z.string().min(1),
  queries: z.array(z.string()),
  status: z.enum(['in_progress', 'searching', 'completed', 'incomplete', 'failed']),
  results: z.array(z.looseObject({})).nullable().optional(),
});

export const InputItem = z.union([
  z.discriminatedUnion('type', [FunctionCallItem, FunctionCallOutputItem, ReasoningItem, FileSearchCallInputItem, ...MCP_INPUT_ITEMS]),
  MessageItem,
]);
export type InputItem = z.infer<typeof InputItem>;

export const ResponseFunctionTool = z.strictObject({
  type: z.literal('function'),
  name: FunctionName,
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
export type ResponseFunctionTool = z.infer<typeof ResponseFunctionTool>;

/** OpenAI's `FileSearchTool` of the Responses API: the stores are named on the tool itself. */
export const ResponseFileSearchTool = z.strictObject({
  type: z.literal('file_search'),
  vector_store_ids: z.array(z.string().min(1)).min(1).max(10),
  max_num_results: Int().min(1).max(50).optional(),
  filters: VectorStoreSearchFilter.nullable().optional(),
  ranking_options: z
    .strictObject({
      ranker: z.enum(['auto', 'default-2024-11-15']).optional(),
      score_threshold: z.number().min(0).max(1).optional(),
      hybrid_search: HybridSearchOptions.optional(),
    })
    .optional(),
});
export type ResponseFileSearchTool = z.infer<typeof ResponseFileSearchTool>;

/** One member per tool type: hosted tools join this union (docs/responses.md). */
export const ResponseTool = z.discriminatedUnion('type', [ResponseFunctionTool, ResponseFileSearchTool, ResponseMcpTool]);
export type ResponseTool = z.infer<typeof ResponseTool>;

export const ResponseToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
  // OpenAI's ToolChoiceTypes, for the hosted tools served (docs/responses.md "Hosted tools").
  z.strictObject({ type: z.literal('file_search') }),
]);
export type ResponseToolChoice = z.infer<typeof ResponseToolChoice>;

export const TextFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: FunctionName,
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
  }),
]);
export type TextFormat = z.infer<typeof TextFormat>;

export const ResponseTextConfig = z.strictObject({
  format: TextFormat.optional(),
  verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
});

export const ResponseReasoning = z.strictObject({
  effort: ReasoningEffort.optional(),
  summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
  generate_summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
});

export const ResponseIncludable = z.enum([
  'message.output_text.logprobs',
  'reasoning.encrypted_content',
  'file_search_call.results',
  'web_search_call.action.sources',
  'web_search_call.results',
  'code_interpreter_call.outputs',
  'computer_call_output.output.image_url',
  'message.input_image.image_url',
]);

/** The model-facing part shared by `responses.create` and `responses.inputTokens.count`. */
const ModelInputOptions = {
  model: Model,
  input: z.union([z.string(), z.array(InputItem)]).optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(ResponseTool).max(128).nullable().optional(),
  tool_choice: ResponseToolChoice.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: ResponseTextConfig.nullable().optional(),
  reasoning: ResponseReasoning.nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  conversation: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1) })]).nullable().optional(),
};

/** `client.responses.create()` body (CreateResponse). */
export const ResponseCreateParams = z.strictObject({
  ...ModelInputOptions,
  max_output_tokens: Int().min(16).nullable().optional(),
  temperature: Temperature.optional(),
  top_p: TopP.optional(),
  metadata: Metadata.optional(),
  store: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
  background: z.boolean().nullable().optional(),
  include: z.array(ResponseIncludable).nullable().optional(),
  user: z.string().max(512).optional(),
  safety_identifier: z.string().max(64).optional(),
  prompt_cache_key: z.string().optional(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
  max_tool_calls: Int().min(1).nullable().optional(),
  top_logprobs: Int().min(0).max(20).nullable().optional(),
});
export type ResponseCreateParams = z.infer<typeof ResponseCreateParams>;

/** `client.responses.inputTokens.count()` body. */
export const InputTokensParams = z.strictObject({ ...ModelInputOptions, model: Model.nullable().optional() });
export type InputTokensParams = z.infer<typeof InputTokensParams>;

/**
 * `client.responses.compact()` body (CompactResponseMethodPublicBody): validated so a malformed body gets
 * the usual 400 before the "not supported" one (docs/responses.md).
 */
export const ResponseCompactParams = z.strictObject({
  model: Model,
  input: ModelInputOptions.input,
  previous_response_id: ModelInputOptions.previous_response_id,
  instructions: ModelInputOptions.instructions,
  prompt_cache_key: z.string().nullable().optional(),
  prompt_cache_retention: z.string().nullable().optional(),
  prompt_cache_options: z.record(z.string(), z.unknown()).nullable().optional(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
});

/** `GET /responses/{id}` query (`stream=true` replays the stored events, docs/responses.md). */
export const ResponseRetrieveQuery = z.strictObject({
  stream: z.enum(['true', 'false']).optional(),
  starting_after: z.string().regex(/^\d+$/, 'must be a non-negative integer').optional(),
  include: z.union([z.string(), z.array(z.string())]).optional(),
  'include[]': z.union([z.string(), z.array(z.string())]).optional(),
  include_obfuscation: z.enum(['true', 'false']).optional(),
});
