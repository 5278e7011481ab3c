import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Projects, their service accounts and API keys: looked up on every request by key hash.

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
