// The code executor's sessions (see server.mjs): one long-lived Python process each (runner.py),
// started on first use, spoken to in JSON lines; executions with their time limit, restarts, and
// idle expiry.
// The process itself (spawning it, the protocol's lines, start-up and kill) is in runner-process.mjs.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError, secondsText } from './common.mjs';
import { mountSessionData, unmountSessionData } from './datafs.mjs';
import { changedFiles, snapshot } from './files.mjs';
import { kill, startProcess } from './runner-process.mjs';

export const SESSION_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * @typedef {{ id: string, dir: string, uid: number | null, proc: Proc | null, lastUsed: number,
 *   queue: Promise<unknown>, restartNote: string | null, busy: number, deleted: boolean,
 *   dirReady: Promise<void> }} Session
 * @typedef {import('./runner-process.mjs').Proc} Proc
 */

/**
 * The sessions of one executor. `mode` is the isolation mode, `commandFor(session)` the argv and
 * environment of a session's Python process, `uids` ({first, size}) the executor's own range of
 * sandbox uids (`namespaces`), `dataBytes` the size of each session's /mnt/data (`namespaces`);
 * sessions idle longer than `timeouts.idleMs` are stopped and deleted.
 */
export function createSessions({ baseDir, mode, commandFor, uids, dataBytes, timeouts, memoryBytes, cpuSeconds, maxLogChars, log }) {
  /** @type {Map<string, Session>} */
  const sessions = new Map();
  let nextUid = 0;
  let nextExecution = 1;

  async function getSession(id, create) {
    if (!SESSION_ID.test(id)) throw new HttpError(400, 'invalid session id');
    let session = sessions.get(id);
    if (session) {
      await session.dirReady;
      return session;
    }
    const dir = join(baseDir, id);
    if (!create) return null;
    let uid = null;
    if (mode === 'namespaces') {
      const used = new Set([...sessions.values()].map((s) => s.uid));
      if (used.size >= uids.size) throw new HttpError(503, `too many sessions at once (${uids.size}); try again later`);
      do uid = uids.first + (nextUid++ % uids.size);
      while (used.has(uid));
    }
    // Registered before the first await, so concurrent requests for a new id share one session.
    session = { id, dir, uid, proc: null, lastUsed: Date.now(), queue: Promise.resolve(), restartNote: null, busy: 0, deleted: false, dirReady: Promise.resolve() };
    sessions.set(id, session);
    session.dirReady = (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (uid !== null) await mountSessionData(dir, dataBytes, uid);
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
      proc = startProcess(session, { mode, commandFor, timeouts });
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
      const hint = /SIGXCPU/.test(outcome.how)
        ? ` (it used up its CPU time limit of ${secondsText(cpuSeconds * 1000)})`
        : /SIGKILL|SIGSEGV|SIGABRT/.test(outcome.how)
          ? ` (possibly out of memory: the limit is ${Math.round(memoryBytes / 1024 ** 2)} MiB)`
          : '';
      parts.push(`\nThe Python process exited unexpectedly (${outcome.how})${hint}.\n`);
      session.restartNote = `[Note: this is a fresh Python interpreter: the previous one exited unexpectedly (${outcome.how}), so variables and imports from earlier calls are gone; files in /mnt/data are kept.]`;
    }
    const after = await snapshot(session.dir);
    const logs = [...notes.map((n) => `${n}\n`), ...parts].join('');
    return { status, logs, images, files: changedFiles(before, after) };
  }

  async function endSession(session) {
    session.deleted = true;
    sessions.delete(session.id);
    await stopSession(session);
    if (session.uid !== null) await unmountSessionData(session.dir);
    await rm(session.dir, { recursive: true, force: true });
  }

  /** Ends the session `id`, or deletes a leftover directory of that name when it is not running. */
  async function deleteSession(id) {
    const session = sessions.get(id);
    if (session) await endSession(session);
    else await rm(join(baseDir, id), { recursive: true, force: true });
  }

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

  return {
    get size() {
      return sessions.size;
    },
    getSession,
    exclusive,
    execute,
    deleteSession,
    /** Stops idle expiry and ends every session. */
    async close() {
      clearInterval(reaper);
      await Promise.all([...sessions.values()].map((s) => endSession(s).catch(() => {})));
    },
  };
}
