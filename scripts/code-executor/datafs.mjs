// The size limit of /mnt/data (`namespaces` isolation): each session's directory is a tmpfs of its
// own, mounted by the executor (root) on the host, so the code cannot fill the host's disk and the
// executor still reads and writes the files directly. An executor that was killed cannot unmount its
// sessions; the next one to start removes what a dead executor left behind.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SAFE_PATH, isInside } from './common.mjs';

const run = promisify(execFile);
const OWNER_FILE = '.owner';
/** Prefix of the base directories executors create under the temporary directory. */
export const BASE_DIR_PREFIX = 'assistants-edge-code-';

/** Mounts a tmpfs of `bytes` owned by `uid` on the session directory `dir` (which exists, empty). */
export async function mountSessionData(dir, bytes, uid) {
  const options = `size=${bytes},mode=700,uid=${uid},gid=${uid},nosuid,nodev`;
  await run('mount', ['-t', 'tmpfs', '-o', options, 'assistants-edge-data', dir], { env: { PATH: SAFE_PATH } });
}

/** Unmounts the session's tmpfs (lazily: a process still holding it does not block the deletion). */
export async function unmountSessionData(dir) {
  await run('umount', ['-l', dir], { env: { PATH: SAFE_PATH } }).catch(() => {});
}

/** Marks `baseDir` as owned by this process (see removeLeftovers). */
export function markOwner(baseDir) {
  writeFileSync(join(baseDir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
}

/** Mount points under `dir` (from this process's mount table), deepest first. */
function mountsUnder(dir) {
  const points = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    const point = field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
    if (isInside(point, dir)) points.push(point);
  }
  return points.sort((a, b) => b.length - a.length);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Removes the base directories (under `parent`) of executors that no longer run: their session
 * tmpfs mounts first, then the files. Returns the directories removed.
 */
export async function removeLeftovers(parent = tmpdir()) {
  const removed = [];
  let entries = [];
  try {
    entries = readdirSync(parent).filter((name) => name.startsWith(BASE_DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const dir = join(parent, name);
    let pid;
    try {
      pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8').trim());
    } catch {
      continue; // not an executor's base directory, or one still being set up
    }
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    for (const point of mountsUnder(dir)) await run('umount', ['-l', point], { env: { PATH: SAFE_PATH } }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
