// Which of the 50 OpenAI operations in the copied Assistants spec, and of the /responses and /conversations
// operations of the copied Responses spec, does our router serve?
//
// Static on purpose: it reads the Hono route registrations in src/http/routes/**/*.ts as text
// (`<router>.get('/threads/:thread_id/messages', ...)`, `.post(`, `.delete(`, `.on('GET', '/x', ...)`),
// paths relative to /v1, so it needs no build, no running worker and no bindings.
//
//   node scripts/spec-coverage.mjs                    print the table (and routes the spec lacks)
//   node scripts/spec-coverage.mjs --check README.md  exit 1 unless README's coverage section is current
//   node scripts/spec-coverage.mjs --write README.md  rewrite README's coverage section
//
// The README sections are delimited by <!-- coverage:start --> / <!-- coverage:end --> (Assistants) and
// <!-- responses-coverage:start --> / <!-- responses-coverage:end --> (Responses and Conversations).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUTES_DIR = join(ROOT, 'src/http/routes');
/** One README section per copied document; the Responses one holds only its /responses and /conversations paths. */
const SECTIONS = [
  {
    spec: join(ROOT, 'test/support/openapi/openai-assistants-v2.openapi.json'),
    start: '<!-- coverage:start -->',
    end: '<!-- coverage:end -->',
    paths: () => true,
  },
  {
    spec: join(ROOT, 'test/support/openapi/openai-responses.openapi.json'),
    start: '<!-- responses-coverage:start -->',
    end: '<!-- responses-coverage:end -->',
    paths: (template) => /^\/(responses|conversations)(\/|$)/.test(template),
  },
];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Operations registered only to refuse them with a clear error (README "Responses notes"): not served. */
const REFUSED = new Set([]);

/** Blank out comments (keeping strings intact) so commented-out routes do not count. */
function stripComments(src) {
  let out = '';
  let quote = null;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    const next = src[i + 1];
    if (quote) {
      out += ch;
      if (ch === '\\') out += src[++i] ?? '';
      else if (ch === quote) quote = null;
    } else if (ch === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else {
      if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      out += ch;
    }
  }
  return out;
}

/** `const NAME = '/x'` string constants, so template paths like `${BASE}/runs` can be resolved. */
function stringConstants(src) {
  const consts = new Map();
  for (const m of src.matchAll(/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*(['"`])([^'"`$]*)\2/g)) consts.set(m[1], m[3]);
  return consts;
}

/** Hono path → spec template: `:id` / `:id{regex}` / `:id?` → `{id}`. */
function toTemplate(path) {
  return path.replace(/:([A-Za-z_][\w]*)(\{[^}]*\})?\??/g, '{$1}').replace(/\/+$/, '') || '/';
}

/** Shape used for matching: parameter names may differ between spec and router. */
const shape = (template) => template.replace(/\{[^}]+\}/g, '{}');

function listFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Every (METHOD, template, file) the route files register. Tolerates multi-line calls and chains. */
export function parseRoutes(dir = ROUTES_DIR) {
  const routes = [];
  for (const file of listFiles(dir)) {
    const src = stripComments(readFileSync(file, 'utf8'));
    const consts = stringConstants(src);
    const resolvePath = (quote, raw) => {
      if (quote !== '`') return raw;
      const missing = [];
      const path = raw.replace(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g, (_, name) => {
        if (!consts.has(name)) missing.push(name);
        return consts.get(name) ?? '';
      });
      if (missing.length || path.includes('${')) {
        console.error(`warning: ${relative(ROOT, file)}: cannot resolve route path \`${raw}\` (${missing.join(', ') || 'expression'}); not counted`);
        return undefined;
      }
      return path;
    };
    const add = (method, quote, raw) => {
      const path = resolvePath(quote, raw);
      if (path === undefined || !path.startsWith('/')) return;
      routes.push({ method, template: toTemplate(path), file: relative(ROOT, file) });
    };
    // .get( '/path'  — whitespace and newlines allowed between every token.
    // A path is a string starting with '/', or a template literal starting with '/' or '${'.
    for (const m of src.matchAll(/\.\s*(get|post|put|patch|delete|all)\s*\(\s*(['"`])((?:\/|\$\{)[^'"`]*)\2/g)) {
      add(m[1] === 'all' ? '*' : m[1].toUpperCase(), m[2], m[3]);
    }
    // .on('GET', '/path') and .on(['GET', 'POST'], '/path')
    for (const m of src.matchAll(/\.\s*on\s*\(\s*(\[[^\]]*\]|(['"])[A-Za-z]+\2)\s*,\s*(['"`])((?:\/|\$\{)[^'"`]*)\3/g)) {
      for (const method of m[1].match(/[A-Za-z]+/g) ?? []) add(method.toUpperCase(), m[3], m[4]);
    }
  }
  return routes;
}

function specOperations(section) {
  const spec = JSON.parse(readFileSync(section.spec, 'utf8'));
  const ops = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!section.paths(template)) continue;
    for (const m of METHODS) {
      if (item[m]) ops.push({ method: m.toUpperCase(), template, operationId: item[m].operationId ?? '' });
    }
  }
  return ops;
}

function table(section, routes) {
  const ops = specOperations(section);
  const serves = (op) => !REFUSED.has(`${op.method} ${op.template}`) && routes.some((r) => (r.method === op.method || r.method === '*') && shape(r.template) === shape(op.template));
  const rows = ops.map((op) => ({ ...op, served: serves(op) }));
  const served = rows.filter((r) => r.served).length;
  const table = [
    '| method | path | operationId | served |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.method} | ${r.template} | ${r.operationId} | ${r.served ? 'yes' : REFUSED.has(`${r.method} ${r.template}`) ? 'no (400)' : 'no'} |`),
    '',
    `served ${served}/${ops.length}`,
  ].join('\n');
  return { table, ops, served, total: ops.length };
}

function coverage() {
  const routes = parseRoutes();
  const tables = SECTIONS.map((section) => ({ section, ...table(section, routes) }));
  const ops = tables.flatMap((t) => t.ops);
  const inSpec = (r) => ops.some((op) => (r.method === op.method || r.method === '*') && shape(r.template) === shape(op.template));
  const seen = new Set();
  const extensions = routes.filter((r) => {
    const key = `${r.method} ${r.template}`;
    if (inSpec(r) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { tables, extensions };
}

function printExtensions(extensions) {
  console.log('\n## Extensions (served, not in the OpenAI spec)\n');
  if (!extensions.length) console.log('(none)');
  for (const r of extensions) console.log(`- ${r.method} ${r.template}  (${r.file})`);
}

function readSection(text, { start: START, end: END }) {
  const start = text.indexOf(START);
  const end = text.indexOf(END, start + START.length);
  if (start === -1 || end === -1) return { text, start: -1, end: -1 };
  return { text, start, end, body: text.slice(start + START.length, end).trim() };
}

function lineDiff(expected, actual) {
  const a = new Set(actual.split('\n'));
  const e = new Set(expected.split('\n'));
  return [
    ...actual.split('\n').filter((l) => !e.has(l)).map((l) => `- ${l}   (README)`),
    ...expected.split('\n').filter((l) => !a.has(l)).map((l) => `+ ${l}   (generated)`),
  ];
}

function main(argv) {
  const { tables, extensions } = coverage();
  const mode = argv.find((a) => a === '--check' || a === '--write');
  const target = mode ? argv[argv.indexOf(mode) + 1] : undefined;
  if (mode && !target) {
    console.error(`${mode} needs a file, e.g. ${mode} README.md`);
    return 2;
  }
  if (!mode) {
    for (const t of tables) console.log(`${t.table}\n`);
    printExtensions(extensions);
    return 0;
  }

  let text;
  try {
    text = readFileSync(target, 'utf8');
  } catch (err) {
    console.error(`cannot read ${target}: ${err.message}`);
    return 1;
  }
  let status = 0;
  for (const t of tables) {
    const { start: START, end: END } = t.section;
    const section = readSection(text, t.section);
    if (section.start === -1) {
      console.error(`${target} has no coverage section: add a line '${START}' and a line '${END}', then run with --write ${target}`);
      return 1;
    }
    if (mode === '--write') {
      text = `${text.slice(0, section.start + START.length)}\n${t.table}\n${text.slice(section.end)}`;
      console.log(`${target}: coverage section ${START} written (served ${t.served}/${t.total})`);
    } else if (section.body === t.table) {
      console.log(`${target}: coverage section ${START} is current (served ${t.served}/${t.total})`);
    } else {
      console.error(`${target}: coverage section ${START} is out of date. Differences:`);
      for (const line of lineDiff(t.table, section.body)) console.error(`  ${line}`);
      console.error(`Run: npm run spec:coverage -- --write ${target}`);
      status = 1;
    }
  }
  if (mode === '--write') {
    writeFileSync(target, text);
    printExtensions(extensions);
  }
  return status;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
