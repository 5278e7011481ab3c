import { and, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * How a query on a project-scoped D1 table (every table with a `project_id` column, docs/storage.md
 * "how it is scoped") says whose rows it reaches. Each such query's WHERE is built by one of the two
 * functions below, never by hand:
 *
 * - `inProject(table, projectId, ...)`: the caller's project only. Another project's row is then
 *   answered exactly like a missing one (`404 No ... found`), which is OpenAI's behaviour.
 * - `byKey(table, scope, ...)`: the row is addressed by its key alone, and `scope` says why that is
 *   safe (see `KeyScope`).
 *
 * `scripts/check-project-scope.mjs` (run by test/unit/check-project-scope.test.ts) reads every
 * module under src/ and fails when a query on a project-scoped table has neither, and when a
 * `project_id` filter is written by hand (`eq(table.projectId, …)`) instead of through
 * `inProject`. So a forgotten filter is a failing unit test, and skipping the filter is a visible,
 * stated choice at the query.
 */

/** A D1 table that carries `project_id`. */
export type ProjectScopedTable = { projectId: SQLiteColumn };

/** `project_id = projectId` AND the other conditions: rows of the caller's project only. */
export function inProject(table: ProjectScopedTable, projectId: string, ...conditions: (SQL | undefined)[]): SQL {
  return and(eq(table.projectId, projectId), ...conditions)!;
}

/**
 * Why a query may address rows of a project-scoped table without the project filter:
 * - `row found in project`: it updates or deletes a row the caller already found with `inProject`
 *   (e.g. a vector store's update after `getVectorStoreRow`);
 * - `parent found in project`: the rows are reached through a parent found with `inProject`
 *   (a store's files, chunks and batches; a thread's messages addressed by id);
 * - `internal`: background work acting on a job's own rows (ingestion, the sweeper, the run
 *   executor saving its own message), never on an id from a request;
 * - `all projects`: a read across projects on purpose (authentication by key hash, the admin usage
 *   API, the check that an imported id is free, ids being global primary keys).
 */
export type KeyScope = 'row found in project' | 'parent found in project' | 'internal' | 'all projects';

/** The conditions as given (ANDed), with the reason no project filter is needed. */
export function byKey(_table: ProjectScopedTable, _scope: KeyScope, ...conditions: (SQL | undefined)[]): SQL | undefined {
  return and(...conditions);
}
