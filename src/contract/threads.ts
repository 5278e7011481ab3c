import { z } from 'zod';
import { Metadata, ToolResources } from './common';
import { MessageCreateParams } from './messages';

/** `client.beta.threads.create()` body (CreateThreadRequest). */
export const ThreadCreateParams = z.strictObject({
  // OpenAI caps the initial messages of a thread at 32.
  messages: z.array(MessageCreateParams).max(32).optional(),
  tool_resources: ToolResources.optional(),
  metadata: Metadata.optional(),
});
export type ThreadCreateParams = z.infer<typeof ThreadCreateParams>;

/** `client.beta.threads.update()` body (ModifyThreadRequest). */
export const ThreadUpdateParams = z.strictObject({
  tool_resources: ToolResources.optional(),
  metadata: Metadata.optional(),
});
