import { z } from 'zod';
import { Int } from './int';
import { AssistantTool, Metadata, Model, ReasoningEffort, ResponseFormat, Temperature, ToolResources, TopP } from './common';
import { MessageCreateParams } from './messages';
import { ThreadCreateParams } from './threads';

export const TruncationStrategy = z.strictObject({
  type: z.enum(['auto', 'last_messages']),
  last_messages: Int().min(1).nullable().optional(),
});

export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({
    type: z.enum(['function', 'code_interpreter', 'file_search']),
    function: z.strictObject({ name: z.string().min(1) }).optional(),
  }),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Fields shared by `runs.create` and `threads.createAndRun` (CreateRunRequest / CreateThreadAndRunRequest). */
const RunOptions = {
  assistant_id: z.string().min(1),
  model: Model.nullable().optional(),
  reasoning_effort: ReasoningEffort.optional(),
  instructions: z.string().max(256_000).nullable().optional(),
  tools: z.array(AssistantTool).max(20).nullable().optional(),
  metadata: Metadata.optional(),
  temperature: Temperature.optional(),
  top_p: TopP.optional(),
  stream: z.boolean().nullable().optional(),
  max_prompt_tokens: Int().min(256).nullable().optional(),
  max_completion_tokens: Int().min(256).nullable().optional(),
  truncation_strategy: TruncationStrategy.nullable().optional(),
  tool_choice: ToolChoice.nullable().optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: ResponseFormat.nullable().optional(),
};

/** `client.beta.threads.runs.create()` body. */
export const RunCreateParams = z.strictObject({
  ...RunOptions,
  additional_instructions: z.string().max(256_000).nullable().optional(),
  additional_messages: z.array(MessageCreateParams).max(32).nullable().optional(),
});
export type RunCreateParams = z.infer<typeof RunCreateParams>;

/** `client.beta.threads.createAndRun()` body. */
export const ThreadCreateAndRunParams = z.strictObject({
  ...RunOptions,
  thread: ThreadCreateParams.optional(),
  tool_resources: ToolResources.optional(),
});
export type ThreadCreateAndRunParams = z.infer<typeof ThreadCreateAndRunParams>;

/** `client.beta.threads.runs.update()` body. */
export const RunUpdateParams = z.strictObject({ metadata: Metadata.optional() });

/** `client.beta.threads.runs.submitToolOutputs()` body. */
export const RunSubmitToolOutputsParams = z.strictObject({
  tool_outputs: z.array(
    z.strictObject({
      tool_call_id: z.string().min(1),
      output: z.string().max(512 * 1024),
    }),
  ),
  stream: z.boolean().nullable().optional(),
});
export type RunSubmitToolOutputsParams = z.infer<typeof RunSubmitToolOutputsParams>;

/** `include[]` on run create and step list/retrieve: the one value OpenAI defines (file-search result content in run steps). */
export const RUN_STEP_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content';
