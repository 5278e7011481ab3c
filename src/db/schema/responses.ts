import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Json } from './json';

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
