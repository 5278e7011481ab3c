// LocalCodeExecutor (src/adapters/code/local.ts) against the real local service, plus its failure
// mapping (unreachable, 5xx, wrong token → CodeExecutorUnavailableError) and createCodeExecutor.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';
import { CodeFileNotFoundError } from '../../../src/adapters/code/common';
import { LocalCodeExecutor } from '../../../src/adapters/code/local';
import { CodeExecutorUnavailableError } from '../../../src/domain/ports';
import { PNG_SIGNATURE, requirePython, startExecutor } from './helpers';

const TOKEN = 'local-adapter-token-0001';

vi.mock('@cloudflare/sandbox', () => ({
  // The real module imports `cloudflare:workers` (Workers only); the factory just passes it on.
  getSandbox: vi.fn(),
}));

describe.skipIf(!requirePython())('LocalCodeExecutor over the local service', { timeout: 60_000 }, () => {
  let service: CodeExecutorServer;
  let executor: LocalCodeExecutor;

  beforeAll(async () => {
    service = await startExecutor({ token: TOKEN });
    executor = new LocalCodeExecutor({ baseUrl: `${service.url}/`, token: TOKEN });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
  });

  it('executes, keeps state, returns PNG bytes and changed files', async () => {
    await executor.writeFile('thread_1', 'nums.csv', new TextEncoder().encode('n\n1\n2\n3\n'));
    const r = await executor.execute(
      'thread_1',
      'import pandas as pd, matplotlib.pyplot as plt\ndf = pd.read_csv("nums.csv")\ndf.plot()\ndf.to_json("nums.json")\ntotal = int(df.n.sum())\ntotal',
      { timeoutMs: 20_000 },
    );
    expect(r.status).toBe('ok');
    expect(r.logs).toBe('6\n');
    expect(r.images).toHaveLength(1);
    expect(r.images[0]).toBeInstanceOf(Uint8Array);
    expect([...r.images[0]!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(r.files).toEqual([{ path: 'nums.json', bytes: expect.any(Number) }]);
    expect(JSON.parse(new TextDecoder().decode(await executor.readFile('thread_1', '/mnt/data/nums.json')))).toEqual({ n: { '0': 1, '1': 2, '2': 3 } });
    expect((await executor.execute('thread_1', 'total * 2', { timeoutMs: 5000 })).logs).toBe('12\n');
  });

  it('passes the time limit and reports timeout', async () => {
    const r = await executor.execute('thread_2', 'while True: pass', { timeoutMs: 800 });
    expect(r.status).toBe('timeout');
    expect(r.logs).toContain('exceeded the time limit of 0.8 seconds');
  });

  it('reads a missing file as CodeFileNotFoundError and refuses paths outside /mnt/data', async () => {
    await expect(executor.readFile('thread_1', 'nope.txt')).rejects.toBeInstanceOf(CodeFileNotFoundError);
    await expect(executor.writeFile('thread_1', '../x.txt', new Uint8Array())).rejects.toThrow(/relative to \/mnt\/data/);
  });

  it('aborts the request with the signal; the service stops that execution', async () => {
    await executor.execute('thread_3', 'before = 1', { timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 300);
    const started = Date.now();
    await expect(executor.execute('thread_3', 'while True: pass', { timeoutMs: 30_000, signal: controller.signal })).rejects.toThrow('run cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
    const next = await executor.execute('thread_3', '"before" in globals()', { timeoutMs: 5000 });
    expect(next.logs).toMatch(/previous execution was cancelled[^\n]*\nFalse\n$/);
  });

  it('endSession deletes the session', async () => {
    await executor.writeFile('thread_4', 'a.txt', new Uint8Array([1, 2]));
    await executor.endSession('thread_4');
    await expect(executor.readFile('thread_4', 'a.txt')).rejects.toBeInstanceOf(CodeFileNotFoundError);
  });

  it('a wrong token is CodeExecutorUnavailableError naming CODE_EXECUTOR_TOKEN', async () => {
    const wrong = new LocalCodeExecutor({ baseUrl: service.url, token: 'not-the-token' });
    await expect(wrong.execute('thread_5', '1', { timeoutMs: 1000 })).rejects.toThrow(CodeExecutorUnavailableError);
    await expect(wrong.execute('thread_5', '1', { timeoutMs: 1000 })).rejects.toThrow(/CODE_EXECUTOR_TOKEN/);
  });
});

describe('LocalCodeExecutor failures', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'could not start the Python sandbox: boom' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('5xx → CodeExecutorUnavailableError with the service’s message', async () => {
    const executor = new LocalCodeExecutor({ baseUrl: url });
    const err = await executor.execute('t', '1', { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodeExecutorUnavailableError);
    expect((err as Error).message).toContain('could not start the Python sandbox: boom');
  });

  it('nothing listening → CodeExecutorUnavailableError naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const executor = new LocalCodeExecutor({ baseUrl: `http://127.0.0.1:${port}` });
    for (const attempt of [
      () => executor.execute('t', '1', { timeoutMs: 1000 }),
      () => executor.readFile('t', 'a'),
      () => executor.writeFile('t', 'a', new Uint8Array()),
      () => executor.endSession('t'),
    ]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CodeExecutorUnavailableError);
      expect((err as Error).message).toContain(`http://127.0.0.1:${port} cannot be reached`);
    }
  });

  it('a hung service → CodeExecutorUnavailableError after the limit plus grace', async () => {
    const hung = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    try {
      const executor = new LocalCodeExecutor({ baseUrl: `http://127.0.0.1:${(hung.address() as { port: number }).port}`, graceMs: 200 });
      await expect(executor.execute('t', '1', { timeoutMs: 100 })).rejects.toThrow(/did not answer within/);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});

describe('createCodeExecutor', () => {
  it('prefers the SANDBOX binding, then CODE_EXECUTOR_URL, else null', async () => {
    const { createCodeExecutor, LocalCodeExecutor: Local, SandboxCodeExecutor } = await import('../../../src/adapters/code/index');
    const { readConfig } = await import('../../../src/config');
    const env = (vars: Record<string, unknown>) => vars as unknown as Parameters<typeof readConfig>[0];
    const binding = {} as never;
    expect(createCodeExecutor(readConfig(env({ CODE_EXECUTOR_URL: 'http://127.0.0.1:9' })), { SANDBOX: binding })).toBeInstanceOf(SandboxCodeExecutor);
    expect(createCodeExecutor(readConfig(env({ CODE_EXECUTOR_URL: 'http://127.0.0.1:9', CODE_EXECUTOR_TOKEN: 't' })), {})).toBeInstanceOf(Local);
    expect(createCodeExecutor(readConfig(env({})), {})).toBeNull();
    expect(() => readConfig(env({ CODE_EXECUTOR_URL: 'not a url' }))).toThrow(/Invalid configuration: CODE_EXECUTOR_URL: /);
  });
});
