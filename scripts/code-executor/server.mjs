#!/usr/bin/env node
// The local code executor: sandboxed Python sessions for the code_interpreter tool in dev and tests
// (production uses Cloudflare Containers through the Sandbox SDK, src/adapters/code/sandbox.ts).
// Plain Node ESM, no dependencies, no build step.
//
//   node scripts/code-executor/server.mjs [--port 0] [--host 127.0.0.1] [--python /usr/bin/python3]
//        [--base-dir DIR] [--memory-mb 1024] [--timeout-ms 30000] [--idle-ms 3600000]
//        [--isolation auto|namespaces|userns|none]
//   prints `listening http://127.0.0.1:PORT`. With CODE_EXECUTOR_TOKEN in its environment every
//   request except GET /health needs `Authorization: Bearer <token>`.
//
// HTTP API (JSON unless noted; errors are `{ "error": { "message" } }` with a 4xx/5xx status):
//   POST   /sessions/:id/execute      {code, timeout_ms?} → {status: 'ok'|'error'|'timeout', logs,
//                                     images: [base64 PNG], files: [{path, bytes}]}
//   PUT    /sessions/:id/files/<path> raw body → 204 (the file, relative to /mnt/data)
//   GET    /sessions/:id/files/<path> → the raw bytes (404 if missing)
//   DELETE /sessions/:id              → 204 (stops the interpreter, deletes the session's files)
//   GET    /health                    → {ok, python, packages: {numpy, pandas, matplotlib},
//                                     isolation, warning?, sessions}
//
// A session is one long-lived Python process (scripts/code-executor/runner.py), started on first
// use, so variables persist between executions. Isolation (`namespaces`, when run as root):
//   unshare --mount --net --pid --ipc --uts --fork --kill-child --mount-proc, then in the new mount
//   namespace a tmpfs on /mnt with the session's own directory bind-mounted at /mnt/data (the cwd);
//   tmpfs over the project directory and its parent, the executor's base directory (every other
//   session), the home directories and /run; private /tmp, /var/tmp and /dev/shm; then the process drops to a per-session
//   unprivileged uid with no capabilities (setpriv: empty bounding set, no_new_privs), limits from
//   prlimit (address space, file size, processes, no core dumps) and a clean environment (PATH,
//   HOME=/mnt/data, MPLBACKEND=Agg, MPLCONFIGDIR=/tmp/matplotlib: nothing of the server's). The
//   network namespace is empty (no interfaces up). `userns`: the same inside an unprivileged user
//   namespace when not root. `none`: a plain child process (clean environment, memory limit) with a
//   warning at start and in /health — used only when namespaces are not permitted.
// Every execution has a wall-clock limit: past it the session's whole process group is killed, the
// answer is status `timeout`, and the next execution starts a fresh interpreter and says so.
// Sessions idle longer than `idleMs` (default one hour) are stopped and their directories deleted.
import { spawn, spawnSync } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { constants as fsc, createReadStream, createWriteStream, existsSync, readFileSync, realpathSync } from 'node:fs';
import { chown, lstat, mkdir, mkdtemp, open, readdir, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNNER_PATH = join(HERE, 'runner.py');
const DEFAULT_PROJECT_DIR = resolve(HERE, '..', '..');
const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const GiB = 1024 ** 3;

export const DEFAULTS = Object.freeze({
  memoryBytes: 1 * GiB,
  /** RLIMIT_FSIZE: the largest file the code may write. */
  maxFileBytes: 1 * GiB,
  /** RLIMIT_NPROC for the session's uid (threads count: numpy's BLAS starts some). */
  maxProcesses: 512,
  maxUploadBytes: 512 * 1024 ** 2,
  maxLogChars: 200_000,
  timeouts: Object.freeze({ defaultMs: 30_000, maxMs: 10 * 60_000, idleMs: 60 * 60_000, startupMs: 30_000 }),
  /** First uid of the per-session sandbox users (`namespaces` isolation); needs no passwd entry. */
  uidBase: 1_900_000_000,
});

const SESSION_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
/** Longest line the runner may send (a result line carries its PNG images in base64). */
const MAX_LINE_BYTES = 256 * 1024 ** 2;

/** Shell run as the first process of the new namespaces: mounts, then exec's the sandboxed command. */
const SETUP_SCRIPT = `set -eu
sess="$1"; n="$2"; shift 2
mkdir -p /mnt
mount -t tmpfs -o mode=755,size=64k,nosuid,nodev tmpfs /mnt
mkdir /mnt/data
mount --bind "$sess" /mnt/data
i=0
while [ "$i" -lt "$n" ]; do
  d="$1"; shift
  if [ -d "$d" ]; then mount -t tmpfs -o mode=755,size=16k,nosuid,nodev,noexec tmpfs "$d"; fi
  i=$((i + 1))
done
mount -t tmpfs -o mode=1777,size=512m,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs /dev/shm
if [ -d /var/tmp ]; then mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs /var/tmp; fi
cd /mnt/data
exec "$@"
`;

const PROBE_PACKAGES = `
import json, platform, importlib
def version(name):
    try:
        import importlib.metadata as m
        return m.version(name)
    except Exception:
        pass
    try:
        return getattr(importlib.import_module(name), "__version__", None)
    except Exception:
        return None
print(json.dumps({"python": platform.python_version(), "prefix": __import__("sys").base_prefix,
                  "packages": {n: version(n) for n in ("numpy", "pandas", "matplotlib")}}))
`;

function which(command) {
  if (command.includes('/')) return existsSync(command) ? resolve(command) : null;
  for (const dir of (process.env.PATH ?? SAFE_PATH).split(delimiter).concat(SAFE_PATH.split(':'))) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

/** Runs `python` outside any sandbox (clean environment) to learn its version and packages. */
function probePython(python) {
  const r = spawnSync(python, ['-I', '-c', PROBE_PACKAGES], { encoding: 'utf8', env: { PATH: SAFE_PATH }, timeout: 30_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return null;
  }
}

/**
 * The Python to use: `CODE_EXECUTOR_PYTHON`, else the first of `python3` on PATH and
 * `/usr/bin/python3` that has numpy, pandas and matplotlib, else the first that runs at all.
 * Returns null when there is no Python.
 */
export function findPython() {
  const candidates = [process.env.CODE_EXECUTOR_PYTHON, which('python3'), '/usr/bin/python3', '/usr/local/bin/python3']
    .filter((c) => typeof c === 'string' && c !== '')
    .filter((c, i, all) => all.indexOf(c) === i);
  let firstWorking = null;
  for (const candidate of candidates) {
    const path = which(candidate);
    if (!path) continue;
    const info = probePython(path);
    if (!info) continue;
    firstWorking ??= path;
    if (Object.values(info.packages).every((v) => v)) return path;
  }
  return firstWorking;
}

function isInside(child, parent) {
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child === parent || child.startsWith(p);
}

function jsonResponse(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readJsonBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body must be JSON');
  }
}

function secondsText(ms) {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? '' : 's'}`;
}

/** Regular files under `dir` (not following symlinks): relative path → identity. */
async function snapshot(dir, limit = 20_000) {
  const out = new Map();
  const stack = [''];
  while (stack.length > 0 && out.size < limit) {
    const rel = stack.pop();
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) stack.push(childRel);
      else if (entry.isFile()) {
        try {
          const st = await lstat(join(dir, childRel), { bigint: true });
          out.set(childRel, { size: Number(st.size), id: `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` });
        } catch {
          // vanished meanwhile
        }
      }
    }
  }
  return out;
}

function changedFiles(before, after) {
  const files = [];
  for (const [path, info] of after) {
    if (before.get(path)?.id !== info.id) files.push({ path, bytes: info.size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Chooses how sessions are isolated: `namespaces` (root), `userns` (unprivileged user namespaces),
 * or `none`; each candidate is tried for real (a sandbox that runs `true`) before it is chosen.
 */
function detectIsolation(requested, tools, probeDir, hide) {
  const tried = [];
  const attempt = (mode) => {
    const cmd = sandboxCommand(mode, tools, probeDir, hide, mode === 'namespaces' ? DEFAULTS.uidBase : null, [], [tools.true]);
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { PATH: SAFE_PATH }, timeout: 15_000 });
    if (r.status === 0) return true;
    tried.push(`${mode}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop()}`);
    return false;
  };
  const missing = ['unshare', 'setpriv', 'true'].filter((t) => !tools[t]);
  if (requested === 'none') return { mode: 'none', warning: 'isolation disabled (--isolation none)' };
  if (missing.length === 0 && process.platform === 'linux') {
    // As root only `namespaces`: inside a user namespace root stays root on files (owner checks).
    const isRoot = process.getuid?.() === 0;
    if (isRoot && requested === 'userns') throw new Error("isolation 'userns' is for non-root users; as root use 'namespaces'");
    if (!isRoot && requested === 'namespaces') throw new Error("isolation 'namespaces' needs root; use 'userns'");
    const order = requested === 'auto' ? (isRoot ? ['namespaces'] : ['userns']) : [requested];
    for (const mode of order) if (attempt(mode)) return { mode };
  } else {
    tried.push(`missing: ${missing.join(', ') || process.platform}`);
  }
  if (requested !== 'auto') throw new Error(`isolation '${requested}' is not available here (${tried.join('; ')})`);
  return {
    mode: 'none',
    warning:
      'NO SANDBOX: Linux namespaces are not permitted here, so Python code runs as this user with access to ' +
      `the files and network this user can reach (${tried.join('; ')}). Run as root, or enable unprivileged user namespaces.`,
  };
}

/** argv of a session's process: the sandbox around `limits` (prlimit) + `inner` (resolved paths). */
function sandboxCommand(mode, tools, sessionDir, hide, uid, limits, inner) {
  if (mode === 'none') return [...limits, ...inner];
  const namespaces = ['--mount', '--net', '--pid', '--ipc', '--uts', '--fork', '--kill-child', '--mount-proc'];
  const user = mode === 'userns' ? ['--user', '--map-root-user'] : [];
  const drop =
    mode === 'namespaces' && uid !== null
      ? [tools.setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
      : [tools.setpriv, '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
  return [tools.unshare, ...user, ...namespaces, '--', tools.sh, '-c', SETUP_SCRIPT, 'sandbox-setup', sessionDir, String(hide.length), ...hide, ...limits, ...drop, ...inner];
}

/**
 * Starts the executor's HTTP server. Options: `port` (0 = any), `host` (127.0.0.1), `python`
 * (default: findPython()), `baseDir` (sessions' directories; default a new temporary directory,
 * removed on close), `token`, `timeouts` ({defaultMs, maxMs, idleMs, startupMs}), `memoryBytes`,
 * `isolation` ('auto' | 'namespaces' | 'userns' | 'none'), `projectDir` (hidden from sessions;
 * default this repository), `hide` (more directories to hide), `log` (warnings; default stderr).
 */
export async function startCodeExecutor(options = {}) {
  const log = options.log ?? ((line) => console.error(line));
  const timeouts = { ...DEFAULTS.timeouts, ...(options.timeouts ?? {}) };
  const memoryBytes = options.memoryBytes ?? DEFAULTS.memoryBytes;
  const maxLogChars = options.maxLogChars ?? DEFAULTS.maxLogChars;
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULTS.maxUploadBytes;
  const token = options.token || undefined;

  const python = options.python ? which(options.python) : findPython();
  if (!python) throw new Error(`python not found (${options.python ?? 'python3'}); the code executor needs Python 3`);
  const info = probePython(python);
  if (!info) throw new Error(`${python} did not run; the code executor needs a working Python 3`);
  const pythonReal = realpathSync(python);
  const runnerSource = readFileSync(RUNNER_PATH, 'utf8');

  const ownBaseDir = !options.baseDir;
  const baseDir = options.baseDir ? resolve(options.baseDir) : await mkdtemp(join(tmpdir(), 'assistants-edge-code-'));
  await mkdir(baseDir, { recursive: true, mode: 0o700 });
  const baseDirReal = realpathSync(baseDir);
  const projectDir = realpathSync(options.projectDir ?? DEFAULT_PROJECT_DIR);

  // Directories hidden (tmpfs mounted over them) in every sandbox. The project and the base directory
  // are required; the optional ones (the project's parent, where sibling checkouts live, the home
  // directories, /run with its sockets) are skipped when they hold the Python installation.
  const pythonPaths = [pythonReal, info.prefix].filter(Boolean);
  for (const required of [projectDir, baseDirReal]) {
    const clash = pythonPaths.find((p) => isInside(p, required));
    if (clash) throw new Error(`${clash} (the Python installation) is inside ${required}, which sessions must not see; use another Python`);
  }
  const optionalHide = [dirname(projectDir), homedir(), '/root', '/home', '/run', ...(options.hide ?? [])]
    .filter((d) => d && existsSync(d))
    .map((d) => realpathSync(d))
    .filter((d) => {
      const clash = pythonPaths.find((p) => isInside(p, d));
      if (clash) log(`code executor: not hiding ${d}: it contains the Python installation (${clash})`);
      return !clash && d !== '/';
    });
  const hide = [...new Set([projectDir, baseDirReal, ...optionalHide])];

  const tools = {
    unshare: which('unshare'),
    setpriv: which('setpriv'),
    prlimit: which('prlimit'),
    env: which('env'),
    sh: which('sh') ?? '/bin/sh',
    true: which('true'),
  };
  const probeDir = await mkdtemp(join(baseDirReal, 'probe-'));
  let isolation;
  try {
    isolation = detectIsolation(options.isolation ?? 'auto', tools, probeDir, hide);
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
  if (isolation.warning) log(`code executor WARNING: ${isolation.warning}`);

  const threads = String(Math.max(1, Math.min(4, availableParallelism())));
  /** @type {Map<string, Session>} */
  const sessions = new Map();
  let nextUid = 0;
  let nextExecution = 1;

  /**
   * @typedef {{ id: string, dir: string, uid: number | null, proc: Proc | null, lastUsed: number,
   *   queue: Promise<unknown>, restartNote: string | null, busy: number, deleted: boolean,
   *   dirReady: Promise<void> }} Session
   * @typedef {{ child: import('node:child_process').ChildProcess, exited: boolean, exit: Promise<string>,
   *   ready: Promise<void>, listeners: Set<(m: any) => void>, stderr: string }} Proc
   */

  async function getSession(id, create) {
    if (!SESSION_ID.test(id)) throw new HttpError(400, 'invalid session id');
    let session = sessions.get(id);
    if (session) {
      await session.dirReady;
      return session;
    }
    const dir = join(baseDirReal, id);
    if (!create) return null;
    let uid = null;
    if (isolation.mode === 'namespaces') {
      const used = new Set([...sessions.values()].map((s) => s.uid));
      do uid = DEFAULTS.uidBase + (nextUid++ % 1_000_000);
      while (used.has(uid));
    }
    // Registered before the first await, so concurrent requests for a new id share one session.
    session = { id, dir, uid, proc: null, lastUsed: Date.now(), queue: Promise.resolve(), restartNote: null, busy: 0, deleted: false, dirReady: Promise.resolve() };
    sessions.set(id, session);
    session.dirReady = (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (uid !== null) await chown(dir, uid, uid);
    })();
    try {
      await session.dirReady;
    } catch (err) {
      sessions.delete(id);
      throw err;
    }
    return session;
  }

  /** Serializes work on a session (one execution at a time). */
  function exclusive(session, fn) {
    const run = session.queue.then(fn, fn);
    session.queue = run.catch(() => {});
    return run;
  }

  /** The sandboxed process's whole environment (`env -i`): nothing of the server's. */
  function envFor(session) {
    const inSandbox = isolation.mode !== 'none';
    const tmp = inSandbox ? '/tmp' : tmpdir();
    return [
      'PATH=/usr/local/bin:/usr/bin:/bin',
      `HOME=${inSandbox ? '/mnt/data' : session.dir}`,
      `TMPDIR=${tmp}`,
      'LANG=C.UTF-8',
      'LC_ALL=C.UTF-8',
      'USER=sandbox',
      'LOGNAME=sandbox',
      'MPLBACKEND=Agg',
      `MPLCONFIGDIR=${join(tmp, inSandbox ? 'matplotlib' : `assistants-edge-mpl-${process.pid}`)}`,
      `XDG_CACHE_HOME=${join(tmp, '.cache')}`,
      `XDG_CONFIG_HOME=${join(tmp, '.config')}`,
      `OPENBLAS_NUM_THREADS=${threads}`,
      `OMP_NUM_THREADS=${threads}`,
      `MKL_NUM_THREADS=${threads}`,
    ];
  }

  function startProcess(session) {
    // Limits go before the privilege drop (setpriv) and are inherited by the sandboxed process. In
    // `none` mode RLIMIT_NPROC would count every process of this user, so it is left out there.
    const limits = tools.prlimit
      ? [
          tools.prlimit,
          `--as=${memoryBytes}`,
          `--fsize=${options.maxFileBytes ?? DEFAULTS.maxFileBytes}`,
          ...(isolation.mode === 'none' ? [] : [`--nproc=${options.maxProcesses ?? DEFAULTS.maxProcesses}`]),
          '--core=0',
          '--',
        ]
      : [];
    const config = JSON.stringify({ max_log_chars: maxLogChars });
    const inner = [tools.env ?? '/usr/bin/env', '-i', ...envFor(session), python, '-I', '-B', '-u', '-c', runnerSource, config];
    const argv = sandboxCommand(isolation.mode, tools, session.dir, hide, session.uid, limits, inner);
    const child = spawn(argv[0], argv.slice(1), {
      cwd: isolation.mode === 'none' ? session.dir : '/',
      env: { PATH: SAFE_PATH },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: a timeout kills the whole group
    });
    /** @type {Proc} */
    const proc = { child, exited: false, exit: Promise.resolve(''), ready: Promise.resolve(), listeners: new Set(), stderr: '' };
    proc.exit = new Promise((resolveExit) => {
      child.on('close', (code, signal) => {
        proc.exited = true;
        resolveExit(signal ? `signal ${signal}` : `exit code ${code}`);
      });
      child.on('error', (err) => {
        proc.exited = true;
        proc.stderr += `\n${err.message}`;
        resolveExit(err.message);
      });
    });
    child.stdin.on('error', () => {});
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      proc.stderr = (proc.stderr + text).slice(-4000);
    });
    // JSON lines from the runner. The code can write to that descriptor too, so a line (a result
    // carries its images) is capped: past MAX_LINE_BYTES without a newline the session is killed.
    let pending = [];
    let pendingBytes = 0;
    const deliver = (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      for (const listener of proc.listeners) listener(message);
    };
    child.stdout.on('data', (chunk) => {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, nl));
        deliver(Buffer.concat(pending).toString('utf8'));
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          pending = [];
          pendingBytes = 0;
          proc.stderr += '\nthe Python process wrote an over-long protocol line';
          kill(proc);
        }
      }
    });
    proc.ready = new Promise((resolveReady, rejectReady) => {
      const timer = setTimeout(() => {
        proc.listeners.delete(onReady);
        kill(proc);
        rejectReady(new Error(`Python did not start within ${secondsText(timeouts.startupMs)}: ${proc.stderr.trim() || 'no output'}`));
      }, timeouts.startupMs);
      const onReady = (m) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        proc.listeners.delete(onReady);
        resolveReady();
      };
      proc.listeners.add(onReady);
      proc.exit.then((how) => {
        clearTimeout(timer);
        proc.listeners.delete(onReady);
        rejectReady(new Error(`Python exited while starting (${how}): ${proc.stderr.trim() || 'no output'}`));
      });
    });
    proc.ready.catch(() => {});
    session.proc = proc;
    return proc;
  }

  function kill(proc) {
    if (!proc || proc.exited) return;
    try {
      process.kill(-proc.child.pid, 'SIGKILL');
    } catch {
      try {
        proc.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async function stopSession(session) {
    const proc = session.proc;
    session.proc = null;
    if (proc && !proc.exited) {
      kill(proc);
      await proc.exit;
    }
  }

  async function execute(session, code, timeoutMs, clientGone) {
    const notes = [];
    let proc = session.proc;
    if (!proc || proc.exited) {
      if (session.restartNote) notes.push(session.restartNote);
      else if (proc?.exited) notes.push('[Note: a fresh Python interpreter was started: the previous one had exited, so variables and imports from earlier calls are gone; files in /mnt/data are kept.]');
      session.restartNote = null;
      proc = startProcess(session);
      try {
        await proc.ready;
      } catch (err) {
        session.proc = null;
        throw new HttpError(500, `could not start the Python sandbox: ${err.message}`);
      }
    }
    const before = await snapshot(session.dir);
    const id = nextExecution++;
    const parts = [];
    let status = 'ok';
    let images = [];
    const outcome = await new Promise((resolveOutcome) => {
      let logChars = 0;
      const listener = (m) => {
        if (m.id !== id) return;
        if (m.type === 'stream' && typeof m.text === 'string' && logChars < maxLogChars * 2) {
          // The runner caps the logs itself; this bounds what the code could forge past it.
          parts.push(m.text.slice(0, maxLogChars * 2 - logChars));
          logChars += m.text.length;
        }
        if (m.type === 'result') {
          finish({ kind: 'result', status: m.status === 'error' ? 'error' : 'ok', images: Array.isArray(m.images) ? m.images : [] });
        }
      };
      const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
      const onGone = () => finish({ kind: 'cancelled' });
      clientGone.addEventListener('abort', onGone);
      let done = false;
      function finish(result) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clientGone.removeEventListener('abort', onGone);
        proc.listeners.delete(listener);
        resolveOutcome(result);
      }
      proc.listeners.add(listener);
      proc.exit.then((how) => finish({ kind: 'exited', how }));
      if (clientGone.aborted) finish({ kind: 'cancelled' });
      else proc.child.stdin.write(`${JSON.stringify({ type: 'execute', id, code })}\n`);
    });
    if (outcome.kind === 'result') {
      status = outcome.status;
      images = outcome.images;
    } else if (outcome.kind === 'timeout') {
      await stopSession(session);
      status = 'timeout';
      const limit = secondsText(timeoutMs);
      parts.push(`${parts.length && !parts.at(-1).endsWith('\n') ? '\n' : ''}Execution timed out: it exceeded the time limit of ${limit} and was stopped.\n`);
      session.restartNote = `[Note: this is a fresh Python interpreter: the previous execution exceeded the time limit of ${limit} and was stopped, so variables and imports from earlier calls are gone; files in /mnt/data are kept.]`;
    } else if (outcome.kind === 'cancelled') {
      await stopSession(session);
      status = 'error';
      session.restartNote = '[Note: this is a fresh Python interpreter: the previous execution was cancelled, so variables and imports from earlier calls are gone; files in /mnt/data are kept.]';
    } else {
      session.proc = null;
      status = 'error';
      const memoryHint = /SIGKILL|SIGSEGV|SIGABRT/.test(outcome.how) ? ` (possibly out of memory: the limit is ${Math.round(memoryBytes / 1024 ** 2)} MiB)` : '';
      parts.push(`\nThe Python process exited unexpectedly (${outcome.how})${memoryHint}.\n`);
      session.restartNote = `[Note: this is a fresh Python interpreter: the previous one exited unexpectedly (${outcome.how}), so variables and imports from earlier calls are gone; files in /mnt/data are kept.]`;
    }
    const after = await snapshot(session.dir);
    const logs = [...notes.map((n) => `${n}\n`), ...parts].join('');
    return { status, logs, images, files: changedFiles(before, after) };
  }

  /**
   * Opens `rel` inside the session's directory without following symlinks anywhere on the way (the
   * sandboxed code controls that directory), then checks the opened file's real path.
   */
  async function openInSession(session, rel, forWrite) {
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0')) || rel.length > 1024) {
      throw new HttpError(400, 'invalid file path (relative to /mnt/data, no "." or ".." segments)');
    }
    let dir = session.dir;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      const st = await lstat(dir).catch(() => null);
      if (!st) {
        if (!forWrite) throw new HttpError(404, 'file not found');
        await mkdir(dir, { mode: 0o755 });
        if (session.uid !== null) await chown(dir, session.uid, session.uid);
      } else if (!st.isDirectory()) {
        throw new HttpError(forWrite ? 400 : 404, forWrite ? `${rel}: a parent is not a directory` : 'file not found');
      }
    }
    const target = join(session.dir, rel);
    const flags = forWrite ? fsc.O_WRONLY | fsc.O_CREAT | fsc.O_NOFOLLOW : fsc.O_RDONLY | fsc.O_NOFOLLOW;
    let handle;
    try {
      handle = await open(target, flags, 0o644);
    } catch (err) {
      if (err.code === 'ENOENT' && !forWrite) throw new HttpError(404, 'file not found');
      if (err.code === 'ELOOP') throw new HttpError(forWrite ? 400 : 404, forWrite ? `${rel} is a symlink` : 'file not found');
      if (err.code === 'EISDIR') throw new HttpError(forWrite ? 400 : 404, `${rel} is a directory`);
      throw err;
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new HttpError(forWrite ? 400 : 404, `${rel} is not a regular file`);
      if (existsSync('/proc/self/fd')) {
        const real = await readlink(`/proc/self/fd/${handle.fd}`);
        if (!isInside(real, session.dir) || real === session.dir) throw new HttpError(400, 'file path escapes the session directory');
      }
      return handle;
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  function authorized(req) {
    if (!token) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function health() {
    return {
      ok: true,
      python: info.python,
      packages: info.packages,
      isolation: isolation.mode,
      ...(isolation.warning ? { warning: isolation.warning } : {}),
      sessions: sessions.size,
    };
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/health' && req.method === 'GET') return jsonResponse(res, 200, health());
    if (!authorized(req)) throw new HttpError(401, 'missing or wrong bearer token');
    const m = /^\/sessions\/([^/]+)(\/execute|\/files\/(.+))?$/.exec(path);
    if (!m) throw new HttpError(404, `no route for ${req.method} ${path}`);
    let id;
    let rel = '';
    try {
      id = decodeURIComponent(m[1]);
      if (m[3]) rel = m[3].split('/').map(decodeURIComponent).join('/');
    } catch {
      throw new HttpError(400, 'malformed URL encoding');
    }
    if (!SESSION_ID.test(id)) throw new HttpError(400, 'invalid session id');

    if (m[2] === '/execute') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      const body = await readJsonBody(req, 16 * 1024 ** 2);
      if (typeof body?.code !== 'string') throw new HttpError(400, '`code` must be a string');
      const requested = body.timeout_ms ?? timeouts.defaultMs;
      if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) throw new HttpError(400, '`timeout_ms` must be a positive number');
      const timeoutMs = Math.min(requested, timeouts.maxMs);
      const session = await getSession(id, true);
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      session.busy++;
      try {
        const result = await exclusive(session, () => {
          if (session.deleted) throw new HttpError(409, 'the session was deleted');
          return execute(session, body.code, timeoutMs, gone.signal);
        });
        return jsonResponse(res, 200, result);
      } finally {
        session.busy--;
        session.lastUsed = Date.now();
      }
    }

    if (m[3]) {
      if (req.method === 'PUT') {
        const session = await getSession(id, true);
        session.busy++;
        try {
          const handle = await openInSession(session, rel, true);
          try {
            await handle.truncate(0);
            if (session.uid !== null) await handle.chown(session.uid, session.uid);
            let size = 0;
            const out = createWriteStream('', { fd: handle }); // closes the handle when done
            await pipeline(
              req,
              async function* (source) {
                for await (const chunk of source) {
                  size += chunk.length;
                  if (size > maxUploadBytes) throw new HttpError(413, `file larger than ${maxUploadBytes} bytes`);
                  yield chunk;
                }
              },
              out,
            );
          } finally {
            await handle.close().catch(() => {});
          }
          res.writeHead(204).end();
          return;
        } finally {
          session.busy--;
          session.lastUsed = Date.now();
        }
      }
      if (req.method === 'GET') {
        const session = await getSession(id, false);
        if (!session) throw new HttpError(404, 'file not found');
        session.lastUsed = Date.now();
        const handle = await openInSession(session, rel, false);
        const { size } = await handle.stat();
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
        await pipeline(createReadStream('', { fd: handle, autoClose: true }), res);
        return;
      }
      throw new HttpError(405, 'use PUT or GET');
    }

    if (req.method === 'DELETE') {
      const session = sessions.get(id);
      if (session) await endSession(session);
      else await rm(join(baseDirReal, id), { recursive: true, force: true });
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, 'use DELETE');
  }

  async function endSession(session) {
    session.deleted = true;
    sessions.delete(session.id);
    await stopSession(session);
    await rm(session.dir, { recursive: true, force: true });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) log(`code executor: ${req.method} ${req.url}: ${err?.stack ?? err}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      req.resume();
      jsonResponse(res, status, { error: { message: err?.message ?? String(err) } });
    });
  });

  const reaper = setInterval(
    () => {
      const now = Date.now();
      for (const session of [...sessions.values()]) {
        if (session.busy === 0 && now - session.lastUsed > timeouts.idleMs) {
          endSession(session).catch((err) => log(`code executor: reaping ${session.id}: ${err}`));
        }
      }
    },
    Math.max(250, Math.min(60_000, Math.floor(timeouts.idleMs / 4))),
  );
  reaper.unref();

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address = server.address();
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    url,
    port: address.port,
    isolation: isolation.mode,
    warning: isolation.warning,
    python,
    baseDir: baseDirReal,
    health,
    /** Stops every session, the server, and removes the base directory if it was created here. */
    async close() {
      clearInterval(reaper);
      await Promise.all([...sessions.values()].map((s) => endSession(s).catch(() => {})));
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r()));
      if (ownBaseDir) await rm(baseDirReal, { recursive: true, force: true });
    },
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = parseArgs(process.argv.slice(2));
  const num = (v) => (v === undefined ? undefined : Number(v));
  const executor = await startCodeExecutor({
    port: num(args.port) ?? 0,
    host: args.host,
    python: args.python,
    baseDir: args['base-dir'],
    token: process.env.CODE_EXECUTOR_TOKEN,
    memoryBytes: args['memory-mb'] ? Number(args['memory-mb']) * 1024 ** 2 : undefined,
    isolation: args.isolation,
    timeouts: {
      ...(args['timeout-ms'] ? { defaultMs: Number(args['timeout-ms']) } : {}),
      ...(args['idle-ms'] ? { idleMs: Number(args['idle-ms']) } : {}),
    },
  }).catch((err) => {
    console.error(`code executor: ${err.message}`);
    process.exit(1);
  });
  const h = executor.health();
  console.error(
    `code executor: python ${h.python} (${executor.python}); numpy ${h.packages.numpy ?? 'missing'}, pandas ${h.packages.pandas ?? 'missing'}, ` +
      `matplotlib ${h.packages.matplotlib ?? 'missing'}; isolation: ${h.isolation}`,
  );
  console.log(`listening ${executor.url}`);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      executor.close().finally(() => process.exit(0));
    });
  }
}
