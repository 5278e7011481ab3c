// The filesystem of a sandbox (see isolation.mjs), built from an allow-list: which host paths are
// bind-mounted read-only into an otherwise empty root, and which symlinks are recreated there so that
// those paths resolve as they do on the host. Nothing else of the host is visible to the code.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SAFE_PATH, isInside, which } from './common.mjs';

/** Device files the Python runtime needs (bound read-write: writing to /dev/null must work). */
const DEVICES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom'];
/**
 * Configuration and data the runtime reads when they exist: the loader's cache, time zones, and
 * matplotlib's system-wide settings (Debian's matplotlib fails to import without /etc/matplotlibrc).
 * Nothing else of /etc is visible.
 */
const SHARED_DATA = ['/etc/ld.so.cache', '/etc/localtime', '/usr/share/zoneinfo', '/etc/matplotlibrc'];
/** Symlinks of a usual /dev that need nothing of the host (they point into the sandbox's own /proc). */
const DEV_LINKS = [
  ['/dev/fd', '/proc/self/fd'],
  ['/dev/stdin', '/proc/self/fd/0'],
  ['/dev/stdout', '/proc/self/fd/1'],
  ['/dev/stderr', '/proc/self/fd/2'],
];

/**
 * The shared libraries `ldd` lists for `binary`, with the program interpreter (the dynamic loader,
 * which the kernel opens by the path written in the binary, so that path must exist in the sandbox).
 */
export function sharedLibraries(binary) {
  const ldd = which('ldd');
  if (!ldd) return [];
  const r = spawnSync(ldd, [binary], { encoding: 'utf8', env: { PATH: SAFE_PATH }, timeout: 15_000 });
  if (r.status !== 0) return [];
  const out = [];
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/**
 * A plan that makes `path` resolve inside the new root as on the host: every symlink met on the way
 * is recreated (with its target, followed in turn) and the final real path is bound.
 */
function addPath(plan, path, depth = 0) {
  if (depth > 40 || !isAbsolute(path)) return;
  const parts = path.split('/').filter(Boolean);
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = join(current, parts[i]);
    let st;
    try {
      st = lstatSync(next);
    } catch {
      return; // missing on the host: nothing to show
    }
    if (st.isSymbolicLink()) {
      const target = readlinkSync(next);
      plan.links.set(next, target);
      addPath(plan, join(resolve(dirname(next), target), ...parts.slice(i + 1)), depth + 1);
      return;
    }
    current = next;
  }
  const st = statSync(current);
  if (st.isDirectory()) plan.binds.set(current, 'dir');
  else if (st.isFile()) plan.binds.set(current, 'file');
}

/**
 * Library directories hold symlinks that leave them (Debian's BLAS and LAPACK go through
 * /etc/alternatives): the chains of those are added so that the loader finds the libraries.
 */
function addOutgoingLinks(plan, dir, { depth = 0, siblingsUnder = null, top = dir } = {}) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) addOutgoingLinks(plan, path, { depth: depth - 1, siblingsUnder, top });
    if (!entry.isSymbolicLink()) continue;
    const target = resolve(dir, readlinkSync(path));
    if (!isInside(target, top)) {
      addPath(plan, path);
      // A data file linked from elsewhere (matplotlib's fonts on Debian): its siblings are the same
      // kind (the other fonts of the family), so their directory is bound.
      const real = existsSync(target) ? realpathSync(target) : null;
      if (siblingsUnder && real && statSync(real).isFile() && siblingsUnder.some((root) => isInside(real, root))) addPath(plan, dirname(real));
    }
  }
}

/** Where runtime files may come from: data the probe saw elsewhere (a cache, a home) is not taken. */
function runtimeRoots(python) {
  return ['/usr', '/opt', '/lib', '/lib64', python.prefix, python.base_prefix, ...python.path];
}

/**
 * The new root's content for a Python interpreter described by `python` (see python.mjs: its real
 * executable, `sys.path`, and the shared objects it loaded importing numpy, pandas and matplotlib)
 * plus the `helpers` programs the sandbox runs before Python (the privilege drop).
 * Returns `{ binds: [{path, kind: 'dir'|'file'|'dev'}], links: [{path, target}] }`: binds are
 * outermost first and never nested; links never lie inside a bound directory.
 */
export function rootfsPlan(python, helpers) {
  const plan = { binds: new Map(), links: new Map() };
  const binaries = [python.executable, ...helpers];
  const libraries = new Set([...python.libraries, ...binaries.flatMap(sharedLibraries)]);
  for (const binary of binaries) addPath(plan, binary);
  for (const entry of python.path) addPath(plan, entry);
  // The interpreter finds its prefix from the executable's location: lib/pythonX.Y under it.
  for (const prefix of new Set([python.prefix, python.base_prefix])) {
    const lib = join(prefix, 'lib', `python${python.python.split('.').slice(0, 2).join('.')}`);
    if (existsSync(lib)) addPath(plan, lib);
  }
  const libraryDirs = new Set();
  for (const library of libraries) {
    addPath(plan, library);
    if (existsSync(library)) libraryDirs.add(dirname(library));
  }
  // Extension modules load more libraries than the probe imported: their whole directories are
  // runtime files, so they are bound (read-only) rather than file by file.
  for (const dir of libraryDirs) {
    addPath(plan, dir);
    addOutgoingLinks(plan, dir);
  }
  for (const data of SHARED_DATA) addPath(plan, data);
  const roots = runtimeRoots(python);
  const fromRuntime = (p) => roots.some((root) => isInside(p, root)) && existsSync(p);
  for (const file of (python.opened ?? []).filter(fromRuntime)) addPath(plan, file);
  for (const dir of (python.data ?? []).filter(fromRuntime)) {
    addPath(plan, dir);
    addOutgoingLinks(plan, dir, { depth: 3, siblingsUnder: roots });
  }

  const dirs = [...plan.binds].filter(([, kind]) => kind === 'dir').map(([p]) => p);
  const covered = (p) => dirs.some((d) => d !== p && isInside(p, d));
  const binds = [...plan.binds]
    .filter(([p]) => !covered(p))
    .sort(([a], [b]) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .map(([path, kind]) => ({ path, kind }));
  for (const device of DEVICES) if (existsSync(device)) binds.push({ path: device, kind: 'dev' });
  const bound = binds.map((b) => b.path);
  const links = [...plan.links]
    .filter(([p]) => !bound.some((b) => isInside(p, b)))
    .map(([path, target]) => ({ path, target }));
  for (const [path, target] of DEV_LINKS) links.push({ path, target });
  return { binds, links };
}

/** The plan as arguments of the setup script (isolation.mjs): `bind KIND PATH` and `link PATH TARGET`. */
export function planArgs(plan) {
  return [...plan.binds.flatMap((b) => ['bind', b.kind, b.path]), ...plan.links.flatMap((l) => ['link', l.path, l.target])];
}
