import type { CodeContext, CreateContextOptions, ExecutionResult, RunCodeOptions, Sandbox, SandboxOptions } from '@cloudflare/sandbox';
import { CodeExecutorUnavailableError, type CodeExecutionResult, type CodeExecutor } from '../../domain/ports';
import { base64ToBytes, bytesToBase64, CodeFileNotFoundError, normalizeSandboxPath, SANDBOX_DATA_DIR } from './common';
import { EPILOGUE, executionLogs, helperCell, parseReport, PROLOGUE } from './sandbox-cells';

/**
 * The CodeExecutor of production: Cloudflare's Sandbox SDK (`@cloudflare/sandbox` 0.12) on
 * Cloudflare Containers. One sandbox (container) per session, addressed by a hash of the session id;
 * in it one Python code context with cwd /mnt/data keeps the variables between executions.
 *
 * Each execution is three `runCode` calls in that context: a prologue (installs, once, a hook that
 * makes `plt.show()` save figures as PNG, and records the files under /mnt/data), the code itself,
 * and an epilogue (saves every figure still open, lists the files created or changed, and prints
 * both as one JSON line after a marker). The helpers run through `exec` in a namespace of their own,
 * so the user's variables are untouched. The SDK 0.12 does not forward `runCode`'s timeout to the
 * container, so the limit is enforced here: past it (or when `signal` aborts) the code context is
 * deleted, which stops its Python process, and the next execution creates a fresh one and says so.
 * Failures of the SDK or the container → CodeExecutorUnavailableError.
 *
 * The Worker must export the SDK's Durable Object class (`export { Sandbox } from '@cloudflare/sandbox'`
 * in src/index.ts) and wrangler.toml binds it as `SANDBOX` with its container image
 * (scripts/code-executor/container/Dockerfile: the SDK's `-python` image with numpy, pandas and
 * matplotlib).
 */

/** The part of the SDK's Sandbox stub this adapter uses (a stand-in implements it in unit tests). */
export interface SandboxStub {
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  writeFile(path: string, content: string, options?: { encoding?: string }): Promise<unknown>;
  readFile(path: string, options?: { encoding?: 'utf-8' | 'base64' }): Promise<{ content: string; encoding?: 'utf-8' | 'base64' }>;
  deleteFile(path: string): Promise<unknown>;
  createCodeContext(options?: CreateContextOptions): Promise<CodeContext>;
  listCodeContexts(): Promise<CodeContext[]>;
  runCode(code: string, options?: RunCodeOptions): Promise<ExecutionResult>;
  deleteCodeContext(contextId: string): Promise<void>;
  destroy(): Promise<void>;
}

// The real stub must satisfy the subset (checked by tsc, no runtime cost).
type AssertAssignable<T extends SandboxStub> = T;
export type SdkSandboxStub = AssertAssignable<Sandbox>;

/** `getSandbox` from `@cloudflare/sandbox`, or a stand-in. */
export type GetSandbox<N> = (namespace: N, id: string, options?: SandboxOptions) => SandboxStub;

export interface SandboxCodeExecutorOptions {
  /**
   * How long an idle sandbox keeps running (its variables and /mnt/data live as long as the
   * container): default `1h`, the lifetime of an OpenAI code interpreter session.
   */
  sleepAfter?: string | number;
  /** Time allowed for the prologue/epilogue around the code, and for file operations. Default 60 s. */
  overheadMs?: number;
}

const NOTE_PATH = '/tmp/assistants-edge-interpreter-note';

export class SandboxCodeExecutor<N> implements CodeExecutor {
  private readonly contexts = new Map<string, CodeContext>();
  private readonly sleepAfter: string | number;
  private readonly overheadMs: number;

  constructor(
    private readonly namespace: N,
    private readonly getSandbox: GetSandbox<N>,
    options: SandboxCodeExecutorOptions = {},
  ) {
    this.sleepAfter = options.sleepAfter ?? '1h';
    this.overheadMs = options.overheadMs ?? 60_000;
  }

  async execute(sessionId: string, code: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<CodeExecutionResult> {
    options.signal?.throwIfAborted();
    const sandbox = await this.sandbox(sessionId);
    const { context, note } = await this.unavailableOnFailure(() => this.context(sessionId, sandbox), 'start the Python interpreter');

    const helper = async (source: string, what: string) => {
      const result = await this.unavailableOnFailure(
        () => race(sandbox.runCode(helperCell(source), { context, timeout: this.overheadMs }), this.overheadMs, options.signal),
        what,
        options.signal,
      );
      if (result === 'timeout') throw new CodeExecutorUnavailableError(`The code sandbox did not ${what} within ${Math.round(this.overheadMs / 1000)} s`);
      if (result.error) throw new CodeExecutorUnavailableError(`The code sandbox could not ${what}: ${result.error.name}: ${result.error.message}`);
      return result;
    };

    await helper(PROLOGUE, 'prepare the execution');
    let outcome: ExecutionResult | 'timeout';
    try {
      outcome = await this.unavailableOnFailure(
        () => race(sandbox.runCode(code, { context, timeout: options.timeoutMs }), options.timeoutMs, options.signal),
        'run the code',
        options.signal,
      );
    } catch (err) {
      if (options.signal?.aborted) {
        await this.stopContext(sessionId, sandbox, context, 'the previous execution was cancelled');
      }
      throw err;
    }
    const notes = note ? [note] : [];
    if (outcome === 'timeout') {
      const limit = secondsText(options.timeoutMs);
      await this.stopContext(sessionId, sandbox, context, `the previous execution exceeded the time limit of ${limit} and was stopped`);
      return {
        status: 'timeout',
        logs: `${notes.map((n) => `${n}\n`).join('')}Execution timed out: it exceeded the time limit of ${limit} and was stopped.\n`,
        images: [],
        files: [],
      };
    }

    const epilogue = await helper(EPILOGUE, 'collect the results');
    const report = parseReport(epilogue.logs.stdout.join(''));
    const logs = [...notes.map((n) => `${n}\n`), executionLogs(outcome), ...report.errors.map((e) => `[${e}]\n`)].join('');
    const images = [
      ...outcome.results.map((r) => r.png).filter((png): png is string => typeof png === 'string' && png !== ''),
      ...report.images,
    ].map(base64ToBytes);
    return { status: outcome.error ? 'error' : 'ok', logs, images, files: report.files };
  }

  async writeFile(sessionId: string, path: string, bytes: Uint8Array): Promise<void> {
    const rel = normalizeSandboxPath(path);
    const sandbox = await this.sandbox(sessionId);
    const full = `${SANDBOX_DATA_DIR}/${rel}`;
    await this.unavailableOnFailure(async () => {
      await sandbox.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true });
      await sandbox.writeFile(full, bytesToBase64(bytes), { encoding: 'base64' });
    }, `write ${full}`);
  }

  async readFile(sessionId: string, path: string): Promise<Uint8Array> {
    const rel = normalizeSandboxPath(path);
    const sandbox = await this.sandbox(sessionId);
    const full = `${SANDBOX_DATA_DIR}/${rel}`;
    let file: { content: string; encoding?: string };
    try {
      file = await sandbox.readFile(full, { encoding: 'base64' });
    } catch (err) {
      // DO RPC drops custom error properties (docs/platform-limits.md §6): recognise "not found" by its message.
      if (/not[ _-]?found|no such file|ENOENT/i.test(describe(err))) throw new CodeFileNotFoundError(`No such file in the sandbox: ${full}`);
      throw new CodeExecutorUnavailableError(`The code sandbox could not read ${full}: ${describe(err)}`);
    }
    return file.encoding === 'utf-8' ? new TextEncoder().encode(file.content) : base64ToBytes(file.content);
  }

  async endSession(sessionId: string): Promise<void> {
    this.contexts.delete(sessionId);
    const sandbox = await this.sandbox(sessionId);
    await this.unavailableOnFailure(() => sandbox.destroy(), 'stop the sandbox');
  }

  /** A fresh stub per call: a Durable Object stub that threw may be unusable (docs/platform-limits.md §6). */
  private async sandbox(sessionId: string): Promise<SandboxStub> {
    return this.getSandbox(this.namespace, await sandboxId(sessionId), { sleepAfter: this.sleepAfter });
  }

  /** The session's Python context: cached, else found in the sandbox, else created (with a note if it replaces one). */
  private async context(sessionId: string, sandbox: SandboxStub): Promise<{ context: CodeContext; note?: string }> {
    const cached = this.contexts.get(sessionId);
    if (cached) return { context: cached };
    const existing = (await sandbox.listCodeContexts()).find((c) => c.language === 'python' && c.cwd === SANDBOX_DATA_DIR);
    if (existing) {
      this.contexts.set(sessionId, existing);
      return { context: existing };
    }
    await sandbox.mkdir(SANDBOX_DATA_DIR, { recursive: true });
    const context = await sandbox.createCodeContext({ language: 'python', cwd: SANDBOX_DATA_DIR, envVars: { MPLBACKEND: 'Agg' } });
    this.contexts.set(sessionId, context);
    // A note left by stopContext (this or an earlier Worker invocation) says why state was lost.
    let note: string | undefined;
    try {
      const left = await sandbox.readFile(NOTE_PATH, { encoding: 'utf-8' });
      note = left.content.trim() || undefined;
      await sandbox.deleteFile(NOTE_PATH).catch(() => {});
    } catch {
      // no note: the session's first interpreter
    }
    return { context, note };
  }

  /** Stops a context's Python process (deleting the context) and leaves a note for the next execution. */
  private async stopContext(sessionId: string, sandbox: SandboxStub, context: CodeContext, why: string): Promise<void> {
    this.contexts.delete(sessionId);
    const note = `[Note: this is a fresh Python interpreter: ${why}, so variables and imports from earlier calls are gone; files in ${SANDBOX_DATA_DIR} are kept.]`;
    await Promise.allSettled([sandbox.deleteCodeContext(context.id), sandbox.writeFile(NOTE_PATH, note, { encoding: 'utf-8' })]);
  }

  private async unavailableOnFailure<T>(fn: () => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CodeExecutorUnavailableError || signal?.aborted || isAbort(err)) throw err;
      throw new CodeExecutorUnavailableError(`The code sandbox could not ${what}: ${describe(err)}`);
    }
  }
}

/** `runCode`'s result, or 'timeout' after `ms`; rejects with the signal's reason when it aborts. */
function race<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | 'timeout'> {
  return new Promise<T | 'timeout'>((resolve, reject) => {
    const onAbort = () => {
      cleanup();
      reject(signal?.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve('timeout');
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (err: unknown) => {
        cleanup();
        reject(err);
      },
    );
  });
}

/** Sandbox ids are DNS-like (1-63 characters); a hash keeps distinct session ids distinct. */
async function sandboxId(sessionId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sessionId)));
  return `ci-${[...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function secondsText(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? '' : 's'}`;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
