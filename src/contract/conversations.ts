import { z } from 'zod';
import { Metadata } from './common';
import { Detail, HttpUrl as Url } from './messages';

// OpenAI's Conversations API request bodies (CreateConversationBody, UpdateConversationBody, the body
// of createConversationItems) and their item inputs (InputItem), as far as this server stores them:
// messages, function calls and their outputs, reasoning. docs/conversations.md lists what is refused.

const InputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const InputImage = z
  .strictObject({
    type: z.literal('input_image'),
    image_url: Url.nullable().optional(),
    file_id: z.string().min(1).nullable().optional(),
    detail: Detail.optional(),
  })
  .refine((p) => (p.image_url ? 1 : 0) + (p.file_id ? 1 : 0) === 1, 'An input_image needs exactly one of image_url or file_id.');
/** Only a stored file: `file_data`/`file_url` inputs have no place in a thread's message (docs/conversations.md). */
const InputFile = z.strictObject({ type: z.literal('input_file'), file_id: z.string().min(1), filename: z.string().optional() });
const OutputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const Refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

export const InputContentPart = z.discriminatedUnion('type', [InputText, InputImage, InputFile, OutputText, Refusal]);
export type InputContentPart = z.infer<typeof InputContentPart>;

const ItemStatus = z.enum(['in_progress', 'completed', 'incomplete']);
/** Ids an input item may carry (items of an earlier response); new ones are always drawn here. */
const GivenId = z.string().min(1).max(128).nullable().optional();

export const MessageItemParam = z.strictObject({
  type: z.literal('message'),
  id: GivenId,
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(InputContentPart)]),
  status: ItemStatus.optional(),
  phase: z.enum(['commentary', 'final_answer']).nullable().optional(),
});

export const FunctionCallItemParam = z.strictObject({
  type: z.literal('function_call'),
  id: GivenId,
  call_id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  arguments: z.string(),
  status: ItemStatus.optional(),
});

export const FunctionCallOutputItemParam = z.strictObject({
  type: z.literal('function_call_output'),
  id: GivenId,
  call_id: z.string().min(1).max(64),
  output: z.union([z.string().max(10_485_760), z.array(z.discriminatedUnion('type', [InputText, InputImage, InputFile]))]),
  status: ItemStatus.optional(),
});

export const ReasoningItemParam = z.strictObject({
  type: z.literal('reasoning'),
  id: GivenId,
  summary: z.array(z.strictObject({ type: z.literal('summary_text'), text: z.string() })),
  content: z.array(z.strictObject({ type: z.literal('reasoning_text'), text: z.string() })).optional(),
  encrypted_content: z.string().nullable().optional(),
  status: ItemStatus.optional(),
});

/** EasyInputMessage may leave out `type`: a typeless item with a `role` is a message. */
export const ConversationItemParam = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('type' in v) && 'role' in v ? { ...v, type: 'message' } : v),
  z.discriminatedUnion('type', [MessageItemParam, FunctionCallItemParam, FunctionCallOutputItemParam, ReasoningItemParam]),
);
export type ConversationItemParam = z.infer<typeof ConversationItemParam>;
export type MessageItemParam = z.infer<typeof MessageItemParam>;

/** OpenAI: "You may add up to 20 items at a time." */
export const MAX_ITEMS_PER_REQUEST = 20;

/** `client.conversations.create()` body (CreateConversationBody). */
export const ConversationCreateParams = z.strictObject({
  items: z.array(ConversationItemParam).max(MAX_ITEMS_PER_REQUEST).nullable().optional(),
  metadata: Metadata.nullable().optional(),
});
export type ConversationCreateParams = z.infer<typeof ConversationCreateParams>;

/** `client.conversations.update()` body (UpdateConversationBody): `metadata` is required. */
export const ConversationUpdateParams = z.strictObject({ metadata: Metadata.nullable() });

/** `client.conversations.items.create()` body. */
export const ConversationItemsCreateParams = z.strictObject({
  items: z.array(ConversationItemParam).min(1).max(MAX_ITEMS_PER_REQUEST),
});
export type ConversationItemsCreateParams = z.infer<typeof ConversationItemsCreateParams>;

/** `include[]` values of the item routes (IncludeEnum); the ones this server acts on are in docs/conversations.md. */
export const ConversationInclude = z.enum([
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
]);
export type ConversationInclude = z.infer<typeof ConversationInclude>;
