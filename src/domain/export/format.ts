import { z } from 'zod';
import type { ConversationItem } from '../conversations/items';
import type { MessageObject, MessageRecord } from '../messages';
import type { ThreadObjectJson } from '../threads';
import type { Run, RunStep } from '../runs/types';

/**
 * The thread export document (docs/export-format.md): one JSON object holding a thread as the API
 * serves it (thread, messages, runs, run steps with their tool calls and outputs) plus the files and
 * vector stores it refers to. `POST /v1/threads/import` takes the same document back.
 */
export const EXPORT_OBJECT = 'thread.export';
export const EXPORT_FORMAT_VERSION = 1;
/** One import is one D1 batch of one statement per message: kept well inside D1's per-batch limits. */
export const MAX_IMPORT_MESSAGES = 1000;
export const MAX_IMPORT_RUNS = 500;
export const MAX_IMPORT_STEPS = 5000;
export const MAX_IMPORT_ITEMS = 1000;

/**
 * A conversation's non-message item (D1 `conversation_items`): the item as served (reasoning's
 * `encrypted_content` included), when it was created, and the response that wrote it.
 */
export interface ExportedConversationItem {
  item: ConversationItem & { status: string };
  created_at: number;
  response_id: string | null;
}

/** A message as exported: the API object with its stored role (`system`/`developer` included). */
export type ExportedMessageObject = Omit<MessageObject, 'role'> & { role: MessageRecord['role'] };

export interface ThreadExport {
  object: typeof EXPORT_OBJECT;
  format_version: typeof EXPORT_FORMAT_VERSION;
  exported_at: number;
  thread: ThreadObjectJson & { last_assistant_id?: string | null };
  messages: ExportedMessageObject[];
  runs: Run[];
  run_steps: RunStep[];
  /** Absent in documents written before conversations (still format 1: the field is optional). */
  conversation_items?: ExportedConversationItem[];
  file_ids: string[];
  vector_store_ids: string[];
}

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9_-]{1,64}$`), `must be an id starting with '${prefix}'`);
/** A thread id: a conversation is a thread and keeps its `conv_` id (docs/conversations.md). */
const threadId = () => z.union([id('thread_'), id('conv_')]);
const Metadata = z.record(z.string().max(64), z.string().max(512));
const Unix = z.int().min(0);

const ContentPart = z.looseObject({ type: z.enum(['text', 'image_file', 'image_url', 'refusal']) });

const ExportedMessage = z.strictObject({
  id: id('msg_'),
  object: z.literal('thread.message'),
  created_at: Unix,
  thread_id: threadId(),
  status: z.enum(['in_progress', 'incomplete', 'completed']),
  incomplete_details: z.looseObject({ reason: z.string() }).nullable(),
  completed_at: Unix.nullable(),
  incomplete_at: Unix.nullable(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.array(ContentPart),
  assistant_id: z.string().nullable(),
  run_id: id('run_').nullable(),
  attachments: z.array(z.looseObject({ file_id: id('file-') })),
  metadata: Metadata,
});

const ExportedRun = z.looseObject({
  id: id('run_'),
  object: z.literal('thread.run'),
  created_at: Unix,
  thread_id: threadId(),
  assistant_id: z.string(),
  status: z.enum(['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired']),
  model: z.string(),
  metadata: Metadata,
});

const ExportedStep = z.looseObject({
  id: id('step_'),
  object: z.literal('thread.run.step'),
  created_at: Unix,
  thread_id: threadId(),
  run_id: id('run_'),
  type: z.enum(['message_creation', 'tool_calls']),
  status: z.enum(['in_progress', 'cancelled', 'failed', 'completed', 'expired']),
  step_details: z.union([
    z.strictObject({ type: z.literal('message_creation'), message_creation: z.strictObject({ message_id: id('msg_') }) }),
    z.strictObject({ type: z.literal('tool_calls'), tool_calls: z.array(z.looseObject({ id: z.string(), type: z.string() })) }),
  ]),
});

const ExportedItem = z.strictObject({
  item: z.looseObject({
    id: z.string().regex(/^(fc|fco|rs)_[A-Za-z0-9_-]{1,64}$/, "must be an item id starting with 'fc_', 'fco_' or 'rs_'"),
    type: z.enum(['function_call', 'function_call_output', 'reasoning']),
    status: z.enum(['in_progress', 'completed', 'incomplete']),
  }),
  created_at: Unix,
  response_id: z.string().nullable(),
});

export const ThreadExportDoc = z.strictObject({
  object: z.literal(EXPORT_OBJECT),
  format_version: z.literal(EXPORT_FORMAT_VERSION),
  exported_at: Unix,
  thread: z.strictObject({
    id: threadId(),
    object: z.literal('thread'),
    created_at: Unix,
    tool_resources: z
      .strictObject({
        code_interpreter: z.strictObject({ file_ids: z.array(id('file-')).optional() }).optional(),
        file_search: z.strictObject({ vector_store_ids: z.array(id('vs_')).optional() }).optional(),
      })
      .nullable(),
    metadata: Metadata,
    last_assistant_id: z.string().nullable().optional(),
  }),
  messages: z.array(ExportedMessage).max(MAX_IMPORT_MESSAGES),
  runs: z.array(ExportedRun).max(MAX_IMPORT_RUNS),
  run_steps: z.array(ExportedStep).max(MAX_IMPORT_STEPS),
  conversation_items: z.array(ExportedItem).max(MAX_IMPORT_ITEMS).optional(),
  file_ids: z.array(id('file-')),
  vector_store_ids: z.array(id('vs_')),
});

const RUN_KEYS = [
  'required_action', 'last_error', 'expires_at', 'started_at', 'cancelled_at', 'failed_at', 'completed_at', 'incomplete_details',
  'instructions', 'tools', 'usage', 'temperature', 'top_p', 'max_prompt_tokens', 'max_completion_tokens', 'truncation_strategy',
  'tool_choice', 'parallel_tool_calls', 'response_format',
] as const;
const STEP_KEYS = ['assistant_id', 'last_error', 'expired_at', 'cancelled_at', 'failed_at', 'completed_at', 'metadata', 'usage'] as const;

/** Every `file-...` id mentioned anywhere in the value (attachments, parts, annotations, tool outputs). */
export function fileIdsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (/^file-[A-Za-z0-9_-]+$/.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) fileIdsIn(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) fileIdsIn(v, into);
  }
  return into;
}

/** The files and vector stores a thread's objects refer to (the export's `file_ids`/`vector_store_ids`). */
export function referencesOf(doc: Pick<ThreadExport, 'thread' | 'messages' | 'run_steps' | 'conversation_items'>): { fileIds: string[]; vectorStoreIds: string[] } {
  const files = fileIdsIn(doc.thread.tool_resources);
  fileIdsIn(doc.messages.map((m) => [m.content, m.attachments]), files);
  fileIdsIn((doc.conversation_items ?? []).map((i) => i.item), files);
  fileIdsIn(doc.run_steps.map((s) => s.step_details), files);
  const tr = doc.thread.tool_resources as { file_search?: { vector_store_ids?: string[] } } | null;
  return { fileIds: [...files].sort(), vectorStoreIds: [...(tr?.file_search?.vector_store_ids ?? [])].sort() };
}

/**
 * Cross-references a schema cannot check: one thread, unique ids, steps and messages pointing at runs
 * and messages of the document. Returns the first problem as [message, param], or null.
 */
export function consistencyProblem(doc: ThreadExport): [string, string] | null {
  // Runs and steps are stored and served as given: every field of the API object must be there.
  for (const [field, items, keys] of [['runs', doc.runs, RUN_KEYS], ['run_steps', doc.run_steps, STEP_KEYS]] as const) {
    for (const [i, item] of items.entries()) {
      const missing = keys.find((k) => !(k in item));
      if (missing) return [`Missing required parameter: '${field}[${i}].${missing}'.`, `${field}[${i}].${missing}`];
    }
  }
  const threadId = doc.thread.id;
  const seen = new Set<string>();
  const all: [string, { id: string; thread_id: string }[]][] = [['messages', doc.messages], ['runs', doc.runs], ['run_steps', doc.run_steps]];
  for (const [field, items] of all) {
    for (const [i, item] of items.entries()) {
      if (item.thread_id !== threadId) return [`${field}[${i}].thread_id '${item.thread_id}' is not the exported thread '${threadId}'.`, `${field}[${i}].thread_id`];
      if (seen.has(item.id)) return [`Duplicate id '${item.id}' in ${field}.`, `${field}[${i}].id`];
      seen.add(item.id);
    }
  }
  for (const [i, entry] of (doc.conversation_items ?? []).entries()) {
    if (seen.has(entry.item.id)) return [`Duplicate id '${entry.item.id}' in conversation_items.`, `conversation_items[${i}].item.id`];
    seen.add(entry.item.id);
  }
  const runIds = new Set(doc.runs.map((r) => r.id));
  const messageIds = new Set(doc.messages.map((m) => m.id));
  for (const [i, m] of doc.messages.entries()) {
    if (m.run_id !== null && !runIds.has(m.run_id)) return [`messages[${i}].run_id '${m.run_id}' is not a run of the document.`, `messages[${i}].run_id`];
  }
  for (const [i, s] of doc.run_steps.entries()) {
    if (!runIds.has(s.run_id)) return [`run_steps[${i}].run_id '${s.run_id}' is not a run of the document.`, `run_steps[${i}].run_id`];
    const details = s.step_details;
    if (details.type === 'message_creation' && !messageIds.has(details.message_creation.message_id)) {
      return [`run_steps[${i}] creates message '${details.message_creation.message_id}', which is not in the document.`, `run_steps[${i}].step_details`];
    }
  }
  return null;
}
