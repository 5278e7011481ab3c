// Project scoping of D1 queries (docs/storage.md "how it is scoped", src/db/project-scope.ts): every
// query on a table with a `project_id` column states whose rows it reaches, with `inProject(table, …)`
// or `byKey(table, scope, …)`, in the declaration (function, route handler, method) that runs it.
// Read with regular expressions, like scripts/check-layers.mjs (no parser, no dependency):
// - the project-scoped tables are the `sqliteTable`s of src/db/schema/ that have a `projectId` column;
// - a query is `.from(t)`, `.update(t)`, `.delete(t)`, `.innerJoin(t`/`.leftJoin(t` or `.query.t.find…`
//   on such a table, or raw SQL naming it after FROM/JOIN/UPDATE; inserts are not queries here (the
//   row type requires `projectId`, so TypeScript already refuses an insert without it);
// - a hand-written filter `eq(t.projectId, …)` is refused outside src/db/project-scope.ts (use inProject).
// `node scripts/check-project-scope.mjs [root]` prints each problem and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Raw SQL cannot call `inProject`/`byKey`; each raw statement on a project-scoped table is listed
 * here with its scope. A listed statement that no longer exists fails the check, so the list stays true.
 */
export const RAW_SQL_SCOPES = [
  { file: 'src/db/usage.ts', decl: 'aggregateUsage', scope: 'all projects: the usage API; a project key passes its own projectIds (src/http/usage-query.ts)' },
  { file: 'src/db/storage-usage.ts', decl: 'aggregateStorage', scope: 'all projects: the usage API; a project key passes its own projectIds' },
  { file: 'src/db/chunks.ts', decl: 'keywordSearch', scope: 'parent found in project: the vector stores searched were found in the project' },
  { file: 'src/db/responses.ts', decl: 'conversationBefore', scope: "project: the recursive walk filters every link on project_id = the caller's project; response_items on project_id too" },
];

/**
 * Modules owned by another branch of issue 8 (run in parallel) that do not state their scope yet:
 * their problems are printed as pending, not failures. Each entry must still be needed: once the
 * module states every scope, the check fails until the entry is removed. Never add one to pass the check.
 */
export const NOT_YET_MOVED = [];

/** `{ ident, sqlName }` of every table in a schema file's source with a `projectId` column. */
export function projectScopedTables(schemaSource) {
  const out = [];
  const starts = [...schemaSource.matchAll(/export const (\w+) = sqliteTable\(\s*'(\w+)'/g)];
  starts.forEach((m, i) => {
    const body = schemaSource.slice(m.index, starts[i + 1]?.index ?? schemaSource.length);
    if (/\bprojectId\s*:/.test(body)) out.push({ ident: m[1], sqlName: m[2] });
  });
  return out;
}

/** The project-scoped tables of every file of `<root>/src/db/schema/` (one file per area). */
export function projectScopedTablesIn(root) {
  const dir = join(root, 'src', 'db', 'schema');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .flatMap((name) => projectScopedTables(readFileSync(join(dir, name), 'utf8')));
}

/** Where declarations start: functions, consts, route handlers (`xRoutes.get('/path'`), classes. */
const DECLARATION =
  /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\*?\s+(\w+)|^(?:export\s+)?(?:const|let)\s+(\w+)|^(\w+)\.(get|post|delete|patch|put)\(\s*'([^']*)'|^(?:export\s+)?(?:abstract\s+)?class\s+(\w+)/gm;
/** A method of a class (two spaces in, as the formatter writes them). */
const METHOD = /^ {2}(?:private\s+|public\s+|protected\s+)?(?:static\s+)?(?:async\s+)?\*?(\w+)\s*\(/gm;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'super', 'await']);

/** The declarations of a source file (a class's methods each count as one): name and [start, end) offsets. */
export function declarationsOf(source) {
  const top = [...source.matchAll(DECLARATION)].map((m) => ({
    name: m[1] ?? m[2] ?? m[6] ?? `${m[4].toUpperCase()} ${m[5]}`,
    start: m.index,
    isClass: m[6] !== undefined,
  }));
  const starts = [];
  top.forEach((d, i) => {
    starts.push(d);
    if (!d.isClass) return;
    const end = top[i + 1]?.start ?? source.length;
    METHOD.lastIndex = d.start;
    for (let m = METHOD.exec(source); m && m.index < end; m = METHOD.exec(source)) {
      if (!KEYWORDS.has(m[1])) starts.push({ name: `${d.name}.${m[1]}`, start: m.index });
    }
  });
  starts.sort((a, b) => a.start - b.start);
  return starts.map((d, i) => ({ name: d.name, start: d.start, end: starts[i + 1]?.start ?? source.length }));
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Problems of one module (path relative to the repository, posix separators). */
export function checkSource(path, source, tables) {
  const problems = [];
  const raws = new Set();
  const decls = declarationsOf(source);
  const declAt = (offset) => decls.findLast((d) => d.start <= offset) ?? { name: '(top level)', start: 0, end: source.length };
  const line = (offset) => source.slice(0, offset).split('\n').length;
  for (const { ident, sqlName } of tables) {
    const id = escape(ident);
    const builder = new RegExp(`\\.(?:from|update|delete|innerJoin|leftJoin)\\(\\s*${id}\\b|\\.query\\.${id}\\.find(?:First|Many)\\b`, 'g');
    const raw = new RegExp(`\\b(?:FROM|JOIN|UPDATE)\\s+${escape(sqlName)}\\b`, 'g');
    for (const m of source.matchAll(builder)) {
      const decl = declAt(m.index);
      const text = source.slice(decl.start, decl.end);
      if (!new RegExp(`\\b(?:inProject|byKey)\\(\\s*${id}\\b`).test(text)) {
        problems.push(`${path}:${line(m.index)} ${decl.name}: a query on ${sqlName} without inProject(${ident}, …) or byKey(${ident}, …)`);
      }
    }
    for (const m of source.matchAll(raw)) {
      const decl = declAt(m.index);
      if (RAW_SQL_SCOPES.some((r) => r.file === path && r.decl === decl.name)) raws.add(decl.name);
      else problems.push(`${path}:${line(m.index)} ${decl.name}: raw SQL on ${sqlName} whose scope is not in RAW_SQL_SCOPES`);
    }
    if (path !== 'src/db/project-scope.ts') {
      for (const m of source.matchAll(new RegExp(`\\beq\\(\\s*${id}\\.projectId\\b`, 'g'))) {
        problems.push(`${path}:${line(m.index)} ${declAt(m.index).name}: a hand-written project filter on ${sqlName}; use inProject(${ident}, projectId, …)`);
      }
    }
  }
  return { problems, raws };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every problem under `<root>/src`, including stale RAW_SQL_SCOPES and NOT_YET_MOVED entries; `pending`: those of NOT_YET_MOVED modules. */
export function checkProjectScope(root) {
  const srcDir = join(root, 'src');
  const tables = projectScopedTablesIn(root);
  const problems = [];
  const pending = [];
  const seenRaw = new Set();
  for (const file of walk(srcDir)) {
    const path = relative(root, file).split(sep).join('/');
    const source = readFileSync(file, 'utf8');
    const result = checkSource(path, source, tables);
    for (const decl of result.raws) seenRaw.add(`${path} ${decl}`);
    if (!NOT_YET_MOVED.includes(path)) problems.push(...result.problems);
    else if (result.problems.length === 0) problems.push(`${path}: states every scope now; remove it from NOT_YET_MOVED`);
    else pending.push(...result.problems);
  }
  for (const r of RAW_SQL_SCOPES) if (!seenRaw.has(`${r.file} ${r.decl}`)) problems.push(`${r.file} ${r.decl}: in RAW_SQL_SCOPES but has no raw SQL on a project-scoped table`);
  return { problems, pending, tables };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { problems, pending, tables } = checkProjectScope(root);
  for (const p of pending) console.log(`check-project-scope: not yet moved (NOT_YET_MOVED): ${p}`);
  for (const p of problems) console.error(p);
  console.log(
    problems.length
      ? `check-project-scope: ${problems.length} problem(s)`
      : `check-project-scope: every query on the ${tables.length} project-scoped tables states its scope`,
  );
  process.exit(problems.length ? 1 : 0);
}
