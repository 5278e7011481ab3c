// A local stand-in for the part of the Sandbox SDK's stub (`@cloudflare/sandbox` 0.12) that
// SandboxCodeExecutor uses. Docker and Cloudflare Containers are not available here, so the
// "container" is a temporary directory and each code context a real Python process with a small
// IPython-like REPL (state kept, last expression returned as a text result, errors as
// {name, message, traceback}), shaped like the SDK's ExecutionResult. The container's /mnt/data is
// the directory `dataDir`: paths are mapped by rewriting `/mnt/data` in the code (the adapter's
// helpers name it literally).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CodeContext, CreateContextOptions, ExecutionResult, RunCodeOptions } from '@cloudflare/sandbox';
import type { SandboxStub } from '../../../src/adapters/code/sandbox';

const REPL = String.raw`
import ast, io, json, sys, traceback, contextlib
ns = {"__name__": "__main__", "__builtins__": __builtins__}
for line in sys.stdin:
    code = json.loads(line)["code"]
    out, err = io.StringIO(), io.StringIO()
    results, error = [], None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            tree = ast.parse(code)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, "<cell>", "exec"), ns)
            if last is not None:
                value = eval(compile(last, "<cell>", "eval"), ns)
                if value is not None:
                    results.append({"text": repr(value)})
        except BaseException as e:
            error = {"name": type(e).__name__, "message": str(e),
                     "traceback": ["\x1b[0;31m" + l.rstrip("\n") + "\x1b[0m" for l in traceback.format_exception(e)]}
    sys.__stdout__.write(json.dumps({"stdout": out.getvalue(), "stderr": err.getvalue(), "results": results, "error": error}) + "\n")
    sys.__stdout__.flush()
`;

interface Context {
  info: CodeContext;
  child: ChildProcess;
  pending: ((line: string) => void)[];
}

export class SandboxStandIn implements SandboxStub {
  readonly calls: string[] = [];
  /** Makes every call throw this (an unreachable container). */
  failWith: Error | undefined;
  root: string;
  private contexts = new Map<string, Context>();
  private next = 1;

  constructor(private readonly python: string) {
    this.root = mkdtempSync(join(tmpdir(), 'sandbox-stand-in-'));
  }

  get dataDir(): string {
    return join(this.root, 'mnt-data');
  }

  private map(path: string): string {
    if (path === '/mnt/data' || path.startsWith('/mnt/data/')) return this.dataDir + path.slice('/mnt/data'.length);
    return join(this.root, 'fs', path);
  }

  private enter(name: string): void {
    this.calls.push(name);
    if (this.failWith) throw this.failWith;
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown> {
    this.enter('mkdir');
    mkdirSync(this.map(path), { recursive: options?.recursive });
    return { success: true };
  }

  async writeFile(path: string, content: string, options?: { encoding?: string }): Promise<unknown> {
    this.enter('writeFile');
    const target = this.map(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, options?.encoding === 'base64' ? Buffer.from(content, 'base64') : content);
    return { success: true };
  }

  async readFile(path: string, options?: { encoding?: 'utf-8' | 'base64' }): Promise<{ content: string; encoding?: 'utf-8' | 'base64' }> {
    this.enter('readFile');
    const target = this.map(path);
    if (!existsSync(target)) throw new Error(`File not found: ${path}`);
    const bytes = readFileSync(target);
    return options?.encoding === 'base64' ? { content: bytes.toString('base64'), encoding: 'base64' } : { content: bytes.toString('utf8'), encoding: 'utf-8' };
  }

  async deleteFile(path: string): Promise<unknown> {
    this.enter('deleteFile');
    unlinkSync(this.map(path));
    return { success: true };
  }

  async createCodeContext(options: CreateContextOptions = {}): Promise<CodeContext> {
    this.enter('createCodeContext');
    const id = `ctx-${this.next++}`;
    const cwd = options.cwd ?? '/workspace';
    mkdirSync(this.map(cwd), { recursive: true });
    const child = spawn(this.python, ['-I', '-u', '-c', REPL], {
      cwd: this.map(cwd),
      env: { PATH: '/usr/bin:/bin', HOME: this.map(cwd), MPLCONFIGDIR: join(this.root, 'mpl'), ...(options.envVars as Record<string, string>) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const context: Context = {
      info: { id, language: options.language ?? 'python', cwd, createdAt: new Date(), lastUsed: new Date() },
      child,
      pending: [],
    };
    createInterface({ input: child.stdout! }).on('line', (line) => context.pending.shift()?.(line));
    child.stdin!.on('error', () => {});
    this.contexts.set(id, context);
    return context.info;
  }

  async listCodeContexts(): Promise<CodeContext[]> {
    this.enter('listCodeContexts');
    return [...this.contexts.values()].map((c) => c.info);
  }

  async runCode(code: string, options: RunCodeOptions = {}): Promise<ExecutionResult> {
    this.enter('runCode');
    const context = options.context ? this.contexts.get(options.context.id) : undefined;
    if (!context) throw new Error(`Context ${options.context?.id} not found`);
    const mapped = code.split('/mnt/data').join(this.dataDir);
    const line = await new Promise<string>((resolve, reject) => {
      const onExit = () => reject(new Error('Context process exited'));
      context.child.once('exit', onExit);
      context.pending.push((answer) => {
        context.child.off('exit', onExit);
        resolve(answer);
      });
      context.child.stdin!.write(`${JSON.stringify({ code: mapped })}\n`);
    });
    const r = JSON.parse(line) as { stdout: string; stderr: string; results: { text: string }[]; error: ExecutionResult['error'] | null };
    return {
      code,
      logs: { stdout: r.stdout ? [r.stdout] : [], stderr: r.stderr ? [r.stderr] : [] },
      ...(r.error ? { error: r.error } : {}),
      results: r.results,
    };
  }

  async deleteCodeContext(contextId: string): Promise<void> {
    this.enter('deleteCodeContext');
    const context = this.contexts.get(contextId);
    this.contexts.delete(contextId);
    context?.child.kill('SIGKILL');
  }

  async destroy(): Promise<void> {
    this.enter('destroy');
    this.dispose();
    this.root = mkdtempSync(join(tmpdir(), 'sandbox-stand-in-'));
  }

  /** Test clean-up: stops the processes and removes the directory. */
  dispose(): void {
    for (const c of this.contexts.values()) c.child.kill('SIGKILL');
    this.contexts.clear();
    rmSync(this.root, { recursive: true, force: true });
  }
}
