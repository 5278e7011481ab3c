// Dependency direction under src/ (docs/architecture.md §2): a module may import its own layer or a
// lower one, never a higher one. Relative imports are read with a regular expression (no parser, no
// dependency): `import … from '…'`, `export … from '…'`, `import('…')`, type-only ones included,
// since a type import still ties the lower layer to the higher one's vocabulary.
// `node scripts/check-layers.mjs [root]` prints each violation and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers, bottom first. An entry is a folder under src/ or a file at its top. Anything else
 * (a new folder) is reported too, so each new part of the code is placed on purpose.
 */
export const LAYERS = [
  ['contract'], // OpenAI's wire types and zod schemas; imports nothing of ours
  ['domain'], // pure rules and ports
  ['db', 'adapters', 'observability', 'config.ts', 'env.ts'], // storage, providers, settings, logging
  // services that combine them (ingest, search, runs). src/tools (hosted tools: one folder each) sits
  // here because answering a call uses retrieval and storage; its pure parts stay in src/domain and
  // every binding reaches a tool through its ToolPorts (docs/architecture.md §4.2).
  // services.ts: services(env) builds the adapters once per env and isolate.
  ['retrieval', 'queue', 'durable', 'tools', 'services.ts'],
  ['http'], // routes and the OpenAI error envelope
  ['index.ts'], // the worker's entry: wires everything
];

/**
 * Upward imports that exist today and are not yet removed, by layer pair. They are not hidden: every
 * run prints how many imports each pair still has, and docs/architecture.md §2 lists them. Remove a
 * pair once its imports are gone (the check then enforces it); never add one to pass the check.
 * - env.ts → durable: the binding types name the Durable Object class for typed RPC stubs.
 */
export const NOT_YET_ENFORCED = [['env.ts', 'durable']];

const rankOf = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));

/** The layer name of a path relative to src/ (posix separators). */
export function layerOf(path) {
  return path.split('/')[0];
}

const STATIC = /^[ \t]*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers a source file imports. */
export function importsOf(source) {
  const out = [];
  for (const re of [STATIC, BARE, DYNAMIC]) for (const m of source.matchAll(re)) if (m[1].startsWith('.')) out.push(m[1]);
  return out;
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * Every upward import (and every module outside the table) under `srcDir`, as readable lines, and
 * how many upward imports each NOT_YET_ENFORCED pair still holds.
 */
export function checkLayers(srcDir, notYetEnforced = NOT_YET_ENFORCED) {
  const problems = [];
  const pending = new Map(notYetEnforced.map(([a, b]) => [`${a} → ${b}`, 0]));
  for (const file of walk(srcDir)) {
    const from = relative(srcDir, file).split(sep).join('/');
    const fromLayer = layerOf(from);
    const fromRank = rankOf.get(fromLayer);
    if (fromRank === undefined) {
      problems.push(`src/${from}: '${fromLayer}' is in no layer of scripts/check-layers.mjs (add it to LAYERS)`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = posix.normalize(posix.join(posix.dirname(from), spec));
      if (target.startsWith('..')) continue; // outside src/ (e.g. the console build): not layered here
      const toLayer = layerOf(target.endsWith('.ts') || target.includes('/') ? target : `${target}.ts`);
      const toRank = rankOf.get(toLayer);
      if (toRank === undefined || toRank <= fromRank) continue;
      const pair = `${fromLayer} → ${toLayer}`;
      if (pending.has(pair)) pending.set(pair, pending.get(pair) + 1);
      else {
        problems.push(`src/${from} (${fromLayer}) imports '${spec}' (${toLayer}, a higher layer)`);
      }
    }
  }
  return { problems, pending };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const { problems, pending } = checkLayers(root);
  for (const p of problems) console.error(p);
  for (const [pair, n] of pending) if (n) console.log(`check-layers: not yet enforced (docs/architecture.md §2): ${pair}, ${n} import(s)`);
  console.log(problems.length ? `check-layers: ${problems.length} upward import(s)` : 'check-layers: every import points down or sideways');
  process.exit(problems.length ? 1 : 0);
}
