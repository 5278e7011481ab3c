// What ties a sandbox to its executor: no sandbox process outlives a killed executor (even code that
// clears its own parent-death signal and leaves the process group), a CPU-time limit as the
// backstop, and a uid range of its own per executor. Needs root (`namespaces`); CI runs as root.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftovers } from '../../../scripts/code-executor/datafs.mjs';
import type { CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';
import { PYTHON, client, requirePython, startExecutor } from './helpers';

const SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scripts/code-executor/server.mjs');
const TOKEN = 'lifetime-token-0001';
const asRoot = process.getuid?.() === 0;

/** Pids of the processes whose real uid is `uid`. */
function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (line && Number(line[1]) === uid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '');
}

/** Waits (bounded) until `done()` holds; returns whether it did. */
async function eventually(done: () => boolean, attempts = 150): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return done();
}

/** The executor as its own process (as `npm run dev` starts it), and its URL. */
async function startExecutorProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--python', PYTHON!], {
    env: { PATH: process.env.PATH, CODE_EXECUTOR_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`executor exited (${code})`)));
  });
  return { child, url };
}

describe.skipIf(!requirePython() || !asRoot)('local code executor: sandboxes live and die with their executor', { timeout: 120_000 }, () => {
  let executor: CodeExecutorServer;
  let second: CodeExecutorServer;
  let api: ReturnType<typeof client>;
  const strays: number[] = [];

  beforeAll(async () => {
    // Both started before any request: starting one blocks this process for a moment (its probes),
    // which could race the other's idle keep-alive connections.
    executor = await startExecutor({ token: TOKEN, cpuSeconds: 2 });
    second = await startExecutor({ token: TOKEN });
    api = client(executor, TOKEN);
    expect(executor.isolation).toBe('namespaces');
  }, 120_000);
  afterAll(async () => {
    await executor?.close();
    await second?.close();
    // Whatever the assertions said, nothing spins on after the suite.
    for (const pid of strays) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  it('leaves no sandbox process running after the executor is killed, even one that tries to stay', async () => {
    const { child, url } = await startExecutorProcess();
    const remote = client({ url } as CodeExecutorServer, TOKEN);
    const uid = Number((await remote.execute('spinner-lifetime', 'import os\nos.getuid()')).logs);
    expect(uid).toBeGreaterThan(0);
    // Not our range: another executor process on this host has uids of its own.
    expect(uid < executor.uids!.first || uid >= executor.uids!.first + executor.uids!.size).toBe(true);
    const spinning = remote
      .execute(
        'spinner-lifetime',
        [
          'import ctypes, os',
          'libc = ctypes.CDLL(None)',
          'libc.prctl(1, 0)  # PR_SET_PDEATHSIG: none',
          'if os.fork() == 0:',
          '    os.setsid()  # out of the executor’s process group',
          '    libc.prctl(1, 0)',
          'while True:',
          '    pass',
        ].join('\n'),
        60_000,
      )
      .catch(() => null);
    expect(await eventually(() => processesOf(uid).length >= 2)).toBe(true);
    // The session's /mnt/data: a tmpfs the executor mounted on the host.
    const dataMount = mountPoints().find((p) => p.endsWith('/spinner-lifetime'));
    expect(dataMount).toBeDefined();
    child.kill('SIGKILL');
    const gone = await eventually(() => processesOf(uid).length === 0);
    strays.push(...processesOf(uid));
    expect(gone).toBe(true);
    await spinning;
    // The killed executor's sessions (tmpfs mounts) are removed by the next one that starts (this
    // call, or an executor another test file started meanwhile).
    await removeLeftovers();
    expect(mountPoints()).not.toContain(dataMount);
    expect(existsSync(dirname(dataMount!))).toBe(false);
  });

  it('limits the CPU time of an interpreter: past it the code is stopped and a fresh one starts', async () => {
    const limit = await api.execute('cpu', 'import resource\nresource.getrlimit(resource.RLIMIT_CPU)');
    expect(limit.logs).toBe('(2, 12)\n');
    const r = await api.execute('cpu', 'x = 1\nwhile True:\n    x += 1', 60_000);
    expect(r.status).toBe('error');
    expect(r.logs).toMatch(/exited unexpectedly \(signal SIGXCPU\) \(it used up its CPU time limit of 2 seconds\)/);
    const next = await api.execute('cpu', 'print("alive")');
    expect(next.logs).toMatch(/fresh Python interpreter[\s\S]*alive\n$/);
  });

  it('gives each executor its own uid range: two executors in one process never share a uid', async () => {
    const [a, b] = [executor.uids!, second.uids!];
    expect(a.first + a.size <= b.first || b.first + b.size <= a.first).toBe(true);
    const uidA = Number((await api.execute('uid', 'import os\nos.getuid()')).logs);
    const uidB = Number((await client(second, TOKEN).execute('uid', 'import os\nos.getuid()')).logs);
    expect(uidA).toBeGreaterThanOrEqual(a.first);
    expect(uidA).toBeLessThan(a.first + a.size);
    expect(uidB).toBeGreaterThanOrEqual(b.first);
    expect(uidB).toBeLessThan(b.first + b.size);
  });
});

