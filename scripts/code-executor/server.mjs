#!/usr/bin/env node
// The local code executor: sandboxed Python sessions for the code_interpreter tool in dev and tests
// (production uses Cloudflare Containers through the Sandbox SDK, src/adapters/code/sandbox.ts).
// Plain Node ESM, no dependencies, no build step.
//
//   node scripts/code-executor/server.mjs [--port 0] [--host 127.0.0.1] [--python /usr/bin/python3]
//        [--base-dir DIR] [--memory-mb 1024] [--data-mb 1024] [--cpu-seconds 1800]
//        [--timeout-ms 30000] [--idle-ms 3600000]
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
//                                     isolation, warning?, error?, sessions}
//   With no Python that works inside the sandbox the executor still starts, says why (stderr and
//   /health `error`) and answers every session route 503 with that reason (the run's last_error).
//
// A session is one long-lived Python process (scripts/code-executor/runner.py), started on first
// use, so variables persist between executions, inside a sandbox: isolation.mjs says what it is made of.
// Every execution has a wall-clock limit: past it the session's whole process group is killed, the
// answer is status `timeout`, and the next execution starts a fresh interpreter and says so.
// Sessions idle longer than `idleMs` (default one hour) are stopped and their directories deleted.
//
// This file: the HTTP routes, startCodeExecutor and the command line. The rest lives beside it:
// setup.mjs (preparing the sandbox), sessions.mjs (sessions and the runner protocol), isolation.mjs
// (the sandbox's command), rootfs.mjs (its filesystem), runtime.mjs (choosing the mode and the
// Python), python.mjs (Python candidates and probes), uids.mjs (uid ranges), datafs.mjs (/mnt/data
// tmpfs), files.mjs (session files), common.mjs (defaults and shared helpers).
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { DEFAULTS, HttpError } from './common.mjs';
import { openInSession, writeSessionFile } from './files.mjs';
import { findPython } from './python.mjs';
import { SESSION_ID, createSessions } from './sessions.mjs';
import { prepareSandbox } from './setup.mjs';

export { DEFAULTS, findPython };

function jsonResponse(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
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

/**
 * Starts the executor's HTTP server. Options (server.d.mts): `port` (0 = any), `host` (127.0.0.1),
 * `python` (tried first) or `pythonCandidates`, `baseDir` (sessions' directories; default a new
 * temporary directory, removed on close), `token`, `timeouts` ({defaultMs, maxMs, idleMs,
 * startupMs}), limits (`memoryBytes`, `dataBytes`, `tmpBytes`, `cpuSeconds`, ...), `isolation`
 * ('auto' | 'namespaces' | 'userns' | 'none'), `projectDir` and `hide` (never visible to sessions),
 * `log` (warnings; default stderr).
 */
export async function startCodeExecutor(options = {}) {
  const log = options.log ?? ((line) => console.error(line));
  const timeouts = { ...DEFAULTS.timeouts, ...(options.timeouts ?? {}) };
  const memoryBytes = options.memoryBytes ?? DEFAULTS.memoryBytes;
  const maxLogChars = options.maxLogChars ?? DEFAULTS.maxLogChars;
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULTS.maxUploadBytes;
  const token = options.token || undefined;

  const { runtime, uids, baseDir: baseDirReal, ownBaseDir, limits, dataBytes, commandFor } = await prepareSandbox({ ...options, memoryBytes, maxLogChars }, log);
  const sessions = createSessions({ baseDir: baseDirReal, mode: runtime.mode, commandFor, uids, dataBytes, timeouts, memoryBytes, cpuSeconds: limits.cpuSeconds, maxLogChars, log });
  /** Without a working Python every session route answers this (the worker shows it in last_error). */
  const unavailable = () => new HttpError(503, `the code executor cannot run code: ${runtime.error}`);

  function authorized(req) {
    if (!token) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function health() {
    return {
      ok: !runtime.error,
      python: runtime.info?.python ?? null,
      packages: runtime.info?.packages ?? { numpy: null, pandas: null, matplotlib: null },
      isolation: runtime.mode,
      ...(runtime.warning ? { warning: runtime.warning } : {}),
      ...(runtime.error ? { error: runtime.error } : {}),
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
    if (runtime.error && req.method !== 'DELETE') throw unavailable();

    if (m[2] === '/execute') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      const body = await readJsonBody(req, 16 * 1024 ** 2);
      if (typeof body?.code !== 'string') throw new HttpError(400, '`code` must be a string');
      const requested = body.timeout_ms ?? timeouts.defaultMs;
      if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) throw new HttpError(400, '`timeout_ms` must be a positive number');
      const timeoutMs = Math.min(requested, timeouts.maxMs);
      const session = await sessions.getSession(id, true);
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      session.busy++;
      try {
        const result = await sessions.exclusive(session, () => {
          if (session.deleted) throw new HttpError(409, 'the session was deleted');
          return sessions.execute(session, body.code, timeoutMs, gone.signal);
        });
        return jsonResponse(res, 200, result);
      } finally {
        session.busy--;
        session.lastUsed = Date.now();
      }
    }

    if (m[3]) {
      if (req.method === 'PUT') {
        const session = await sessions.getSession(id, true);
        session.busy++;
        try {
          await writeSessionFile(session, rel, req, maxUploadBytes);
          res.writeHead(204).end();
          return;
        } finally {
          session.busy--;
          session.lastUsed = Date.now();
        }
      }
      if (req.method === 'GET') {
        const session = await sessions.getSession(id, false);
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
      await sessions.deleteSession(id);
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, 'use DELETE');
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
    isolation: runtime.mode,
    warning: runtime.warning,
    error: runtime.error,
    python: runtime.python,
    baseDir: baseDirReal,
    uids: uids ? { first: uids.first, size: uids.size } : null,
    health,
    /** Stops every session, the server, and removes the base directory if it was created here. */
    async close() {
      await sessions.close();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r()));
      if (ownBaseDir) await rm(baseDirReal, { recursive: true, force: true });
      uids?.release();
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
    dataBytes: args['data-mb'] ? Number(args['data-mb']) * 1024 ** 2 : undefined,
    cpuSeconds: num(args['cpu-seconds']),
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
    h.error
      ? `code executor: cannot run code: ${h.error}; isolation: ${h.isolation}`
      : `code executor: python ${h.python} (${executor.python}); numpy ${h.packages.numpy ?? 'missing'}, pandas ${h.packages.pandas ?? 'missing'}, ` +
          `matplotlib ${h.packages.matplotlib ?? 'missing'}; isolation: ${h.isolation}`,
  );
  console.log(`listening ${executor.url}`);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      executor.close().finally(() => process.exit(0));
    });
  }
}
