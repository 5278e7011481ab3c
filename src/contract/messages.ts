import { z } from 'zod';
import { Metadata } from './common';

export const Detail = z.enum(['auto', 'low', 'high']);

/** An http(s) or data: URL (image inputs). */
export const HttpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'data:';
  } catch {
    return false;
  }
}, 'Expected a valid URL');

export const MessageContentPartParam = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('image_file'),
      image_file: z.strictObject({ file_id: z.string().min(1), detail: Detail.optional() }),
    }),
    z.strictObject({
      type: z.literal('image_url'),
      image_url: z.strictObject({ url: HttpUrl, detail: Detail.optional() }),
    }),
    z.strictObject({ type: z.literal('text'), text: z.string() }),
  ],
);
export type MessageContentPartParam = z.infer<typeof MessageContentPartParam>;

export const AttachmentTool = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('code_interpreter') }),
  z.strictObject({ type: z.literal('file_search') }),
]);

export const Attachment = z.strictObject({
  file_id: z.string().min(1),
  tools: z.array(AttachmentTool),
});

/** `client.beta.threads.messages.create()` body (CreateMessageRequest). */
export const MessageCreateParams = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(MessageContentPartParam).min(1)]),
  attachments: z.array(Attachment).nullable().optional(),
  metadata: Metadata.optional(),
});
export type MessageCreateParams = z.infer<typeof MessageCreateParams>;

/** `client.beta.threads.messages.update()` body (ModifyMessageRequest). */
export const MessageUpdateParams = z.strictObject({ metadata: Metadata.optional() });
