// Sandbox uids (`namespaces` isolation): every executor process claims a range of its own, so two
// executors on one host never share a uid. Sharing one made code runs fail at random ("can't start
// new thread"): RLIMIT_NPROC counts the processes and threads of a uid across the whole machine.
// A claim is a file created exclusively in a root-only directory, holding the owner's pid; the claim
// of a process that no longer exists is taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from './common.mjs';

/** Uids per executor: the most sessions one executor runs at a time. */
export const UID_RANGE_SIZE = 1024;
/** The highest usable uid (2^32 - 1 is "no uid" to the kernel; keep a margin below it). */
const LAST_UID = 4_294_967_294 - 1;
const SLOTS = Math.floor((LAST_UID - DEFAULTS.uidBase) / UID_RANGE_SIZE);

/** The directory that holds claims: /run (root-only, emptied at boot) when usable, else under tmpdir. */
function claimsDir(override) {
  const candidates = override ? [override] : ['/run/assistants-edge-code', join(tmpdir(), `assistants-edge-code-uids-${process.getuid?.() ?? 0}`)];
  let lastError;
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = lstatSync(dir);
      // Anybody else able to write here could forge or remove claims.
      if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
        throw new Error(`${dir} must be a directory owned by this user and writable by nobody else`);
      }
      return dir;
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`no directory for sandbox uid claims: ${lastError?.message ?? lastError}`);
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function readClaim(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Creates `file` with `content` unless it exists; true when this call created it. */
function createExclusive(file, content) {
  let fd;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if (err.code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes the claim `file` if its owner no longer runs; true when it did. The claim is moved aside
 * atomically first, so of two executors taking over the same claim only one removes it.
 */
function removeIfStale(file) {
  const existing = readClaim(file);
  if (existing === null || alive(Number(existing.split(' ')[0]))) return false;
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readClaim(aside);
  if (moved !== existing && moved !== null) {
    // Another taker re-created the claim between the read and the rename: put it back.
    createExclusive(file, moved);
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

/**
 * Claims a free range of UID_RANGE_SIZE sandbox uids for this executor. Returns `{ first, size,
 * release() }`; `release` (also run when the process exits) gives the range back.
 */
export function claimUidRange({ dir: override } = {}) {
  const dir = claimsDir(override);
  // Claims of executors that were killed (no exit handler ran) are swept, so the directory stays small.
  for (const name of readdirSync(dir)) if (/^range-\d+$/.test(name)) removeIfStale(join(dir, name));
  const content = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const start = process.pid % SLOTS;
  for (let i = 0; i < SLOTS; i++) {
    const slot = (start + i) % SLOTS;
    const file = join(dir, `range-${slot}`);
    let claimed = createExclusive(file, content);
    if (!claimed && removeIfStale(file)) claimed = createExclusive(file, content);
    if (!claimed) continue;
    const release = () => {
      if (readClaim(file) === content) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
      process.off('exit', release);
    };
    process.on('exit', release);
    return { first: DEFAULTS.uidBase + slot * UID_RANGE_SIZE, size: UID_RANGE_SIZE, release };
  }
  throw new Error(`every range of sandbox uids is claimed (${dir})`);
}
