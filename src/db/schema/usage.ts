import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
