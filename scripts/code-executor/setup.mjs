// Preparing the code executor's sandbox (see server.mjs): the limits, this executor's own uid range
// (uids.mjs), its base directory (sessions' directories), the isolation mode and the Python it uses
// (runtime.mjs, both tried for real), and the command and environment of a session's process.
import { readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from './common.mjs';
import { BASE_DIR_PREFIX, markOwner, removeLeftovers } from './datafs.mjs';
import { findTools, isolationOrder, sessionCommand, sessionEnv } from './isolation.mjs';
import { chooseRuntime } from './runtime.mjs';
import { claimUidRange } from './uids.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNNER_PATH = join(HERE, 'runner.py');
const DEFAULT_PROJECT_DIR = resolve(HERE, '..', '..');
/** The empty directory (in the base directory) each sandbox mounts its new root on, privately. */
const ROOT_MOUNT_POINT = '.root';

/**
 * Returns `{ runtime, uids, baseDir, ownBaseDir, limits, dataBytes, commandFor }` for the options of
 * startCodeExecutor; `commandFor(session)` is `{ argv, env }` of the session's Python process.
 * Logs a warning without a sandbox and the reason when no Python can run code.
 */
export async function prepareSandbox(options, log) {
  const runnerSource = readFileSync(RUNNER_PATH, 'utf8');
  const limits = {
    memoryBytes: options.memoryBytes,
    maxFileBytes: options.maxFileBytes ?? DEFAULTS.maxFileBytes,
    maxProcesses: options.maxProcesses ?? DEFAULTS.maxProcesses,
    cpuSeconds: options.cpuSeconds ?? DEFAULTS.cpuSeconds,
    tmpBytes: options.tmpBytes ?? DEFAULTS.tmpBytes,
  };
  const dataBytes = options.dataBytes ?? DEFAULTS.dataBytes;

  const tools = findTools();
  const requested = options.isolation ?? 'auto';
  const order = isolationOrder(requested, tools);
  const uids = order.includes('namespaces') ? claimUidRange({ dir: options.uidClaimsDir }) : null;
  const ownBaseDir = !options.baseDir;
  let baseDir;
  let runtime;
  try {
    // What an executor that was killed left behind (its sessions' tmpfs mounts) is removed first.
    if (uids) await removeLeftovers();
    const created = options.baseDir ? resolve(options.baseDir) : await mkdtemp(join(tmpdir(), BASE_DIR_PREFIX));
    await mkdir(created, { recursive: true, mode: 0o700 });
    baseDir = realpathSync(created);
    if (ownBaseDir) markOwner(baseDir);
    await mkdir(join(baseDir, ROOT_MOUNT_POINT), { recursive: true, mode: 0o700 });
    // Never visible to the code, whatever the interpreter's files: this checkout and every session.
    const forbidden = [realpathSync(options.projectDir ?? DEFAULT_PROJECT_DIR), baseDir, ...(options.hide ?? [])];
    runtime = chooseRuntime({ preferred: options.python, candidates: options.pythonCandidates, requested, order, tools, uid: uids?.first ?? null, limits, forbidden, log });
  } catch (err) {
    uids?.release();
    if (ownBaseDir && baseDir) await rm(baseDir, { recursive: true, force: true });
    throw err;
  }
  if (runtime.warning) log(`code executor WARNING: ${runtime.warning}`);
  if (runtime.error) log(`code executor: code_interpreter cannot run code: ${runtime.error}`);

  const threads = String(Math.max(1, Math.min(4, availableParallelism())));
  const config = JSON.stringify({ max_log_chars: options.maxLogChars });
  const commandFor = (session) => ({
    argv: sessionCommand({
      mode: runtime.mode, tools, plan: runtime.plan, ...limits,
      session: { dir: session.dir, uid: session.uid, root: join(baseDir, ROOT_MOUNT_POINT) },
      program: [runtime.python, '-I', '-B', '-u', '-c', runnerSource, config],
    }),
    env: sessionEnv(runtime.mode, session.dir, threads),
  });
  return { runtime, uids, baseDir, ownBaseDir, limits, dataBytes, commandFor };
}
