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

/**
 * One `tool_outputs` entry: a function call's `output`, or (extension, docs/mcp-assistants.md) the
 * answer to an `mcp` approval request: `approve` and an optional `reason`. Which one a call needs is
 * checked against the run's `required_action` (src/durable/run-commands.ts).
 */
export const ToolOutput = z
  .strictObject({
    tool_call_id: z.string().min(1),
    output: z.string().max(512 * 1024).optional(),
    approve: z.boolean().optional(),
    reason: z.string().max(4096).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.approve !== undefined && o.output !== undefined) {
      ctx.addIssue({ code: 'custom', message: "Invalid 'tool_outputs': an entry has either 'output' (a function call) or 'approve' (an MCP approval request), not both.", params: { param: 'tool_outputs', code: 'invalid_value' } });
    } else if (o.approve === undefined && o.output === undefined) {
      ctx.addIssue({ code: 'custom', message: "Invalid 'tool_outputs': missing required parameter 'output'.", params: { param: 'tool_outputs', code: 'missing_required_parameter' } });
    } else if (o.reason !== undefined && o.approve === undefined) {
      ctx.addIssue({ code: 'custom', message: "Invalid 'tool_outputs': 'reason' is only accepted with 'approve'.", params: { param: 'tool_outputs', code: 'invalid_value' } });
    }
  });

/** `client.beta.threads.runs.submitToolOutputs()` body. */
export const RunSubmitToolOutputsParams = z.strictObject({
  tool_outputs: z.array(ToolOutput),
  stream: z.boolean().nullable().optional(),
});
export type RunSubmitToolOutputsParams = z.infer<typeof RunSubmitToolOutputsParams>;

/** `include[]` on run create and step list/retrieve: the one value OpenAI defines (file-search result content in run steps). */
export const RUN_STEP_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content';
