// Types of server.mjs (plain Node ESM) for the TypeScript that starts it: tests and global setup.

export type Isolation = 'namespaces' | 'userns' | 'none';

export interface CodeExecutorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Tried first (then CODE_EXECUTOR_PYTHON, python3 on PATH, /usr/bin/python3): the first that imports
   * numpy, pandas and matplotlib inside the sandbox is used. */
  python?: string;
  /** The interpreters to try instead of that list, in order. */
  pythonCandidates?: string[];
  /** Where sessions' directories live; default a new temporary directory, removed on close(). */
  baseDir?: string;
  /** When set, every request but GET /health needs `Authorization: Bearer <token>`. */
  token?: string;
  timeouts?: {
    /** Execution limit when the request gives none (default 30 s). */
    defaultMs?: number;
    /** Upper bound for a request's `timeout_ms` (default 10 min). */
    maxMs?: number;
    /** Idle sessions are stopped and deleted after this (default 1 h). */
    idleMs?: number;
    /** Interpreter start-up limit (default 30 s). */
    startupMs?: number;
  };
  /** RLIMIT_AS of a session's process (default 1 GiB). */
  memoryBytes?: number;
  /** RLIMIT_FSIZE (default 1 GiB). */
  maxFileBytes?: number;
  /** RLIMIT_NPROC of a session's uid (default 512). */
  maxProcesses?: number;
  /** Size of each session's /mnt/data, a tmpfs of its own (`namespaces` isolation; default 1 GiB). */
  dataBytes?: number;
  /** Size of each session's private /tmp (default 512 MiB). */
  tmpBytes?: number;
  /** RLIMIT_CPU of a session's interpreter over its life (default 30 min); past it, a fresh one. */
  cpuSeconds?: number;
  /** Where executors claim their sandbox uid ranges (default /run/assistants-edge-code). */
  uidClaimsDir?: string;
  maxUploadBytes?: number;
  maxLogChars?: number;
  /** Default 'auto': namespaces as root, else user namespaces, else none (with a warning). */
  isolation?: 'auto' | Isolation;
  /** Never visible to sessions (an interpreter whose files include it is refused); default this repository. */
  projectDir?: string;
  /** More directories that must never be visible to sessions. */
  hide?: string[];
  /** Warnings; default stderr. */
  log?: (line: string) => void;
}

export interface Health {
  /** false when no Python works in the sandbox: `error` says why, and session routes answer 503. */
  ok: boolean;
  python: string | null;
  packages: { numpy: string | null; pandas: string | null; matplotlib: string | null };
  isolation: Isolation;
  warning?: string;
  error?: string;
  sessions: number;
}

export interface CodeExecutorServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  isolation: Isolation;
  warning?: string;
  /** Why no code can run (no Python works in the sandbox); session routes then answer 503. */
  error?: string;
  /** The Python interpreter in use (its real executable), null with `error`. */
  python: string | null;
  /** This executor's own sandbox uids (`namespaces`), never shared with another executor. */
  uids: { first: number; size: number } | null;
  /** Sessions' directories: `<baseDir>/<session id>`. */
  baseDir: string;
  health(): Health;
  close(): Promise<void>;
}

export const DEFAULTS: {
  readonly memoryBytes: number;
  readonly maxFileBytes: number;
  readonly maxProcesses: number;
  readonly dataBytes: number;
  readonly tmpBytes: number;
  readonly cpuSeconds: number;
  readonly maxUploadBytes: number;
  readonly maxLogChars: number;
  readonly timeouts: { readonly defaultMs: number; readonly maxMs: number; readonly idleMs: number; readonly startupMs: number };
  readonly uidBase: number;
};

/**
 * The real executable (never a launcher shim) of the first of CODE_EXECUTOR_PYTHON, python3 on PATH,
 * /usr/bin/python3 that has numpy, pandas and matplotlib, else of the first that runs; null if none runs.
 */
export function findPython(): string | null;

export function startCodeExecutor(options?: CodeExecutorOptions): Promise<CodeExecutorServer>;
