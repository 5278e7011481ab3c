import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AssistantTool } from '../contract/common';

/**
 * D1 schema (account-scoped records, docs/architecture.md §1 and docs/storage.md §1). Every tenant-owned row carries `project_id`
 * and every query filters on it: another project's object is indistinguishable from a missing one.
 * Ids sort in creation order (src/domain/ids.ts), so `ORDER BY id` is the list order.
 */

type Json = unknown;

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
  createdAt: integer('created_at').notNull(),
  archivedAt: integer('archived_at'),
});

export const serviceAccounts = sqliteTable(
  'service_accounts',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull().default('member'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('service_accounts_project').on(t.projectId, t.id)],
);

/** API keys are stored as SHA-256 digests; the clear value is shown once, at creation. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    serviceAccountId: text('service_account_id'),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    redactedValue: text('redacted_value').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_project').on(t.projectId, t.id)],
);

export const assistants = sqliteTable(
  'assistants',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    model: text('model').notNull(),
    name: text('name'),
    description: text('description'),
    instructions: text('instructions'),
    tools: text('tools', { mode: 'json' }).$type<AssistantTool[]>().notNull(), // validated by the request schema on write
    toolResources: text('tool_resources', { mode: 'json' }).$type<Json>(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    temperature: real('temperature'),
    topP: real('top_p'),
    responseFormat: text('response_format', { mode: 'json' }).$type<Json>(),
    reasoningEffort: text('reasoning_effort'),
  },
  (t) => [index('assistants_project').on(t.projectId, t.id)],
);

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

// ------------------------------------------------------------------------------------------------
// Files, uploads, vector stores and their chunks (retrieval). File bytes live in R2 under `r2_key`.

export const files = sqliteTable(
  'files',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    bytes: integer('bytes').notNull(),
    filename: text('filename').notNull(),
    purpose: text('purpose').notNull(),
    mimeType: text('mime_type').notNull(),
    r2Key: text('r2_key').notNull(),
    expiresAt: integer('expires_at'),
  },
  (t) => [index('files_project').on(t.projectId, t.id), index('files_project_purpose').on(t.projectId, t.purpose, t.id)],
);

export const uploads = sqliteTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    filename: text('filename').notNull(),
    bytes: integer('bytes').notNull(),
    purpose: text('purpose').notNull(),
    mimeType: text('mime_type').notNull(),
    status: text('status', { enum: ['pending', 'completed', 'cancelled', 'expired'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    fileExpiresAfter: text('file_expires_after', { mode: 'json' }).$type<{ anchor: 'created_at'; seconds: number } | null>(),
    fileId: text('file_id'),
  },
  (t) => [index('uploads_project').on(t.projectId, t.id)],
);

export const uploadParts = sqliteTable(
  'upload_parts',
  {
    id: text('id').primaryKey(),
    uploadId: text('upload_id').notNull(),
    createdAt: integer('created_at').notNull(),
    bytes: integer('bytes').notNull(),
    r2Key: text('r2_key').notNull(),
  },
  (t) => [index('upload_parts_upload').on(t.uploadId, t.id)],
);

export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

export const vectorStores = sqliteTable(
  'vector_stores',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    usageBytes: integer('usage_bytes').notNull().default(0),
    lastActiveAt: integer('last_active_at'),
    expiresAfter: text('expires_after', { mode: 'json' }).$type<{ anchor: 'last_active_at'; days: number } | null>(),
    expiresAt: integer('expires_at'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  },
  (t) => [index('vector_stores_project').on(t.projectId, t.id)],
);

export const vectorStoreFiles = sqliteTable(
  'vector_store_files',
  {
    vectorStoreId: text('vector_store_id').notNull(),
    /** The File id (OpenAI: a vector-store file's id is its file's id). */
    id: text('id').notNull(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    status: text('status', { enum: ['in_progress', 'completed', 'cancelled', 'failed'] }).notNull(),
    lastError: text('last_error', { mode: 'json' }).$type<{ code: string; message: string } | null>(),
    usageBytes: integer('usage_bytes').notNull().default(0),
    chunkingStrategy: text('chunking_strategy', { mode: 'json' }).$type<{ max_chunk_size_tokens: number; chunk_overlap_tokens: number }>().notNull(),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, string | number | boolean> | null>(),
    batchId: text('batch_id'),
    /** Times ingestion was queued (the first send and each sweeper re-send; migration 0005). */
    attempts: integer('attempts').notNull().default(1),
    /** Bumped by each consumer that starts on the file: only the newest one may write or finish it. */
    claim: integer('claim').notNull().default(0),
    /** Chunks (in chunk_index order) that have vectors: a retry resumes embedding here. */
    chunksEmbedded: integer('chunks_embedded').notNull().default(0),
    /** Unix ms of the last sign of progress (queued, claimed, chunks written or embedded). */
    progressAt: integer('progress_at').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.vectorStoreId, t.id] }),
    index('vector_store_files_file').on(t.id),
    index('vector_store_files_batch').on(t.batchId),
    index('vector_store_files_progress').on(t.status, t.progressAt),
  ],
);

export const fileBatches = sqliteTable(
  'file_batches',
  {
    id: text('id').primaryKey(),
    vectorStoreId: text('vector_store_id').notNull(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('file_batches_store').on(t.vectorStoreId, t.id)],
);

/**
 * Retrieval chunks of a vector-store file. The integer id is the FTS5 rowid (keyword index,
 * `chunks_fts`, migration 0004) and, as a string, the vector id in the vector index.
 */
export const chunks = sqliteTable(
  'chunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    vectorStoreId: text('vector_store_id').notNull(),
    fileId: text('file_id').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    text: text('text').notNull(),
    tokens: integer('tokens').notNull(),
    /** The vector-store file's claim of the consumer that wrote the chunk (migration 0005). */
    claim: integer('claim').notNull().default(0),
  },
  (t) => [index('chunks_store_file').on(t.vectorStoreId, t.fileId, t.chunkIndex)],
);

/** The local vector index (dev and tests; Vectorize in production): brute-force cosine over blobs. */
export const localVectors = sqliteTable(
  'local_vectors',
  {
    id: text('id').primaryKey(),
    namespace: text('namespace').notNull(),
    values: blob('values', { mode: 'buffer' }).$type<ArrayBuffer>().notNull(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string | number | boolean>>(),
  },
  (t) => [index('local_vectors_namespace').on(t.namespace)],
);

// ------------------------------------------------------------------------------------------------
// Usage (src/domain/usage): one row per model call (of a run, or of /v1/chat/completions and
// /v1/embeddings), aggregated by range at query time.

/** The API key that created a run (null for the admin key): usage grouped by `api_key_id`. */
export const runOrigins = sqliteTable('run_origins', {
  runId: text('run_id').primaryKey(),
  projectId: text('project_id').notNull(),
  apiKeyId: text('api_key_id'),
  createdAt: integer('created_at').notNull(),
});

export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    /** Which API the call was made through: a run's model call, a pass-through route (migration 0007), or a response. */
    endpoint: text('endpoint', { enum: ['runs', 'chat.completions', 'embeddings', 'responses'] }).notNull().default('runs'),
    /** Null for the pass-through routes, which have no thread, run or assistant. */
    threadId: text('thread_id'),
    runId: text('run_id'),
    assistantId: text('assistant_id'),
    /** The calling API key of a pass-through call (null: the admin key); a run's key is in run_origins. */
    apiKeyId: text('api_key_id'),
    model: text('model').notNull(),
    /** Unix seconds when the model call ended. */
    createdAt: integer('created_at').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    cachedTokens: integer('cached_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    functionCalls: integer('function_calls').notNull(),
    fileSearchCalls: integer('file_search_calls').notNull(),
    codeInterpreterCalls: integer('code_interpreter_calls').notNull(),
  },
  (t) => [index('usage_events_time').on(t.createdAt), index('usage_events_project_time').on(t.projectId, t.createdAt)],
);

/**
 * Bytes held over time, for storage usage in GB-days: kept by triggers on `files` and `vector_stores`
 * (migration 0006), one open interval (`end_at` null) per object and size.
 */
export const storageIntervals = sqliteTable(
  'storage_intervals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['file', 'vector_store'] }).notNull(),
    objectId: text('object_id').notNull(),
    projectId: text('project_id').notNull(),
    bytes: integer('bytes').notNull(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at'),
  },
  (t) => [index('storage_intervals_open').on(t.kind, t.objectId, t.endAt), index('storage_intervals_time').on(t.kind, t.startAt)],
);

// ------------------------------------------------------------------------------------------------
// Responses API (docs/responses.md; migration 0009, hand-written).

/** A stored response (`store: true`): the Response object as JSON, its output items included. */
export const responses = sqliteTable(
  'responses',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    status: text('status').notNull(),
    previousResponseId: text('previous_response_id'),
    response: text('response', { mode: 'json' }).$type<Json>().notNull(),
  },
  (t) => [index('responses_project').on(t.projectId, t.id)],
);

/** The input items of a stored response, one row each; `id` (sortable, src/domain/ids.ts) is the list cursor. */
export const responseItems = sqliteTable(
  'response_items',
  {
    id: text('id').notNull(),
    responseId: text('response_id').notNull(),
    projectId: text('project_id').notNull(),
    item: text('item', { mode: 'json' }).$type<Json>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.id] })],
);

// ------------------------------------------------------------------------------------------------
// Containers (docs/containers.md; migration 0010, hand-written).

/** A container: the code_interpreter's sandbox session (named by the id) and its files. */
export const containers = sqliteTable(
  'containers',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    name: text('name').notNull(),
    memoryLimit: text('memory_limit').notNull(),
    expiresAfterMinutes: integer('expires_after_minutes').notNull(),
    lastActiveAt: integer('last_active_at').notNull(),
  },
  (t) => [index('containers_project').on(t.projectId, t.id)],
);

/** A file of a container at its /mnt/data `path`; the bytes in R2 (`r2_key`). */
export const containerFiles = sqliteTable(
  'container_files',
  {
    id: text('id').primaryKey(),
    containerId: text('container_id').notNull(),
    projectId: text('project_id').notNull(),
    createdAt: integer('created_at').notNull(),
    bytes: integer('bytes').notNull(),
    path: text('path').notNull(),
    source: text('source').notNull(),
    r2Key: text('r2_key').notNull(),
  },
  (t) => [index('container_files_container').on(t.containerId, t.id), uniqueIndex('container_files_path').on(t.containerId, t.path)],
);
