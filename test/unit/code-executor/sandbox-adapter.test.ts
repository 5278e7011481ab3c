// SandboxCodeExecutor (src/adapters/code/sandbox.ts), the production adapter over Cloudflare's
// Sandbox SDK, against a local stand-in for the SDK's stub (test/unit/code-executor/sandbox-stand-in.ts):
// Docker and Cloudflare Containers are not available here. The stand-in runs real Python, so the
// adapter's prologue/epilogue helpers (figures, changed files) are exercised for real.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeFileNotFoundError } from '../../../src/adapters/code/common';
import { SandboxCodeExecutor, type GetSandbox } from '../../../src/adapters/code/sandbox';
import { CodeExecutorUnavailableError } from '../../../src/domain/ports';
import { PNG_SIGNATURE, PYTHON, requirePython } from './helpers';
import { SandboxStandIn } from './sandbox-stand-in';

const NAMESPACE = { binding: 'SANDBOX' };

describe.skipIf(!requirePython())('SandboxCodeExecutor over a Sandbox SDK stand-in', { timeout: 30_000 }, () => {
  const sandboxes = new Map<string, SandboxStandIn>();
  const requested: { id: string; options: unknown }[] = [];
  const getSandbox: GetSandbox<typeof NAMESPACE> = (ns, id, options) => {
    expect(ns).toBe(NAMESPACE);
    requested.push({ id, options });
    let sandbox = sandboxes.get(id);
    if (!sandbox) {
      sandbox = new SandboxStandIn(PYTHON!);
      sandboxes.set(id, sandbox);
    }
    return sandbox;
  };
  const only = () => {
    expect(sandboxes.size).toBe(1);
    return [...sandboxes.values()][0]!;
  };

  afterEach(() => {
    for (const s of sandboxes.values()) s.dispose();
    sandboxes.clear();
    requested.length = 0;
  });

  it('addresses one sandbox per session by a DNS-safe hash, with a one-hour sleepAfter', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.writeFile('thread_ABC', 'a.txt', new Uint8Array([1]));
    await executor.writeFile('thread_ABC', 'b.txt', new Uint8Array([2]));
    await executor.writeFile('thread_abc', 'a.txt', new Uint8Array([3]));
    const ids = requested.map((r) => r.id);
    expect(ids[0]).toMatch(/^ci-[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]); // ids differing only in case stay distinct sandboxes
    expect(requested[0]!.options).toEqual({ sleepAfter: '1h' });
  });

  it('keeps variables between executions, in a Python context with cwd /mnt/data', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    const first = await executor.execute('t1', 'import os\nx = 41\nprint(os.getcwd() == os.environ["HOME"], os.environ["MPLBACKEND"])', { timeoutMs: 10_000 });
    expect(first).toEqual({ status: 'ok', logs: 'True Agg\n', images: [], files: [] });
    const second = await executor.execute('t1', 'x + 1', { timeoutMs: 10_000 });
    expect(second.logs).toBe('42\n');
    // The helpers leave the user's namespace alone.
    const names = await executor.execute('t1', 'sorted(k for k in globals() if not k.startswith("__"))', { timeoutMs: 10_000 });
    expect(names.logs).toBe("['os', 'x']\n");
    expect(only().calls.filter((c) => c === 'createCodeContext')).toHaveLength(1);
  });

  it('finds the existing context from a new Worker invocation (a new adapter instance)', async () => {
    await new SandboxCodeExecutor(NAMESPACE, getSandbox).execute('t2', 'kept = "yes"', { timeoutMs: 10_000 });
    const r = await new SandboxCodeExecutor(NAMESPACE, getSandbox).execute('t2', 'kept', { timeoutMs: 10_000 });
    expect(r.logs).toBe("'yes'\n");
    expect(only().calls.filter((c) => c === 'createCodeContext')).toHaveLength(1);
  });

  it('returns matplotlib figures as PNG (plt.show and figures left open)', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    const r = await executor.execute(
      't3',
      'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()\nplt.figure()\nplt.bar(["a"], [1])\nprint("drawn")',
      { timeoutMs: 20_000 },
    );
    expect(r.status).toBe('ok');
    expect(r.logs).toBe('drawn\n');
    expect(r.images).toHaveLength(2);
    for (const image of r.images) expect([...image.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const none = await executor.execute('t3', 'len(plt.get_fignums())', { timeoutMs: 10_000 });
    expect(none).toMatchObject({ logs: '0\n', images: [] });
  });

  it('writes an uploaded CSV to /mnt/data, lists files the code writes, and reads them back', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.writeFile('t4', 'in/data.csv', new TextEncoder().encode('a,b\n1,2\n3,4\n'));
    const r = await executor.execute(
      't4',
      'import pandas as pd\ndf = pd.read_csv("/mnt/data/in/data.csv")\ndf["c"] = df.a * df.b\ndf.to_csv("/mnt/data/out.csv", index=False)\nint(df.c.sum())',
      { timeoutMs: 20_000 },
    );
    expect(r).toEqual({ status: 'ok', logs: '14\n', images: [], files: [{ path: 'out.csv', bytes: 'a,b,c\n1,2,2\n3,4,12\n'.length }] });
    expect(new TextDecoder().decode(await executor.readFile('t4', 'out.csv'))).toBe('a,b,c\n1,2,2\n3,4,12\n');
    expect(new TextDecoder().decode(await executor.readFile('t4', '/mnt/data/in/data.csv'))).toBe('a,b\n1,2\n3,4\n');
    expect(readFileSync(join(only().dataDir, 'in/data.csv'), 'utf8')).toBe('a,b\n1,2\n3,4\n');
    await expect(executor.readFile('t4', 'missing.csv')).rejects.toBeInstanceOf(CodeFileNotFoundError);
    await expect(executor.readFile('t4', '../etc/passwd')).rejects.toThrow(/relative to \/mnt\/data/);
  });

  it('reports an exception as status error with the traceback (ANSI colours removed)', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    const r = await executor.execute('t5', 'print("before")\n1 / 0', { timeoutMs: 10_000 });
    expect(r.status).toBe('error');
    expect(r.logs).toMatch(/^before\nTraceback \(most recent call last\):/);
    expect(r.logs).toContain('ZeroDivisionError: division by zero');
    expect(r.logs).not.toContain('\u001b[');
  });

  it('stops code at the time limit by deleting its context; the next execution is fresh and says so', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.execute('t6', 'state = 1\nopen("/mnt/data/keep.txt", "w").write("k")', { timeoutMs: 10_000 });
    const started = Date.now();
    const r = await executor.execute('t6', 'while True: pass', { timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r).toEqual({ status: 'timeout', logs: 'Execution timed out: it exceeded the time limit of 1 second and was stopped.\n', images: [], files: [] });
    expect(only().calls).toContain('deleteCodeContext');
    // A new adapter instance (another Worker invocation) still learns why the state is gone.
    const next = await new SandboxCodeExecutor(NAMESPACE, getSandbox).execute('t6', 'print("state" in globals(), open("keep.txt").read())', { timeoutMs: 10_000 });
    expect(next.status).toBe('ok');
    expect(next.logs).toBe(
      '[Note: this is a fresh Python interpreter: the previous execution exceeded the time limit of 1 second and was stopped, so variables and imports from earlier calls are gone; files in /mnt/data are kept.]\nFalse k\n',
    );
    expect((await executor.execute('t6', '1', { timeoutMs: 10_000 })).logs).toBe('1\n');
  });

  it('aborts with the signal and stops the running code', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.execute('t7', 'v = 1', { timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 300);
    await expect(executor.execute('t7', 'while True: pass', { timeoutMs: 20_000, signal: controller.signal })).rejects.toThrow('run cancelled');
    expect(only().calls).toContain('deleteCodeContext');
    const next = await executor.execute('t7', '"v" in globals()', { timeoutMs: 10_000 });
    expect(next.logs).toMatch(/previous execution was cancelled[^\n]*\nFalse\n$/);
  });

  it('turns SDK and container failures into CodeExecutorUnavailableError', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.writeFile('t8', 'a.txt', new Uint8Array([1]));
    only().failWith = new Error('Container is not running: the instance failed to start');
    for (const attempt of [
      () => executor.execute('t8', '1', { timeoutMs: 1000 }),
      () => executor.writeFile('t8', 'b.txt', new Uint8Array([1])),
      () => executor.readFile('t8', 'a.txt'),
      () => executor.endSession('t8'),
    ]) {
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CodeExecutorUnavailableError);
      expect((err as Error).message).toMatch(/Container is not running/);
    }
  });

  it('endSession destroys the sandbox', async () => {
    const executor = new SandboxCodeExecutor(NAMESPACE, getSandbox);
    await executor.execute('t9', 'z = 1', { timeoutMs: 10_000 });
    await executor.endSession('t9');
    expect(only().calls.at(-1)).toBe('destroy');
    const r = await executor.execute('t9', '"z" in globals()', { timeoutMs: 10_000 });
    expect(r.logs).toBe('False\n');
  });
});
