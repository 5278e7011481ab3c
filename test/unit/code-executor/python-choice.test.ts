// Which Python the local code executor runs: the real executable behind a launcher shim (which the
// sandbox cannot run), checked inside the sandbox; and when no Python works there, the executor says
// so at startup, in /health, and in every answer (the worker turns it into the run's last_error).
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalCodeExecutor } from '../../../src/adapters/code/local';
import { CodeExecutorUnavailableError } from '../../../src/domain/ports';
import { PYTHON, client, requirePython, startExecutor } from './helpers';

vi.mock('@cloudflare/sandbox', () => ({ getSandbox: vi.fn() }));

const TOKEN = 'python-choice-token-0001';
const asRoot = process.getuid?.() === 0;
const made: string[] = [];

describe.skipIf(!requirePython() || !asRoot)('local code executor: choosing Python', { timeout: 120_000 }, () => {
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the real interpreter behind a shim in a directory only root can enter', async () => {
    // Like pyenv's shim in /root: a script that execs the interpreter, in a mode-700 directory.
    const dir = mkdtempSync(join(tmpdir(), 'shim-home-'));
    made.push(dir);
    chmodSync(dir, 0o700);
    const shim = join(dir, 'python3');
    writeFileSync(shim, `#!/bin/sh\nexec ${PYTHON} "$@"\n`);
    chmodSync(shim, 0o755);
    const executor = await startExecutor({ token: TOKEN, pythonCandidates: [shim] });
    try {
      expect(executor.python).toBe(realpathSync(PYTHON!));
      expect(executor.health()).toMatchObject({ ok: true, isolation: 'namespaces' });
      const r = await client(executor, TOKEN).execute('shim', 'import sys, numpy, pandas, matplotlib\nprint(sys.executable)');
      expect(r).toMatchObject({ status: 'ok', logs: `${realpathSync(PYTHON!)}\n` });
    } finally {
      await executor.close();
    }
  });

  it('says at startup, in /health and in every answer that no Python works in the sandbox', async () => {
    const lines: string[] = [];
    // Every interpreter's files lie in /usr, which this executor is told sessions must never see.
    const executor = await startExecutor({ token: TOKEN, pythonCandidates: [PYTHON!], projectDir: '/usr', log: (l) => lines.push(l) });
    try {
      expect(executor.python).toBeNull();
      const health = executor.health();
      expect(health.ok).toBe(false);
      expect(health.error).toMatch(/no Python works inside the namespaces sandbox|no usable Python 3/);
      expect(lines.join('\n')).toContain(`code_interpreter cannot run code: ${health.error}`);
      const res = await fetch(`${executor.url}/sessions/s1/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: '1' }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(health.error);
      // What the worker's adapter makes of it: the error a run's last_error is built from.
      const adapter = new LocalCodeExecutor({ baseUrl: executor.url, token: TOKEN });
      const failure = await adapter.execute('s1', '1', { timeoutMs: 10_000 }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(CodeExecutorUnavailableError);
      expect((failure as Error).message).toContain('cannot run code');
    } finally {
      await executor.close();
    }
  });
});
