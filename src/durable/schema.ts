import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Run, RunStep } from '../domain/runs/types';

/**
 * The thread Durable Object's SQLite tables (created by the numbered migrations in storage.ts).
 * The API objects are stored whole (`data`), so what was persisted is exactly what is served;
 * `status` is a column of its own for the lock query and guarded updates.
 */

/** Executor bookkeeping that is not part of the API object. */
export interface RunInternal {
  projectId: string;
  /** Upstream attempts for the current model call (429/5xx retries through the queue). */
  attempt: number;
  /** Epoch ms before which a scheduled retry must not be pre-empted by the watchdog. */
  retryAt: number | null;
  /** Times an orphaned executor (eviction, crash) was resumed by the watchdog. */
  resumes: number;
  /** Token usage summed over the run's model calls so far. */
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** `include[]` of the create call: file-search result content in streamed steps. */
  include?: string[];
  /** Sealed `headers`/`authorization` of the run's `mcp` tools, by server label (docs/mcp-assistants.md). */
  mcpSealed?: Record<string, string>;
  /** The client's answers to the run's pending MCP approval requests, by call id, until they are acted on. */
  mcpDecisions?: Record<string, { approve: boolean; reason?: string }>;
}

export const runs = sqliteTable('runs', {
  id: text('id').primaryKey(),
  status: text('status').$type<Run['status']>().notNull(),
  createdAt: integer('created_at').notNull(),
  data: text('data', { mode: 'json' }).$type<Run>().notNull(),
  internal: text('internal', { mode: 'json' }).$type<RunInternal>().notNull(),
});

export const steps = sqliteTable(
  'steps',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    status: text('status').$type<RunStep['status']>().notNull(),
    data: text('data', { mode: 'json' }).$type<RunStep>().notNull(),
  },
  (t) => [index('steps_run').on(t.runId, t.id)],
);

/** A hosted tool call's model-facing side (see storage.ts migration 3). */
export const hostedCalls = sqliteTable('hosted_calls', {
  callId: text('call_id').primaryKey(),
  runId: text('run_id').notNull(),
  name: text('name').notNull(),
  arguments: text('arguments').notNull(),
  output: text('output').notNull(),
  /** The passages the model was shown, in marker order: resolves citations. */
  passages: text('passages', { mode: 'json' }).$type<{ fileId: string; filename: string; text: string }[]>().notNull(),
});
