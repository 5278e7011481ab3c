// What the sandbox's filesystem keeps away from the code: everything of the host but the Python
// runtime (read-only), another checkout's local database on the same machine, and the host's disk
// (/mnt/data and /tmp are size-limited tmpfs). Each attack runs inside a session; the outcome is
// checked from outside. Needs root (`namespaces` isolation); CI runs as root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutorServer } from '../../../scripts/code-executor/server.mjs';
import { PYTHON, client, requirePython, startExecutor } from './helpers';

const MiB = 1024 ** 2;
const DATA_BYTES = 16 * MiB;
const canary = () => `canary-${Math.random().toString(36).slice(2)}`;
const asRoot = process.getuid?.() === 0;

let executor: CodeExecutorServer;
let api: ReturnType<typeof client>;
/** Host places where the test leaves canary files the sandbox must not find. */
const planted: string[] = [];
let fakeCheckout = '';
const FILE_CANARY = canary();
const DB_SECRET = canary();

/** Every file name visible in the sandbox (but /proc), listed by the code itself into listing.json. */
const WALK_EVERYTHING = [
  'import os, json',
  'names, dirs, paths = set(), [], []',
  'for top in os.listdir("/"):',
  '    if top in ("proc", "mnt"):',
  '        continue',
  '    for folder, subdirs, files in os.walk("/" + top):',
  '        dirs.append(folder)',
  '        names.update(files)',
  '        names.update(subdirs)',
  '        paths.extend(os.path.join(folder, f) for f in files if folder == "/etc")',
  'json.dump({"names": sorted(names), "dirs": dirs, "paths": paths}, open("/mnt/data/listing.json", "w"))',
].join('\n');

describe.skipIf(!requirePython() || !asRoot)('local code executor: the sandbox’s filesystem', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    executor = await startExecutor({ token: 'fs-token-0001', dataBytes: DATA_BYTES, tmpBytes: DATA_BYTES });
    api = client(executor, 'fs-token-0001');
    expect(executor.isolation).toBe('namespaces');
    for (const dir of [tmpdir(), '/var/tmp', homedir(), '/']) {
      const file = join(dir, `${FILE_CANARY}.txt`);
      writeFileSync(file, 'host file');
      planted.push(file);
    }
    // Another checkout on this machine, with the local database wrangler keeps (.wrangler/state),
    // outside every temporary directory (the sandbox's /tmp is private anyway).
    fakeCheckout = mkdtempSync('/assistants-edge-other-checkout-');
    const dbDir = join(fakeCheckout, '.wrangler', 'state', 'v3', 'd1');
    mkdirSync(dbDir, { recursive: true });
    writeFileSync(join(fakeCheckout, 'package.json'), '{"name":"other-checkout"}');
    const made = spawnSync(PYTHON!, ['-c', `import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("create table secrets(v)"); c.execute("insert into secrets values (?)", (sys.argv[2],)); c.commit()`, join(dbDir, 'db.sqlite'), DB_SECRET]);
    expect(made.status).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await executor?.close();
    for (const file of planted) rmSync(file, { force: true });
    if (fakeCheckout) rmSync(fakeCheckout, { recursive: true, force: true });
  });

  it('shows nothing of the host but the Python runtime: no /etc/passwd, no home, no checkout, no host /tmp', async () => {
    const r = await api.execute('fs-host', WALK_EVERYTHING, 60_000);
    expect(r.status).toBe('ok');
    const seen = (await (await api.get('fs-host', 'listing.json')).json()) as { names: string[]; dirs: string[]; paths: string[] };
    expect(seen.dirs.length).toBeGreaterThan(10); // the walk did see the runtime
    for (const name of ['passwd', 'shadow', 'hostname', 'hosts', 'group']) expect(seen.paths).not.toContain(`/etc/${name}`);
    for (const name of [`${FILE_CANARY}.txt`, 'db.sqlite', '.wrangler']) expect(seen.names).not.toContain(name);
    const tops = new Set(seen.dirs.map((d) => d.split('/')[1]));
    for (const hostOnly of ['work', 'home', 'var', 'srv', 'run', 'boot', 'sys']) expect(tops).not.toContain(hostOnly);
    expect(seen.dirs.some((d) => d.startsWith(fakeCheckout) || d.startsWith(executor.baseDir))).toBe(false);
    // What /etc holds is the allow-list's, nothing else.
    const etc = await api.execute('fs-host', 'import os, json\nprint(json.dumps(sorted(os.listdir("/etc")) if os.path.isdir("/etc") else []))');
    for (const name of JSON.parse(etc.logs) as string[]) expect(['localtime', 'matplotlibrc', 'ld.so.cache', 'alternatives']).toContain(name);
  });

  it('cannot open another checkout’s local database, by path or with sqlite3', async () => {
    const db = join(fakeCheckout, '.wrangler', 'state', 'v3', 'd1', 'db.sqlite');
    const r = await api.execute(
      'fs-checkout',
      [
        'import os, sqlite3, subprocess',
        `db = ${JSON.stringify(db)}`,
        'print("exists", os.path.exists(db), os.path.exists(os.path.dirname(db)))',
        'try:',
        '    print("rows", sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("select v from secrets").fetchall())',
        'except sqlite3.Error as error:',
        '    print("sqlite", type(error).__name__)',
        'try:',
        '    print(subprocess.run(["sqlite3", db, "select v from secrets"], capture_output=True, text=True).stdout)',
        'except OSError as error:',
        '    print("cli", type(error).__name__)',
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    expect(r.logs).not.toContain(DB_SECRET);
    expect(r.logs).toContain('exists False False');
    expect(r.logs).toContain('sqlite OperationalError');
    expect(r.logs).toContain('cli FileNotFoundError');
  });

  it('cannot change the runtime: every visible host file is read-only', async () => {
    const r = await api.execute(
      'fs-readonly',
      [
        'import os, sys, errno',
        'targets = [sys.executable, os.__file__, "/etc/ld.so.cache", "/new-file", "/usr/new-file"]',
        'for target in targets:',
        '    try:',
        '        open(target, "a").close()',
        '        print("wrote", target)',
        '    except OSError as error:',
        '        print("refused", errno.errorcode[error.errno])',
      ].join('\n'),
    );
    expect(r.status).toBe('ok');
    expect(r.logs).not.toContain('wrote');
    expect(r.logs.trim().split('\n')).toHaveLength(5);
  });

  it('cannot fill the host’s disk: /mnt/data and /tmp stop at their size limits', async () => {
    const r = await api.execute(
      'fs-fill',
      [
        'import errno',
        'def fill(path):',
        '    written = 0',
        '    try:',
        '        with open(path, "wb") as f:',
        `            for _ in range(${(4 * DATA_BYTES) / MiB}):`,
        '                f.write(b"x" * 1048576)',
        '                f.flush()',
        '                written += 1048576',
        '    except OSError as error:',
        '        return f"{errno.errorcode[error.errno]} after {written // 1048576} MiB"',
        '    return f"wrote {written // 1048576} MiB"',
        'print(fill("/mnt/data/fill.bin"))',
        'print(fill("/tmp/fill.bin"))',
      ].join('\n'),
      60_000,
    );
    expect(r.status).toBe('ok');
    const [data, tmp] = r.logs.trim().split('\n');
    expect(data).toMatch(/^ENOSPC after \d+ MiB$/);
    expect(tmp).toMatch(/^ENOSPC after \d+ MiB$/);
    expect(Number(/after (\d+)/.exec(data!)![1])).toBeLessThanOrEqual(DATA_BYTES / MiB);
    // Seen from the host: the session's directory is a file system of that size, not the host's disk.
    const fs = statfsSync(join(executor.baseDir, 'fs-fill'));
    expect(fs.blocks * fs.bsize).toBeLessThanOrEqual(DATA_BYTES);
    // The file is still listed and readable by size (it was reported, not lost).
    expect(r.files.find((f) => f.path === 'fill.bin')?.bytes).toBeLessThanOrEqual(DATA_BYTES);
    // An upload into the full directory is refused as too large (413), not a server error.
    const upload = await api.put('fs-fill', 'upload.bin', new Uint8Array(DATA_BYTES));
    expect(upload.status).toBe(413);
    // Freeing space makes room again.
    const again = await api.execute('fs-fill', 'import os\nos.remove("fill.bin")\nopen("small.txt", "w").write("ok")\nprint(open("small.txt").read())');
    expect(again.logs).toBe('ok\n');
  });
});
