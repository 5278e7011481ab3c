import type { MessageCreateParams } from '../contract/messages';
import { newId, unixSeconds } from './ids';

/**
 * A message as stored (D1 `messages`; src/db/messages.ts checks that the table's row type is this
 * shape). JSON columns are `unknown` as in src/db/schema/threads.ts.
 */
export interface MessageRecord {
  id: string;
  projectId: string;
  threadId: string;
  createdAt: number;
  /** `system`/`developer` only for messages added through the Conversations API (docs/conversations.md). */
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: unknown[];
  status: 'in_progress' | 'incomplete' | 'completed';
  incompleteDetails: unknown;
  completedAt: number | null;
  incompleteAt: number | null;
  assistantId: string | null;
  runId: string | null;
  attachments: unknown[] | null;
  metadata: Record<string, string>;
}

/**
 * MessageObject: every required field present, `null` where unset (docs/openai-behaviour.md §2.4).
 * The threads API knows only `user` and `assistant`: a `system`/`developer` message added through the
 * Conversations API shows as a `user` message (docs/conversations.md §2); the export keeps its role.
 */
export function toMessageObject(row: MessageRecord) {
  return {
    id: row.id,
    object: 'thread.message' as const,
    created_at: row.createdAt,
    thread_id: row.threadId,
    status: row.status,
    incomplete_details: row.incompleteDetails ?? null,
    completed_at: row.completedAt,
    incomplete_at: row.incompleteAt,
    role: row.role === 'assistant' ? ('assistant' as const) : ('user' as const),
    content: row.content,
    assistant_id: row.assistantId,
    run_id: row.runId,
    attachments: row.attachments ?? [],
    metadata: row.metadata,
  };
}
export type MessageObject = ReturnType<typeof toMessageObject>;

/** A message content part as stored and returned (MessageContent in the SDK). */
export type MessageContent =
  | { type: 'text'; text: { value: string; annotations: unknown[] } }
  | { type: 'image_file'; image_file: { file_id: string; detail: 'auto' | 'low' | 'high' } }
  | { type: 'image_url'; image_url: { url: string; detail: 'auto' | 'low' | 'high' } }
  | { type: 'refusal'; refusal: string };

/** Request content (a string or request parts) becomes response parts: text gets `annotations: []`. */
export function normalizeContent(content: MessageCreateParams['content']): MessageContent[] {
  if (typeof content === 'string') return [{ type: 'text', text: { value: content, annotations: [] } }];
  return content.map((part): MessageContent => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: { value: part.text, annotations: [] } };
      case 'image_file':
        return { type: 'image_file', image_file: { file_id: part.image_file.file_id, detail: part.image_file.detail ?? 'auto' } };
      case 'image_url':
        return { type: 'image_url', image_url: { url: part.image_url.url, detail: part.image_url.detail ?? 'auto' } };
    }
  });
}

/**
 * A message created through the API (or as a thread's initial message) is complete at once:
 * `status: "completed"` with `completed_at` = `created_at`.
 */
export function newMessageRow(
  projectId: string,
  threadId: string,
  p: MessageCreateParams,
  now: number = Date.now(),
  origin: { assistantId?: string; runId?: string } = {},
): MessageRecord {
  const created = unixSeconds(now);
  return {
    id: newId('msg_', now),
    projectId,
    threadId,
    createdAt: created,
    role: p.role,
    content: normalizeContent(p.content),
    status: 'completed',
    incompleteDetails: null,
    completedAt: created,
    incompleteAt: null,
    assistantId: origin.assistantId ?? null,
    runId: origin.runId ?? null,
    attachments: p.attachments ?? [],
    metadata: p.metadata ?? {},
  };
}
