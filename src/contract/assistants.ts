import { z } from 'zod';
import {
  AssistantTool,
  Metadata,
  Model,
  ReasoningEffort,
  ResponseFormat,
  Temperature,
  ToolResources,
  TopP,
} from './common';

/** `client.beta.assistants.create()` body (CreateAssistantRequest). */
export const AssistantCreateParams = z.strictObject({
  model: Model,
  name: z.string().max(256).nullable().optional(),
  description: z.string().max(512).nullable().optional(),
  instructions: z.string().max(256_000).nullable().optional(),
  reasoning_effort: ReasoningEffort.optional(),
  tools: z.array(AssistantTool).max(128).optional(),
  tool_resources: ToolResources.optional(),
  metadata: Metadata.optional(),
  temperature: Temperature.optional(),
  top_p: TopP.optional(),
  response_format: ResponseFormat.nullable().optional(),
});
export type AssistantCreateParams = z.infer<typeof AssistantCreateParams>;

/** `client.beta.assistants.update()` body (ModifyAssistantRequest): every field optional. */
export const AssistantUpdateParams = AssistantCreateParams.extend({ model: Model.optional() });
export type AssistantUpdateParams = z.infer<typeof AssistantUpdateParams>;
