import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { AssistantTool } from '../../contract/common';
import type { Json } from './json';

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
