// What the sandbox of the local code executor keeps away from the code it runs. Each test runs the
// attack from inside a session and checks the outcome from outside. Needs Linux namespaces (root, or
// unprivileged user namespaces); CI runs as root.
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';
import { client, requirePython, startExecutor } from './helpers';

const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CANARY = `canary-${Math.random().toString(36).slice(2)}`;

let executor: CodeExecutorServer | undefined;
let api: ReturnType<typeof client>;

const hasPython = requirePython();

describe.skipIf(!hasPython)('local code executor isolation', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // The server's own environment: the canary must not reach the sandbox.
    process.env.ASSISTANTS_EDGE_CANARY = CANARY;
    executor = await startExecutor({ token: 'isolation-token-0001' });
    api = client(executor, 'isolation-token-0001');
    if (executor.isolation === 'none' && process.env.CI) throw new Error(`no sandbox in CI: ${executor.warning}`);
  }, 60_000);
  afterAll(async () => {
    delete process.env.ASSISTANTS_EDGE_CANARY;
    await executor?.close();
  });

  const sandboxed = () => executor !== undefined && executor.isolation !== 'none';

  it('says so when there is no sandbox (never silently)', () => {
    if (sandboxed()) {
      expect(executor!.health().warning).toBeUndefined();
    } else {
      expect(executor!.health().isolation).toBe('none');
      expect(executor!.health().warning).toMatch(/NO SANDBOX/);
    }
  });

  it('gives the code a clean environment: none of the server’s variables, not even via /proc', async () => {
    const r = await api.execute(
      'iso-env',
      [
        'import os, json',
        'print(json.dumps(dict(os.environ)))',
        'seen = []',
        'for pid in os.listdir("/proc"):',
        '    if pid.isdigit():',
        '        try:',
        '            seen.append(open(f"/proc/{pid}/environ", "rb").read().decode("utf-8", "replace"))',
        '        except OSError:',
        '            pass',
        `print(any(${JSON.stringify(CANARY)} in e for e in seen))`,
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    const [envLine, procLine] = r.logs.trim().split('\n');
    const env = JSON.parse(envLine!) as Record<string, string>;
    expect(env.ASSISTANTS_EDGE_CANARY).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain(CANARY);
    expect(Object.keys(env).sort()).toEqual(
      expect.arrayContaining(['HOME', 'MPLBACKEND', 'MPLCONFIGDIR', 'PATH']),
    );
    expect(env.MPLBACKEND).toBe('Agg');
    for (const name of Object.keys(env)) expect(name).not.toMatch(/KEY|TOKEN|SECRET|OPENAI|ADMIN|CLOUDFLARE|NODE|npm_/i);
    // Without a sandbox the server's own /proc/<pid>/environ is readable (the warning says so).
    if (sandboxed()) {
      expect(procLine).toBe('False');
      expect(env.HOME).toBe('/mnt/data');
    }
  });

  it('has no network: connecting to a port this test listens on fails', async () => {
    if (!sandboxed()) return;
    let connections = 0;
    const listener: Server = createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    const port = (listener.address() as { port: number }).port;
    try {
      const r = await api.execute(
        'iso-net',
        [
          'import socket',
          'try:',
          `    socket.create_connection(("127.0.0.1", ${port}), timeout=3)`,
          '    print("connected")',
          'except OSError as error:',
          '    print("failed", type(error).__name__, error.errno)',
          'import os',
          'print(sorted(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else "no-sysfs")',
        ].join('\n'),
      );
      expect(r.status).toBe('ok');
      expect(r.logs).toMatch(/^failed /);
      expect(connections).toBe(0);
      // The executor's own HTTP port is unreachable too.
      const own = await api.execute('iso-net', `socket.socket().connect_ex(("127.0.0.1", ${executor!.port}))`);
      expect(own.logs.trim()).not.toBe('0');
    } finally {
      listener.close();
    }
  });

  it('cannot read the project’s files, nor privileged files of the machine', async () => {
    if (!sandboxed()) return;
    const r = await api.execute(
      'iso-project',
      [
        'import os',
        `project = ${JSON.stringify(PROJECT_DIR)}`,
        'try:',
        '    print(open(os.path.join(project, "package.json")).read()[:20])',
        'except OSError as error:',
        '    print("blocked", type(error).__name__)',
        'print(os.listdir(project) if os.path.isdir(project) else "missing")',
        'print(os.listdir(os.path.dirname(project)) if os.path.isdir(os.path.dirname(project)) else "missing")',
        'try:',
        '    open("/etc/shadow").read()',
        '    print("shadow readable")',
        'except OSError as error:',
        '    print("shadow", type(error).__name__)',
        'print("uid", os.getuid())',
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    const lines = r.logs.trim().split('\n');
    expect(lines[0]).toMatch(/^blocked (FileNotFoundError|PermissionError)$/);
    expect(lines[1]).toMatch(/^(\[\]|missing)$/);
    expect(lines[2]).toMatch(/^(\[\]|missing)$/);
    expect(lines[3]).toMatch(/^shadow (PermissionError|FileNotFoundError)$/);
    if (executor!.isolation === 'namespaces') expect(lines[4]).not.toBe('uid 0');
  });

  it('cannot undo the sandbox: unmounting everything in a user namespace of its own shows nothing of the host', async () => {
    if (!sandboxed()) return;
    // No umount or unshare programs exist in the sandbox, so the code calls the kernel itself.
    const r = await api.execute(
      'iso-umount',
      [
        'import ctypes, json, os',
        `project = ${JSON.stringify(PROJECT_DIR)}`,
        'r, w = os.pipe()',
        'pid = os.fork()  # a new user namespace needs a single-threaded process',
        'if pid == 0:',
        '    libc = ctypes.CDLL(None, use_errno=True)',
        '    steps = {"unshare": libc.unshare(0x10000000 | 0x00020000)}  # CLONE_NEWUSER | CLONE_NEWNS',
        '    for target in ("/mnt/data", "/tmp", "/usr", "/etc/ld.so.cache", "/"):',
        '        steps[target] = libc.umount2(target.encode(), 2)  # MNT_DETACH',
        '    seen = {"steps": steps, "project": os.path.exists(project), "root": sorted(os.listdir("/"))}',
        '    os.write(w, json.dumps(seen).encode())',
        '    os._exit(0)',
        'os.close(w)',
        'os.waitpid(pid, 0)',
        'print(os.read(r, 65536).decode())',
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    const seen = JSON.parse(r.logs) as { steps: Record<string, number>; project: boolean; root: string[] };
    // The kernel lets it have a user namespace (where it is root), but the mounts it inherits are locked.
    for (const [step, result] of Object.entries(seen.steps)) if (step !== 'unshare') expect(result).toBe(-1);
    expect(seen.project).toBe(false);
    for (const hostOnly of ['work', 'home', 'root', 'var', 'run', 'srv', 'boot']) expect(seen.root).not.toContain(hostOnly);
  });

  it('cannot see another session’s /mnt/data files, searching likely places and /proc', async () => {
    if (!sandboxed()) return;
    const secretName = `secret-${Math.random().toString(36).slice(2)}.txt`;
    const secretText = `top-secret-${Math.random().toString(36).slice(2)}`;
    const a = await api.execute('iso-a', `open(${JSON.stringify(secretName)}, "w").write(${JSON.stringify(secretText)})\nimport time`);
    expect(a.files).toEqual([{ path: secretName, bytes: secretText.length }]);
    // Session A stays alive (its process exists) while B searches.
    const b = await api.execute(
      'iso-b',
      [
        'import os',
        `name, text = ${JSON.stringify(secretName)}, ${JSON.stringify(secretText)}`,
        `base = ${JSON.stringify(executor!.baseDir)}`,
        'found = []',
        'def search(root, depth=6):',
        '    for folder, dirs, files in os.walk(root):',
        '        if folder.count("/") - root.count("/") >= depth:',
        '            dirs[:] = []',
        '        if name in files:',
        '            found.append(os.path.join(folder, name))',
        'roots = [base, os.path.dirname(base), "/tmp", "/var/tmp", "/dev/shm", "/mnt", "/home", "/root", "/srv", "/opt"]',
        'for root in roots:',
        '    if os.path.isdir(root):',
        '        search(root)',
        'for direct in (os.path.join(base, "iso-a", name), os.path.join("/mnt/data/../iso-a", name)):',
        '    if os.path.exists(direct):',
        '        found.append(direct)',
        'pids = [p for p in os.listdir("/proc") if p.isdigit()]',
        'for pid in pids:',
        '    for sub in ("root/mnt/data", "cwd"):',
        '        try:',
        '            if name in os.listdir(f"/proc/{pid}/{sub}"):',
        '                found.append(f"/proc/{pid}/{sub}")',
        '        except OSError:',
        '            pass',
        'print("pids", len(pids))',
        'print("found", found)',
        'print(os.listdir("/mnt/data"))',
      ].join('\n'),
    );
    expect(b.status).toBe('ok');
    expect(b.logs).toContain('found []');
    expect(b.logs).not.toContain(secretText);
    // Only its own process is visible: its PID namespace holds the sandbox's init (PID 1, root) too,
    // which /proc hides from the code's uid (with `userns` both run as the namespace's root).
    expect(b.logs).toMatch(executor!.isolation === 'namespaces' ? /pids 1\n/ : /pids 2\n/);
    const own = b.logs.trim().split('\n').pop();
    expect(own).toBe('[]');
    // The secret is still there for A.
    const again = await api.execute('iso-a', `print(open(${JSON.stringify(secretName)}).read())`);
    expect(again.logs).toBe(`${secretText}\n`);
    expect((await api.get('iso-b', secretName)).status).toBe(404);
  });

  it('gives each session its own unprivileged uid and keeps the base directory private to root', async () => {
    if (executor?.isolation !== 'namespaces') return;
    const a = await api.execute('iso-uid-a', 'import os\nos.getuid()');
    const b = await api.execute('iso-uid-b', 'import os\nos.getuid()');
    expect(a.logs).not.toBe(b.logs);
    expect(Number(a.logs)).toBeGreaterThan(0);
    const base = statSync(executor.baseDir);
    expect(base.mode & 0o777).toBe(0o700);
    expect(base.uid).toBe(0);
    expect(statSync(join(executor.baseDir, 'iso-uid-a')).uid).toBe(Number(a.logs));
  });
});
