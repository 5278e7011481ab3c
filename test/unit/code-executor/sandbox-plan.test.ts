// The pure parts of the local sandbox: the allow-list of its root filesystem (rootfs.mjs) and the
// claims of sandbox uid ranges (uids.mjs), on directories this test builds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootfsPlan, type PythonRuntime } from '../../../scripts/code-executor/rootfs.mjs';
import { claimUidRange, UID_RANGE_SIZE } from '../../../scripts/code-executor/uids.mjs';

const work = mkdtempSync(join(tmpdir(), 'sandbox-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fake installation: prefix/bin/python3 -> python3.11, prefix/lib/python3.11, a library dir whose
 * libblas.so.3 leaves it through an "alternatives" link, a data dir linking fonts from elsewhere. */
function fakeInstall() {
  const root = mkdtempSync(join(work, 'install-'));
  const prefix = join(root, 'usr');
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  writeFileSync(join(prefix, 'bin', 'python3.11'), '');
  symlinkSync('python3.11', join(prefix, 'bin', 'python3'));
  mkdirSync(join(prefix, 'lib', 'python3.11', 'json'), { recursive: true });
  mkdirSync(join(prefix, 'lib', 'arch', 'blas'), { recursive: true });
  writeFileSync(join(prefix, 'lib', 'arch', 'libc.so.6'), '');
  writeFileSync(join(prefix, 'lib', 'arch', 'blas', 'libblas.so.3'), '');
  mkdirSync(join(root, 'etc', 'alternatives'), { recursive: true });
  symlinkSync(join(prefix, 'lib', 'arch', 'blas', 'libblas.so.3'), join(root, 'etc', 'alternatives', 'libblas.so.3'));
  symlinkSync(join(root, 'etc', 'alternatives', 'libblas.so.3'), join(prefix, 'lib', 'arch', 'libblas.so.3'));
  mkdirSync(join(prefix, 'share', 'fonts', 'dejavu'), { recursive: true });
  writeFileSync(join(prefix, 'share', 'fonts', 'dejavu', 'Sans.ttf'), '');
  writeFileSync(join(prefix, 'share', 'fonts', 'dejavu', 'Sans-Bold.ttf'), '');
  mkdirSync(join(prefix, 'share', 'mpl-data', 'fonts'), { recursive: true });
  symlinkSync(join(prefix, 'share', 'fonts', 'dejavu', 'Sans.ttf'), join(prefix, 'share', 'mpl-data', 'fonts', 'Sans.ttf'));
  writeFileSync(join(root, 'etc', 'secret.conf'), 'not for the sandbox');
  mkdirSync(join(root, 'home', 'someone'), { recursive: true });
  const runtime: PythonRuntime = {
    python: '3.11.2',
    executable: join(prefix, 'bin', 'python3'),
    prefix,
    base_prefix: prefix,
    path: [join(prefix, 'lib', 'python3.11'), join(prefix, 'lib', 'python3.11', 'json'), join(root, 'missing')],
    libraries: [join(prefix, 'lib', 'arch', 'libc.so.6')],
    data: [join(prefix, 'share', 'mpl-data'), join(root, 'home', 'someone')],
    opened: [join(root, 'etc', 'secret.conf')],
  };
  return { root, prefix, runtime };
}

describe('the sandbox root filesystem plan (allow-list)', () => {
  const { root, prefix, runtime } = fakeInstall();
  const plan = rootfsPlan(runtime, []);
  const bound = plan.binds.map((b) => b.path);

  it('binds the interpreter through its symlink, its stdlib and its library directory, never nested', () => {
    expect(plan.binds).toContainEqual({ path: join(prefix, 'bin', 'python3.11'), kind: 'file' });
    expect(plan.links).toContainEqual({ path: join(prefix, 'bin', 'python3'), target: 'python3.11' });
    expect(bound).toContain(join(prefix, 'lib', 'python3.11'));
    expect(bound).toContain(join(prefix, 'lib', 'arch'));
    // Inside a bound directory: neither bound again nor linked again.
    expect(bound).not.toContain(join(prefix, 'lib', 'python3.11', 'json'));
    expect(plan.links.some((l) => l.path === join(prefix, 'lib', 'arch', 'libblas.so.3'))).toBe(false);
    expect(bound.some((p) => p.startsWith(join(root, 'missing')))).toBe(false);
  });

  it('recreates the links that leave a library directory (alternatives) and binds data dirs with their linked fonts', () => {
    expect(plan.links).toContainEqual({ path: join(root, 'etc', 'alternatives', 'libblas.so.3'), target: join(prefix, 'lib', 'arch', 'blas', 'libblas.so.3') });
    expect(bound).toContain(join(prefix, 'share', 'mpl-data'));
    expect(bound).toContain(join(prefix, 'share', 'fonts', 'dejavu'));
  });

  it('takes nothing outside the runtime: not a file the probe opened in /etc, not a data dir in a home', () => {
    expect(bound.some((p) => p.startsWith(join(root, 'etc')) && !p.includes('alternatives'))).toBe(false);
    expect(bound.some((p) => p.startsWith(join(root, 'home')))).toBe(false);
    for (const b of plan.binds.filter((x) => x.kind !== 'dev')) {
      expect(b.path.startsWith(root) || ['/etc/ld.so.cache', '/etc/localtime', '/etc/matplotlibrc'].includes(b.path) || b.path.startsWith('/usr/share/zoneinfo') || b.path.startsWith('/usr/share/')).toBe(true);
    }
  });
});

describe('sandbox uid ranges', () => {
  it('claims disjoint ranges, takes over a dead owner’s claim, skips a live one, and releases', () => {
    const dir = mkdtempSync(join(work, 'claims-'));
    const a = claimUidRange({ dir });
    const b = claimUidRange({ dir });
    expect(a.size).toBe(UID_RANGE_SIZE);
    expect(a.first + a.size <= b.first || b.first + b.size <= a.first).toBe(true);
    expect(readdirSync(dir)).toHaveLength(2);
    // A claim left by a process that has exited is taken over; a live one (this process) is not.
    const exited = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout.trim());
    a.release();
    b.release();
    expect(readdirSync(dir)).toEqual([]);
    const c = claimUidRange({ dir });
    const file = join(dir, readdirSync(dir)[0]!);
    c.release();
    writeFileSync(file, `${deadPid} stale\n`); // the slot this process tries first
    const d = claimUidRange({ dir });
    expect(d.first).toBe(c.first);
    writeFileSync(file, `${process.pid} another-executor\n`);
    d.release(); // no longer its claim: left alone
    expect(readdirSync(dir)).toHaveLength(1);
    const e = claimUidRange({ dir });
    expect(e.first).not.toBe(c.first);
    e.release();
  });
});
