import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
