// `npm run dev` end to end (scripts/dev.mjs): settings from the environment reach the worker, the shell's
// OPENAI_BASE_URL (the SDK's setting, here pointing at the dev server itself) is ignored and said so,
// no secret appears on any process's command line, the summary names each value's source, and an
// upstream pointing at the server itself is refused before anything starts. Its own port and state
// directory; DEV_VARS points away from the developer's .dev.vars.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRETS = {
  ADMIN_API_KEY: 'sk-admin-dev-server-test-secret-0001',
  UPSTREAM_OPENAI_API_KEY: 'sk-upstream-dev-server-test-secret-0002',
  CODE_EXECUTOR_TOKEN: 'executor-dev-server-test-secret-0003',
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function devEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
    DEV_VARS: '/nonexistent/.dev.vars',
    // What an app's shell has for the SDK: this very server.
    OPENAI_BASE_URL: `http://localhost:${port}/v1`,
    OPENAI_API_KEY: SECRETS.ADMIN_API_KEY,
    ...extra,
  } as NodeJS.ProcessEnv;
}

/** Every process's command line (Linux /proc), as `ps` would show it. */
function commandLines(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')];
      } catch {
        return [];
      }
    });
}

let dev: ChildProcess | undefined;
afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((r) => dev!.once('exit', r));
    dev.kill('SIGTERM');
    await exited;
  }
});

describe('npm run dev', () => {
  it('passes every setting privately, ignores the SDK variables, and prints where each came from', async () => {
    const port = await freePort();
    const state = mkdtempSync(join(tmpdir(), 'dev-server-test-'));
    dev = spawn(process.execPath, ['scripts/dev.mjs', '--port', String(port), '--persist-to', state], {
      cwd: ROOT,
      env: devEnv(port, {
        ...SECRETS,
        UPSTREAM_OPENAI_BASE_URL: `${inject('upstreamOrigin')}/v1`,
        CODE_EXECUTOR_URL: 'http://127.0.0.1:9',
        MODELS: 'my-local-model',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    dev.stdout!.on('data', (b: Buffer) => void (output += b.toString()));
    dev.stderr!.on('data', (b: Buffer) => void (output += b.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        // The summary's last line here (it lists the ignored SDK variables last).
        if (/ignored\s+OPENAI_API_KEY/.test(output)) resolve();
        else if (dev!.exitCode !== null) reject(new Error(`npm run dev exited ${dev!.exitCode}:\n${output}`));
        else return;
        clearInterval(check);
      }, 100);
    });

    for (const secret of Object.values(SECRETS)) {
      expect(commandLines().filter((line) => line.includes(secret))).toEqual([]);
      expect(output).not.toContain(secret);
    }
    expect(output).toMatch(/admin key\s+set \(ADMIN_API_KEY from environment\)/);
    expect(output).toMatch(/models\s+OpenAI-compatible http:\/\/127\.0\.0\.1:\d+\/v1 \(UPSTREAM_OPENAI_BASE_URL from environment\), key: UPSTREAM_OPENAI_API_KEY from environment/);
    expect(output).toMatch(/ignored\s+OPENAI_BASE_URL from the shell/);
    expect(output).toMatch(/ignored\s+OPENAI_API_KEY from the shell/);
    expect(output).toMatch(/code interpreter\s+the code executor at http:\/\/127\.0\.0\.1:9 \(CODE_EXECUTOR_URL from environment\)/);
    expect(output).toContain(`API               http://localhost:${port}/v1`);

    // The settings reached the worker: the upstream's models plus MODELS, with the admin key from the environment.
    const res = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: `Bearer ${SECRETS.ADMIN_API_KEY}` } });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o', 'my-local-model']));
  }, 120_000);

  it('refuses to start when the upstream is the server itself', async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, ['scripts/dev.mjs', '--port', String(port)], {
      cwd: ROOT,
      env: devEnv(port, { UPSTREAM_OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`UPSTREAM_OPENAI_BASE_URL=http://127.0.0.1:${port}/v1 (from environment) points at this server (port ${port})`);
  });
});
