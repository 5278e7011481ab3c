// Types of server.mjs (plain Node ESM) for the TypeScript that starts it: tests and global setup.

export type Isolation = 'namespaces' | 'userns' | 'none';

export interface CodeExecutorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: findPython(). */
  python?: string;
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
  maxUploadBytes?: number;
  maxLogChars?: number;
  /** Default 'auto': namespaces as root, else user namespaces, else none (with a warning). */
  isolation?: 'auto' | Isolation;
  /** Hidden from sessions; default this repository. */
  projectDir?: string;
  /** More directories to hide from sessions. */
  hide?: string[];
  /** Warnings; default stderr. */
  log?: (line: string) => void;
}

export interface Health {
  ok: true;
  python: string;
  packages: { numpy: string | null; pandas: string | null; matplotlib: string | null };
  isolation: Isolation;
  warning?: string;
  sessions: number;
}

export interface CodeExecutorServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  isolation: Isolation;
  warning?: string;
  /** The Python interpreter in use. */
  python: string;
  /** Sessions' directories: `<baseDir>/<session id>`. */
  baseDir: string;
  health(): Health;
  close(): Promise<void>;
}

export const DEFAULTS: {
  readonly memoryBytes: number;
  readonly maxFileBytes: number;
  readonly maxProcesses: number;
  readonly maxUploadBytes: number;
  readonly maxLogChars: number;
  readonly timeouts: { readonly defaultMs: number; readonly maxMs: number; readonly idleMs: number; readonly startupMs: number };
  readonly uidBase: number;
};

/** The Python to use (CODE_EXECUTOR_PYTHON, python3 on PATH, /usr/bin/python3), or null if none runs. */
export function findPython(): string | null;

export function startCodeExecutor(options?: CodeExecutorOptions): Promise<CodeExecutorServer>;
