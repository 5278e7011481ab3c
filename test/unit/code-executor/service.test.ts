// The local code executor service (scripts/code-executor/server.mjs) with real Python: what the
// code_interpreter tool relies on (state, pandas, matplotlib, files, errors, time and memory limits).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';
import { client, PNG_SIGNATURE, requirePython, startExecutor } from './helpers';

const TOKEN = 'test-executor-token-0001';

describe.skipIf(!requirePython())('local code executor service', { timeout: 60_000 }, () => {
  let executor: CodeExecutorServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    executor = await startExecutor({ token: TOKEN });
    api = client(executor, TOKEN);
  }, 60_000);
  afterAll(async () => {
    await executor?.close();
  });

  it('reports its Python, packages and isolation on /health (no token needed)', async () => {
    const res = await fetch(`${executor.url}/health`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { ok: boolean; python: string; packages: Record<string, string | null>; isolation: string };
    expect(health.ok).toBe(true);
    expect(health.python).toMatch(/^3\.\d+\.\d+/);
    expect(Object.keys(health.packages).sort()).toEqual(['matplotlib', 'numpy', 'pandas']);
    expect(['namespaces', 'userns', 'none']).toContain(health.isolation);
  });

  it('requires the bearer token', async () => {
    const res = await fetch(`${executor.url}/sessions/s-token/execute`, { method: 'POST', body: JSON.stringify({ code: '1' }) });
    expect(res.status).toBe(401);
    const wrong = await client(executor, 'wrong-token-wrong-token').put('s-token', 'a.txt', 'x');
    expect(wrong.status).toBe(401);
  });

  it('keeps variables between executions and echoes the last expression', async () => {
    const first = await api.execute('s-state', 'x = 40\nprint("set")');
    expect(first).toMatchObject({ status: 'ok', logs: 'set\n', images: [], files: [] });
    const second = await api.execute('s-state', 'x + 2');
    expect(second.status).toBe('ok');
    expect(second.logs).toBe('42\n');
  });

  it('captures stdout, stderr and output of subprocesses in order', async () => {
    // The sandbox holds the Python runtime and no shell tools: the subprocess is Python itself.
    const r = await api.execute('s-output', 'import sys, subprocess\nprint("one")\nsys.stderr.write("two\\n")\nsubprocess.run([sys.executable, "-c", "print(\'three\')"])\nNone');
    expect(r.status).toBe('ok');
    expect(r.logs).toBe('one\ntwo\nthree\n');
  });

  it('caps the logs of a very chatty execution', async () => {
    const r = await api.execute('s-chatty', 'for i in range(100_000):\n    print("0123456789")');
    expect(r.status).toBe('ok');
    expect(r.logs.length).toBeLessThan(210_000);
    expect(r.logs).toMatch(/\[output truncated: more than 200000 characters\]\n$/);
  });

  it('runs pandas', async () => {
    const r = await api.execute('s-pandas', 'import pandas as pd\ndf = pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30]})\nprint(df.sum().to_dict())\ndf["a"].mean()');
    expect(r.status).toBe('ok');
    expect(r.logs).toBe("{'a': 6, 'b': 60}\n2.0\n");
  });

  it('returns matplotlib figures as PNG images (plt.show and figures left open)', async () => {
    const r = await api.execute(
      's-plot',
      'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.title("squares")\nplt.show()\nfig, ax = plt.subplots()\nax.bar(["a", "b"], [3, 5])',
    );
    expect(r.status).toBe('ok');
    expect(r.logs).not.toMatch(/non-interactive|cannot be shown/);
    expect(r.images).toHaveLength(2);
    for (const image of r.images) {
      const bytes = Buffer.from(image, 'base64');
      expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(bytes.length).toBeGreaterThan(1000);
    }
    // Figures are closed once returned: the next execution has none.
    const again = await api.execute('s-plot', 'len(plt.get_fignums())');
    expect(again.logs).toBe('0\n');
    expect(again.images).toEqual([]);
  });

  it('reads an uploaded CSV from /mnt/data and lists the files it writes', async () => {
    const put = await api.put('s-files', 'input/sales.csv', 'region,amount\nnorth,10\nsouth,32\nnorth,5\n');
    expect(put.status).toBe(204);
    const r = await api.execute(
      's-files',
      [
        'import os, pandas as pd',
        'print(os.getcwd())',
        'df = pd.read_csv("/mnt/data/input/sales.csv")',
        'totals = df.groupby("region")["amount"].sum()',
        'totals.to_csv("/mnt/data/totals.csv")',
        'os.makedirs("out", exist_ok=True)',
        'open("out/summary.txt", "w").write(f"total={df.amount.sum()}")',
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    expect(r.logs.split('\n')[0]).toBe('/mnt/data');
    expect(r.files).toEqual([
      { path: 'out/summary.txt', bytes: 'total=47'.length },
      { path: 'totals.csv', bytes: expect.any(Number) },
    ]);
    const totals = await api.get('s-files', 'totals.csv');
    expect(totals.status).toBe(200);
    expect(await totals.text()).toBe('region,amount\nnorth,15\nsouth,32\n');
    // Unchanged files are not listed again; a rewritten one is.
    const next = await api.execute('s-files', 'open("out/summary.txt", "a").write("!")');
    expect(next.files).toEqual([{ path: 'out/summary.txt', bytes: 'total=47!'.length }]);
  });

  it('answers 404 for a missing file and refuses paths outside /mnt/data', async () => {
    expect((await api.get('s-files', 'nope.csv')).status).toBe(404);
    expect((await api.get('s-never-used', 'a.txt')).status).toBe(404);
    // (fetch itself resolves `..` and `%2e%2e` segments; an encoded slash reaches the server.)
    expect((await api.put('s-files', '..%2Fescape.txt', 'x')).status).toBe(400);
    expect((await api.put('s-files', 'a%2F..%2F..%2F..%2Fescape.txt', 'x')).status).toBe(400);
    expect((await api.get('s-files', '..%2F..%2Fs-state%2Fx')).status).toBe(400);
    expect(existsSync(join(executor.baseDir, 'escape.txt'))).toBe(false);
  });

  it('does not follow symlinks the code created (no reading or writing outside the session)', async () => {
    const r = await api.execute('s-links', 'import os\nos.symlink("/etc/passwd", "passwd")\nos.symlink("/etc", "etc")');
    expect(r.status).toBe('ok');
    expect((await api.get('s-links', 'passwd')).status).toBe(404);
    expect((await api.get('s-links', 'etc/hostname')).status).toBe(404);
    expect((await api.put('s-links', 'etc/evil.txt', 'x')).status).toBe(400);
    expect((await api.put('s-links', 'passwd', 'x')).status).toBe(400);
    expect(existsSync('/etc/evil.txt')).toBe(false);
  });

  it('reports an exception as status error with the traceback, and the session goes on', async () => {
    const r = await api.execute('s-error', 'y = 1\ndef f():\n    return 1 / 0\nprint("before")\nf()');
    expect(r.status).toBe('error');
    expect(r.logs).toContain('before\n');
    expect(r.logs).toContain('Traceback (most recent call last):');
    expect(r.logs).toMatch(/line 3, in f\n\s+return 1 \/ 0/);
    expect(r.logs).toContain('ZeroDivisionError: division by zero');
    expect(r.logs).not.toContain('runner'); // no frames of the REPL itself
    const syntax = await api.execute('s-error', 'def broken(:\n    pass');
    expect(syntax.status).toBe('error');
    expect(syntax.logs).toContain('SyntaxError');
    const after = await api.execute('s-error', 'y');
    expect(after).toMatchObject({ status: 'ok', logs: '1\n' });
  });

  it('stops `while True: pass` at the time limit; the next execution starts a fresh interpreter and says so', async () => {
    await api.execute('s-timeout', 'kept = "old state"\nopen("kept.txt", "w").write("file survives")');
    const started = Date.now();
    const r = await api.execute('s-timeout', 'print("looping", flush=True)\nwhile True: pass', 1500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.status).toBe('timeout');
    expect(r.logs).toContain('looping\n');
    expect(r.logs).toContain('exceeded the time limit of 1.5 seconds');
    const next = await api.execute('s-timeout', 'print(open("kept.txt").read())\nprint("kept" in globals())');
    expect(next.status).toBe('ok');
    expect(next.logs).toMatch(/^\[Note: this is a fresh Python interpreter: the previous execution exceeded the time limit of 1\.5 seconds/);
    expect(next.logs).toContain('file survives\nFalse\n');
    // Only the first execution after the restart carries the note.
    expect((await api.execute('s-timeout', '1 + 1')).logs).toBe('2\n');
  });

  it('turns a 4 GiB allocation into MemoryError (status error), not a crashed server or session', async () => {
    await api.execute('s-memory', 'survivor = 7');
    const r = await api.execute('s-memory', 'import numpy as np\nhuge = np.ones(4 * 1024**3 // 8)');
    expect(r.status).toBe('error');
    expect(r.logs).toMatch(/MemoryError/);
    const raw = await api.execute('s-memory', 'block = bytearray(4 * 1024**3)');
    expect(raw.status).toBe('error');
    expect(raw.logs).toContain('MemoryError');
    const after = await api.execute('s-memory', 'survivor');
    expect(after).toMatchObject({ status: 'ok', logs: '7\n' });
    expect((await fetch(`${executor.url}/health`)).status).toBe(200);
  });

  it('DELETE stops the session and removes its directory', async () => {
    await api.put('s-delete', 'data.txt', 'bye');
    await api.execute('s-delete', 'v = 1');
    const dir = join(executor.baseDir, 's-delete');
    expect(existsSync(join(dir, 'data.txt'))).toBe(true);
    const res = await api.remove('s-delete');
    expect(res.status).toBe(204);
    expect(existsSync(dir)).toBe(false);
    expect((await api.get('s-delete', 'data.txt')).status).toBe(404);
    // A new session with the same id starts empty.
    const fresh = await api.execute('s-delete', 'import os\nprint(os.listdir("."), "v" in globals())');
    expect(fresh.logs).toBe('[] False\n');
  });
});

describe.skipIf(!requirePython())('local code executor idle sessions', { timeout: 30_000 }, () => {
  it('stops sessions idle longer than idleMs and deletes their directories', async () => {
    const executor = await startExecutor({ timeouts: { idleMs: 400 } });
    try {
      const api = client(executor);
      await api.execute('s-idle', 'open("f.txt", "w").write("x")');
      const dir = join(executor.baseDir, 's-idle');
      expect(existsSync(dir)).toBe(true);
      const deadline = Date.now() + 10_000;
      while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(dir)).toBe(false);
      expect(executor.health().sessions).toBe(0);
    } finally {
      await executor.close();
    }
  });
});
