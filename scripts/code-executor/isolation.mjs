// How the code executor's sessions are isolated (see server.mjs for the whole picture): which
// directories are hidden, which mode is available (`namespaces`, `userns`, `none`), and the argv
// of a session's process (unshare + mounts, prlimit limits, setpriv privilege drop, clean env).
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULTS, SAFE_PATH, isInside, which } from './common.mjs';

/** Shell run as the first process of the new namespaces: mounts, then exec's the sandboxed command. */
const SETUP_SCRIPT = `set -eu
sess="$1"; n="$2"; shift 2
mkdir -p /mnt
mount -t tmpfs -o mode=755,size=64k,nosuid,nodev tmpfs /mnt
mkdir /mnt/data
mount --bind "$sess" /mnt/data
i=0
while [ "$i" -lt "$n" ]; do
  d="$1"; shift
  if [ -d "$d" ]; then mount -t tmpfs -o mode=755,size=16k,nosuid,nodev,noexec tmpfs "$d"; fi
  i=$((i + 1))
done
mount -t tmpfs -o mode=1777,size=512m,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs /dev/shm
if [ -d /var/tmp ]; then mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs /var/tmp; fi
cd /mnt/data
exec "$@"
`;

/** The programs the sandbox is built from (resolved paths; null when missing). */
export function findTools() {
  return {
    unshare: which('unshare'),
    setpriv: which('setpriv'),
    prlimit: which('prlimit'),
    env: which('env'),
    sh: which('sh') ?? '/bin/sh',
    true: which('true'),
  };
}

/**
 * Directories hidden (tmpfs mounted over them) in every sandbox. The project and the base directory
 * are required; the optional ones (the project's parent, where sibling checkouts live, the home
 * directories, /run with its sockets) are skipped when they hold the Python installation.
 */
export function hiddenDirs({ projectDir, baseDir, pythonPaths, extra, log }) {
  for (const required of [projectDir, baseDir]) {
    const clash = pythonPaths.find((p) => isInside(p, required));
    if (clash) throw new Error(`${clash} (the Python installation) is inside ${required}, which sessions must not see; use another Python`);
  }
  const optionalHide = [dirname(projectDir), homedir(), '/root', '/home', '/run', ...(extra ?? [])]
    .filter((d) => d && existsSync(d))
    .map((d) => realpathSync(d))
    .filter((d) => {
      const clash = pythonPaths.find((p) => isInside(p, d));
      if (clash) log(`code executor: not hiding ${d}: it contains the Python installation (${clash})`);
      return !clash && d !== '/';
    });
  return [...new Set([projectDir, baseDir, ...optionalHide])];
}

/** detectIsolation with a throwaway session directory under `baseDir` for the trial sandboxes. */
export async function chooseIsolation(requested, tools, baseDir, hide) {
  const probeDir = await mkdtemp(join(baseDir, 'probe-'));
  try {
    return detectIsolation(requested, tools, probeDir, hide);
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}

/**
 * Chooses how sessions are isolated: `namespaces` (root), `userns` (unprivileged user namespaces),
 * or `none`; each candidate is tried for real (a sandbox that runs `true`) before it is chosen.
 */
function detectIsolation(requested, tools, probeDir, hide) {
  const tried = [];
  const attempt = (mode) => {
    const cmd = sandboxCommand(mode, tools, probeDir, hide, mode === 'namespaces' ? DEFAULTS.uidBase : null, [], [tools.true]);
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { PATH: SAFE_PATH }, timeout: 15_000 });
    if (r.status === 0) return true;
    tried.push(`${mode}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop()}`);
    return false;
  };
  const missing = ['unshare', 'setpriv', 'true'].filter((t) => !tools[t]);
  if (requested === 'none') return { mode: 'none', warning: 'isolation disabled (--isolation none)' };
  if (missing.length === 0 && process.platform === 'linux') {
    // As root only `namespaces`: inside a user namespace root stays root on files (owner checks).
    const isRoot = process.getuid?.() === 0;
    if (isRoot && requested === 'userns') throw new Error("isolation 'userns' is for non-root users; as root use 'namespaces'");
    if (!isRoot && requested === 'namespaces') throw new Error("isolation 'namespaces' needs root; use 'userns'");
    const order = requested === 'auto' ? (isRoot ? ['namespaces'] : ['userns']) : [requested];
    for (const mode of order) if (attempt(mode)) return { mode };
  } else {
    tried.push(`missing: ${missing.join(', ') || process.platform}`);
  }
  if (requested !== 'auto') throw new Error(`isolation '${requested}' is not available here (${tried.join('; ')})`);
  return {
    mode: 'none',
    warning:
      'NO SANDBOX: Linux namespaces are not permitted here, so Python code runs as this user with access to ' +
      `the files and network this user can reach (${tried.join('; ')}). Run as root, or enable unprivileged user namespaces.`,
  };
}

/** argv of a session's process: the sandbox around `limits` (prlimit) + `inner` (resolved paths). */
function sandboxCommand(mode, tools, sessionDir, hide, uid, limits, inner) {
  if (mode === 'none') return [...limits, ...inner];
  const namespaces = ['--mount', '--net', '--pid', '--ipc', '--uts', '--fork', '--kill-child', '--mount-proc'];
  const user = mode === 'userns' ? ['--user', '--map-root-user'] : [];
  const drop =
    mode === 'namespaces' && uid !== null
      ? [tools.setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
      : [tools.setpriv, '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
  return [tools.unshare, ...user, ...namespaces, '--', tools.sh, '-c', SETUP_SCRIPT, 'sandbox-setup', sessionDir, String(hide.length), ...hide, ...limits, ...drop, ...inner];
}

/** The sandboxed process's whole environment (`env -i`): nothing of the server's. */
function sessionEnv(mode, sessionDir, threads) {
  const inSandbox = mode !== 'none';
  const tmp = inSandbox ? '/tmp' : tmpdir();
  return [
    'PATH=/usr/local/bin:/usr/bin:/bin',
    `HOME=${inSandbox ? '/mnt/data' : sessionDir}`,
    `TMPDIR=${tmp}`,
    'LANG=C.UTF-8',
    'LC_ALL=C.UTF-8',
    'USER=sandbox',
    'LOGNAME=sandbox',
    'MPLBACKEND=Agg',
    `MPLCONFIGDIR=${join(tmp, inSandbox ? 'matplotlib' : `assistants-edge-mpl-${process.pid}`)}`,
    `XDG_CACHE_HOME=${join(tmp, '.cache')}`,
    `XDG_CONFIG_HOME=${join(tmp, '.config')}`,
    `OPENBLAS_NUM_THREADS=${threads}`,
    `OMP_NUM_THREADS=${threads}`,
    `MKL_NUM_THREADS=${threads}`,
  ];
}

/**
 * argv of a session's Python process: `python -c runnerSource config` in a clean environment, under
 * prlimit limits, inside the sandbox of `mode` (resolved paths throughout).
 */
export function sessionCommand({ mode, tools, hide, session, python, runnerSource, config, memoryBytes, maxFileBytes, maxProcesses, threads }) {
  // Limits go before the privilege drop (setpriv) and are inherited by the sandboxed process. In
  // `none` mode RLIMIT_NPROC would count every process of this user, so it is left out there.
  const limits = tools.prlimit
    ? [tools.prlimit, `--as=${memoryBytes}`, `--fsize=${maxFileBytes}`, ...(mode === 'none' ? [] : [`--nproc=${maxProcesses}`]), '--core=0', '--']
    : [];
  const inner = [tools.env ?? '/usr/bin/env', '-i', ...sessionEnv(mode, session.dir, threads), python, '-I', '-B', '-u', '-c', runnerSource, config];
  return sandboxCommand(mode, tools, session.dir, hide, session.uid, limits, inner);
}
