import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
