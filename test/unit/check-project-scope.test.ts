// Project-scoped data access (src/db/project-scope.ts, docs/storage.md "how it is scoped"): every query
// on a table with `project_id` states its scope through inProject/byKey, and
// scripts/check-project-scope.mjs fails on a query that forgot it.
import { join } from 'node:path';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkProjectScope, checkSource, declarationsOf, projectScopedTablesIn } from '../../scripts/check-project-scope.mjs';
import { byKey, inProject } from '../../src/db/project-scope';
import { assistants, files } from '../../src/db/schema';

const root = join(__dirname, '..', '..');
const tables = projectScopedTablesIn(root);
const check = (source: string, path = 'src/db/example.ts') => checkSource(path, source, tables).problems;
const render = (where: ReturnType<typeof inProject> | undefined) => new SQLiteSyncDialect().sqlToQuery(where!);

describe('project-scoped tables', () => {
  it('are the tables of src/db/schema/ with a project_id column, as docs/storage.md lists them', () => {
    expect(tables.map((t) => t.sqlName).sort()).toEqual(
      [
        'api_keys', 'assistants', 'chunks', 'container_files', 'containers', 'conversation_items', 'file_batches', 'files', 'messages', 'response_items', 'responses', 'run_origins', 'service_accounts',
        'storage_intervals', 'threads', 'uploads', 'usage_events', 'vector_store_files', 'vector_stores',
      ].sort(),
    );
  });
});

describe('inProject / byKey', () => {
  it('inProject puts project_id = ? before the other conditions', () => {
    const q = render(inProject(assistants, 'proj_a', eq(assistants.id, 'asst_1')));
    expect(q.sql).toBe('("assistants"."project_id" = ? and "assistants"."id" = ?)');
    expect(q.params).toEqual(['proj_a', 'asst_1']);
    const alone = render(inProject(files, 'proj_b'));
    expect(alone.sql).toBe('"files"."project_id" = ?');
    expect(alone.params).toEqual(['proj_b']);
  });

  it('byKey adds nothing: the conditions as given', () => {
    const q = render(byKey(files, 'row found in project', eq(files.id, 'file-1')));
    expect(q.sql).toBe('"files"."id" = ?');
    expect(q.params).toEqual(['file-1']);
  });
});

describe('scripts/check-project-scope.mjs', () => {
  it('passes on the code as it is', () => {
    expect(checkProjectScope(root).problems).toEqual([]);
  });

  it('catches a query that forgot the project filter', () => {
    const forgotten = [
      'export async function getAssistantRow(db: Database, projectId: string, id: string) {',
      '  return db.query.assistants.findFirst({ where: eq(assistants.id, id) });',
      '}',
    ].join('\n');
    expect(check(forgotten)).toEqual([
      'src/db/example.ts:2 getAssistantRow: a query on assistants without inProject(assistants, …) or byKey(assistants, …)',
    ]);
    // Every form of query is seen: select, update, delete, joins.
    for (const q of ['db.select().from(files).where(w)', 'db.update(threads).set(p)', 'db.delete(messages).where(w)', 'db.select().from(projects).innerJoin(apiKeys, on)']) {
      expect(check(`export async function f() {\n  await ${q};\n}\n`)).toHaveLength(1);
    }
  });

  it('accepts the query once it states its scope, and only for the table it names', () => {
    expect(check('export async function f(db, projectId, id) {\n  return db.query.assistants.findFirst({ where: inProject(assistants, projectId, eq(assistants.id, id)) });\n}\n')).toEqual([]);
    expect(check("export async function f(db, id) {\n  await db.delete(files).where(byKey(files, 'row found in project', eq(files.id, id)));\n}\n")).toEqual([]);
    // A scope stated for another table does not cover this one.
    expect(check('export async function f(db, projectId) {\n  const w = inProject(files, projectId);\n  await db.delete(threads).where(w);\n}\n')).toHaveLength(1);
  });

  it('judges each declaration on its own: a filter in one function does not cover its neighbour', () => {
    const source = [
      'export async function scoped(db, projectId) {',
      '  return db.select().from(assistants).where(inProject(assistants, projectId));',
      '}',
      "assistantsRoutes.get('/assistants', async (c) => {",
      '  return db.select().from(assistants);',
      '});',
      'export class Thing {',
      '  async ok(projectId) {',
      '    return db.select().from(assistants).where(inProject(assistants, projectId));',
      '  }',
      '  async forgot() {',
      '    return db.select().from(assistants);',
      '  }',
      '}',
    ].join('\n');
    expect(check(source).map((p) => p.split(': ')[0])).toEqual(['src/db/example.ts:5 GET /assistants', 'src/db/example.ts:12 Thing.forgot']);
    expect(declarationsOf(source).map((d) => d.name)).toEqual(['scoped', 'GET /assistants', 'Thing', 'Thing.ok', 'Thing.forgot']);
  });

  it('refuses a hand-written project filter and unlisted raw SQL', () => {
    expect(check('export async function f(db, projectId) {\n  return db.select().from(files).where(and(inProject(files, projectId), eq(files.projectId, projectId)));\n}\n')).toEqual([
      'src/db/example.ts:2 f: a hand-written project filter on files; use inProject(files, projectId, …)',
    ]);
    expect(check('export async function f(db) {\n  return db.all(sql`SELECT * FROM usage_events`);\n}\n')).toEqual([
      'src/db/example.ts:2 f: raw SQL on usage_events whose scope is not in RAW_SQL_SCOPES',
    ]);
  });

  it('does not count inserts: their row type already requires projectId', () => {
    expect(check('export async function f(db, row) {\n  await db.insert(assistants).values(row);\n}\n')).toEqual([]);
  });
});
