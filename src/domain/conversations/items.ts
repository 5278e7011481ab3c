import type { ConversationInclude, ConversationItemParam, InputContentPart, MessageItemParam } from '../../contract/conversations';
import { newId, unixSeconds, type IdPrefix } from '../ids';
import type { MessageContent, MessageRecord } from '../messages';

/**
 * Conversation items (OpenAI's Conversations API) over the thread's storage (docs/conversations.md):
 * a message item is a row of D1 `messages`, every other item a row of D1 `conversation_items`.
 * Pure: the routes and the thread object do the reading and writing.
 */

/** A row of D1 `conversation_items` (src/db/conversation-items.ts checks it has this shape). */
export interface ConversationItemRecord {
  id: string;
  projectId: string;
  threadId: string;
  sortKey: string;
  createdAt: number;
  type: string;
  status: string;
  /** The item as served, less `id`, `type` and `status`. */
  payload: Record<string, unknown>;
  responseId: string | null;
}

/** An item as served: `type` and `id` always, the rest per type (ConversationItem in OpenAI's document). */
export type ConversationItem = { type: string; id: string } & Record<string, unknown>;

/**
 * The position of an item in its conversation: its id after the prefix. Ids sort by creation time
 * after their prefix (src/domain/ids.ts), so this orders messages and other items in one list; items
 * derived from a run's steps extend their step's key (src/domain/conversations/run-steps.ts).
 */
export function sortKeyOf(id: string): string {
  return id.slice(id.indexOf('_') + 1);
}

/** What one input item becomes in storage. */
export type StoredItem = { kind: 'message'; row: MessageRecord } | { kind: 'item'; record: ConversationItemRecord };

const ITEM_PREFIX: Record<Exclude<ConversationItemParam['type'], 'message'>, IdPrefix> = {
  function_call: 'fc_',
  function_call_output: 'fco_',
  reasoning: 'rs_',
};

/**
 * Input content as a thread message stores it (Assistants parts, so runs and the threads API read it
 * unchanged): text parts become `text`, images `image_file`/`image_url`, and an `input_file` becomes
 * an attachment with no tools (a file given with the message, indexed for nothing).
 */
export function messageContentOf(content: MessageItemParam['content']): { content: MessageContent[]; attachments: { file_id: string; tools: never[] }[] } {
  const parts: InputContentPart[] = typeof content === 'string' ? [{ type: 'input_text', text: content }] : content;
  const out: MessageContent[] = [];
  const attachments: { file_id: string; tools: never[] }[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        out.push({ type: 'text', text: { value: part.text, annotations: [] } });
        break;
      case 'refusal':
        out.push({ type: 'refusal', refusal: part.refusal });
        break;
      case 'input_image':
        if (part.file_id) out.push({ type: 'image_file', image_file: { file_id: part.file_id, detail: part.detail ?? 'auto' } });
        else out.push({ type: 'image_url', image_url: { url: part.image_url!, detail: part.detail ?? 'auto' } });
        break;
      case 'input_file':
        attachments.push({ file_id: part.file_id, tools: [] });
        break;
    }
  }
  return { content: out, attachments };
}

/** The files an input item refers to, which must exist in the caller's project. */
export function fileIdsOfItem(item: ConversationItemParam): string[] {
  const parts = item.type === 'message' ? item.content : item.type === 'function_call_output' ? item.output : [];
  if (typeof parts === 'string') return [];
  return parts.flatMap((p) => ((p.type === 'input_image' || p.type === 'input_file') && p.file_id ? [p.file_id] : []));
}

/**
 * Input items as stored, in order. Ids are drawn here, in input order (ids given by the client are
 * not kept: the id is the item's position, docs/conversations.md). Items are `completed` unless the
 * input says otherwise.
 */
export function newStoredItems(
  projectId: string,
  threadId: string,
  items: ConversationItemParam[],
  now: number = Date.now(),
  responseId: string | null = null,
): StoredItem[] {
  const createdAt = unixSeconds(now);
  return items.map((item): StoredItem => {
    const status = item.status ?? 'completed';
    if (item.type === 'message') {
      const { content, attachments } = messageContentOf(item.content);
      const row: MessageRecord = {
        id: newId('msg_', now),
        projectId,
        threadId,
        createdAt,
        role: item.role,
        content,
        status,
        incompleteDetails: null,
        completedAt: status === 'completed' ? createdAt : null,
        incompleteAt: status === 'incomplete' ? createdAt : null,
        assistantId: null,
        runId: null,
        attachments,
        metadata: {},
      };
      return { kind: 'message', row };
    }
    const { type, id: _given, status: _status, ...payload } = item;
    const id = newId(ITEM_PREFIX[type], now);
    return { kind: 'item', record: { id, projectId, threadId, sortKey: sortKeyOf(id), createdAt, type, status, payload, responseId } };
  });
}

type Annotation = { type: string; end_index?: number; file_citation?: { file_id: string }; file_path?: { file_id: string } };

/** Assistants annotations as Responses annotations; the cited file's name is not stored with the message. */
function toOutputAnnotation(a: Annotation): unknown[] {
  if (a.type === 'file_citation' && a.file_citation) return [{ type: 'file_citation', file_id: a.file_citation.file_id, filename: '', index: a.end_index ?? 0 }];
  if (a.type === 'file_path' && a.file_path) return [{ type: 'file_path', file_id: a.file_path.file_id, index: a.end_index ?? 0 }];
  return [];
}

/** A thread message as a conversation `message` item (the mapping table of docs/conversations.md). */
export function messageItem(row: Pick<MessageRecord, 'id' | 'role' | 'content' | 'status' | 'attachments'>): ConversationItem {
  const output = row.role === 'assistant';
  const content: unknown[] = [];
  for (const part of row.content as MessageContent[]) {
    switch (part.type) {
      case 'text':
        content.push(
          output
            ? { type: 'output_text', text: part.text.value, annotations: (part.text.annotations as Annotation[]).flatMap(toOutputAnnotation), logprobs: [] }
            : { type: 'input_text', text: part.text.value },
        );
        break;
      case 'refusal':
        content.push({ type: 'refusal', refusal: part.refusal });
        break;
      case 'image_file':
        content.push({ type: 'input_image', detail: part.image_file.detail, file_id: part.image_file.file_id, image_url: null });
        break;
      case 'image_url':
        content.push({ type: 'input_image', detail: part.image_url.detail, file_id: null, image_url: part.image_url.url });
        break;
    }
  }
  for (const a of (row.attachments ?? []) as { file_id: string }[]) content.push({ type: 'input_file', file_id: a.file_id });
  return { type: 'message', id: row.id, status: row.status, role: row.role, content };
}

/** A stored non-message item as served; `reasoning.encrypted_content` only when included. */
export function recordItem(record: Pick<ConversationItemRecord, 'id' | 'type' | 'status' | 'payload'>, include: readonly ConversationInclude[] = []): ConversationItem {
  const payload = { ...record.payload };
  if (record.type === 'reasoning' && !include.includes('reasoning.encrypted_content')) delete payload.encrypted_content;
  return { type: record.type, id: record.id, status: record.status, ...payload };
}
