import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Json } from './json';

// Threads (conversations) and their items: messages, and the items that are not messages.

export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    toolResources: text('tool_resources', { mode: 'json' }).$type<Json>(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** The assistant of the thread's latest run (GET /v1/threads?assistant_id=), set when a run is created. */
    lastAssistantId: text('last_assistant_id'),
    lastRunAt: integer('last_run_at'),
  },
  (t) => [
    index('threads_project').on(t.projectId, t.id),
    index('threads_project_assistant').on(t.projectId, t.lastAssistantId, t.id),
    index('threads_project_created').on(t.projectId, t.createdAt),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    threadId: text('thread_id').notNull(),
    createdAt: integer('created_at').notNull(),
    role: text('role', { enum: ['user', 'assistant', 'system', 'developer'] }).notNull(),
    content: text('content', { mode: 'json' }).$type<Json[]>().notNull(),
    status: text('status', { enum: ['in_progress', 'incomplete', 'completed'] }).notNull(),
    incompleteDetails: text('incomplete_details', { mode: 'json' }).$type<Json>(),
    completedAt: integer('completed_at'),
    incompleteAt: integer('incomplete_at'),
    assistantId: text('assistant_id'),
    runId: text('run_id'),
    attachments: text('attachments', { mode: 'json' }).$type<Json[]>(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  },
  (t) => [index('messages_thread').on(t.threadId, t.id), index('messages_thread_run').on(t.threadId, t.runId, t.id)],
);

/**
 * A conversation's items that are not messages (function_call, function_call_output, reasoning, ...),
 * migrations/0008_conversation_items.sql. `payload` is the item as served minus `id`/`type`/`status`;
 * `sort_key` is the id after its prefix, the order shared with `messages` (docs/conversations.md).
 */
export const conversationItems = sqliteTable(
  'conversation_items',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    threadId: text('thread_id').notNull(),
    sortKey: text('sort_key').notNull(),
    createdAt: integer('created_at').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, Json>>().notNull(),
    responseId: text('response_id'),
  },
  (t) => [index('conversation_items_thread').on(t.threadId, t.sortKey), index('conversation_items_project').on(t.projectId, t.threadId, t.id)],
);
