// A code executor session's Python process (see sessions.mjs): runner.py started with the session's
// command, its JSON-lines protocol on stdout (lines capped), its start-up, its exit, and killing it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { secondsText } from './common.mjs';

/** Longest line the runner may send (a result line carries its PNG images in base64). */
const MAX_LINE_BYTES = 256 * 1024 ** 2;

/**
 * @typedef {{ child: import('node:child_process').ChildProcess, exited: boolean, exit: Promise<string>,
 *   ready: Promise<void>, listeners: Set<(m: any) => void>, stderr: string }} Proc
 */

/** How a process ended; a sandbox's PID 1 (a shell) reports a signal death as exit code 128 + n. */
function exitText(code, signal, sandboxed) {
  if (signal) return `signal ${signal}`;
  if (sandboxed && code > 128 && code <= 128 + 64) {
    const name = Object.keys(constants.signals).find((n) => constants.signals[n] === code - 128);
    if (name) return `signal ${name}`;
  }
  return `exit code ${code}`;
}

/**
 * Starts `session`'s Python process (`mode` the isolation mode, `commandFor(session)` its argv and
 * environment, `timeouts.startupMs` its start-up limit) and sets it as `session.proc`.
 */
export function startProcess(session, { mode, commandFor, timeouts }) {
  const { argv, env } = commandFor(session);
  const child = spawn(argv[0], argv.slice(1), {
    cwd: mode === 'none' ? session.dir : '/',
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group: a timeout kills the whole group
  });
  /** @type {Proc} */
  const proc = { child, exited: false, exit: Promise.resolve(''), ready: Promise.resolve(), listeners: new Set(), stderr: '' };
  proc.exit = new Promise((resolveExit) => {
    child.on('close', (code, signal) => {
      proc.exited = true;
      resolveExit(exitText(code, signal, mode !== 'none'));
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

/** Kills a process's whole group (its own, `detached`); nothing if it already exited. */
export function kill(proc) {
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
