// Shared by the code executor's modules (see server.mjs): defaults, the clean PATH, path helpers and
// the error type that carries an HTTP status.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve, sep } from 'node:path';

export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const GiB = 1024 ** 3;

export const DEFAULTS = Object.freeze({
  memoryBytes: 1 * GiB,
  /** RLIMIT_FSIZE: the largest file the code may write. */
  maxFileBytes: 1 * GiB,
  /** RLIMIT_NPROC for the session's uid (threads count: numpy's BLAS starts some). */
  maxProcesses: 512,
  /** Size of a session's /mnt/data (a tmpfs of its own, `namespaces` isolation). */
  dataBytes: 1 * GiB,
  /** Size of a session's private /tmp (a tmpfs inside the sandbox). */
  tmpBytes: 512 * 1024 ** 2,
  /**
   * RLIMIT_CPU of a session's interpreter: CPU seconds over its whole life, a backstop should a
   * process outlive the executor. Past it the interpreter is restarted (files are kept).
   */
  cpuSeconds: 30 * 60,
  maxUploadBytes: 512 * 1024 ** 2,
  maxLogChars: 200_000,
  timeouts: Object.freeze({ defaultMs: 30_000, maxMs: 10 * 60_000, idleMs: 60 * 60_000, startupMs: 30_000 }),
  /** First uid of the sandbox users (`namespaces` isolation; each executor claims a range above it: uids.mjs). */
  uidBase: 1_900_000_000,
});

export function which(command) {
  if (command.includes('/')) return existsSync(command) ? resolve(command) : null;
  for (const dir of (process.env.PATH ?? SAFE_PATH).split(delimiter).concat(SAFE_PATH.split(':'))) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

export function isInside(child, parent) {
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child === parent || child.startsWith(p);
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function secondsText(ms) {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? '' : 's'}`;
}
