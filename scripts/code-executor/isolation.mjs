// How the code executor's sessions are isolated (see server.mjs for the whole picture): which mode
// is available (`namespaces`, `userns`, `none`), and the argv of a session's process: tied to the
// executor (parent-death signal), limited (prlimit), in new namespaces whose root filesystem holds
// only the allow-list of rootfs.mjs, with the code's own privileges dropped (setpriv).
//
// Isolation (`namespaces`, when run as root):
//   setpriv --pdeathsig KILL (the sandbox dies with the executor), prlimit (address space, file size,
//   CPU time, processes, no core dumps), unshare --mount --net --pid --ipc --uts --fork --kill-child;
//   inside, a root shell as PID 1 builds a new root filesystem from an allow-list (rootfs.mjs): a
//   tmpfs holding read-only binds of the Python runtime only (the interpreter, its sys.path, the
//   shared libraries it loads, matplotlib's data and fonts, /etc/ld.so.cache, time zones), the
//   devices null, zero, full, random, urandom, the session's directory at /mnt/data (the cwd), a
//   private /tmp and /dev/shm, a fresh /proc; pivot_root into it and the host's tree detached.
//   Then the code's process drops to a uid of this executor's own range (uids.mjs) with no
//   capabilities (setpriv: empty bounding set, no_new_privs) in a clean environment (PATH,
//   HOME=/mnt/data, MPLBACKEND=Agg, MPLCONFIGDIR=/tmp/matplotlib: nothing of the server's). Each
//   session's directory is a tmpfs of its own with a size limit (datafs.mjs). The network
//   namespace is empty (no interfaces up). `userns`: the same inside an unprivileged user namespace
//   when not root (/mnt/data is then a plain directory: only RLIMIT_FSIZE bounds it). `none`: a plain
//   child process (clean environment, limits) with a warning at start and in /health, used only
//   when namespaces are not permitted.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFE_PATH, which } from './common.mjs';
import { planArgs } from './rootfs.mjs';

/**
 * Shell run as PID 1 of the new namespaces (as root there). It builds the new root: a tmpfs with the
 * plan's read-only binds and symlinks, the session's directory at /mnt/data, a private /tmp and
 * /dev/shm, a /proc of the new PID namespace; pivots into it and detaches the host's tree. Then it
 * runs the sandboxed command as its child and waits: PID 1 stays a root process the code cannot
 * signal or trace, and when it dies (the executor died: see the parent-death signals in
 * sandboxCommand) the kernel kills every process of the namespace.
 */
const SETUP_SCRIPT = `set -eu
session_path=$PATH
PATH=${SAFE_PATH}
root="$1"; sess="$2"; tmp_size="$3"; shift 3
mount -t tmpfs -o mode=755,size=4m,nosuid,nodev tmpfs "$root"
while [ "$1" != "--" ]; do
  case "$1" in
  bind)
    kind="$2"; dst="$root$3"
    if [ "$kind" = dir ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; : > "$dst"; fi
    mount --bind "$3" "$dst"
    if [ "$kind" = dev ]; then mount -o remount,bind,nosuid,noexec "$dst"
    else mount -o remount,bind,ro,nosuid,nodev "$dst"; fi
    shift 3 ;;
  link)
    mkdir -p "$(dirname "$root$2")"; ln -s "$3" "$root$2"; shift 3 ;;
  *) echo "sandbox-setup: unknown plan entry $1" >&2; exit 1 ;;
  esac
done
shift
mkdir -p "$root/mnt/data" "$root/tmp" "$root/dev/shm" "$root/proc" "$root/.host"
mount --bind "$sess" "$root/mnt/data"
mount -o remount,bind,nosuid,nodev "$root/mnt/data"
mount -t tmpfs -o "mode=1777,size=$tmp_size,nosuid,nodev" tmpfs "$root/tmp"
mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs "$root/dev/shm"
# hidepid=2: the code sees its own processes only, not this shell's (its command line names host paths).
mount -t proc -o nosuid,nodev,noexec,hidepid=2 proc "$root/proc"
mount -o remount,bind,ro,nosuid,nodev "$root"
umount_bin=$(command -v umount)
cd "$root"
pivot_root . .host
"/.host$umount_bin" -l /.host
cd /mnt/data
PATH=$session_path
set +e
"$@"
exit $?
`;

/** CPU seconds between RLIMIT_CPU's soft limit (SIGXCPU) and its hard one (SIGKILL). */
const CPU_GRACE_SECONDS = 10;

/** The programs the sandbox is built from (resolved paths; null when missing). */
export function findTools() {
  return {
    unshare: which('unshare'),
    setpriv: which('setpriv'),
    prlimit: which('prlimit'),
    sh: which('sh') ?? '/bin/sh',
  };
}

/** The isolation modes to try for `requested`, or an error when it cannot be had here. */
export function isolationOrder(requested, tools) {
  if (requested === 'none') return [];
  const missing = ['unshare', 'setpriv', 'prlimit'].filter((t) => !tools[t]);
  const isRoot = process.getuid?.() === 0;
  // As root only `namespaces`: inside a user namespace root stays root on files (owner checks).
  if (isRoot && requested === 'userns') throw new Error("isolation 'userns' is for non-root users; as root use 'namespaces'");
  if (!isRoot && requested === 'namespaces') throw new Error("isolation 'namespaces' needs root; use 'userns'");
  if (missing.length > 0 || process.platform !== 'linux') {
    const why = `missing: ${missing.join(', ') || process.platform}`;
    if (requested !== 'auto') throw new Error(`isolation '${requested}' is not available here (${why})`);
    return [];
  }
  return requested === 'auto' ? [isRoot ? 'namespaces' : 'userns'] : [requested];
}

export const NO_SANDBOX_WARNING =
  'NO SANDBOX: Linux namespaces are not available here, so Python code runs as this user with access to ' +
  'the files and network this user can reach. Run as root, or enable unprivileged user namespaces.';

/**
 * Runs `program` (argv) inside a throwaway sandbox of `mode` (as `uid`), with the given plan;
 * returns `{ ok, stdout, why }`. This is how a mode and an interpreter are tried for real.
 */
export function trySandbox({ mode, tools, plan, uid, program, limits }) {
  const dir = mkdtempSync(join(tmpdir(), 'assistants-edge-trial-'));
  try {
    const session = { dir: join(dir, 'data'), root: join(dir, 'root'), uid };
    mkdirSync(session.dir);
    mkdirSync(session.root);
    if (uid !== null) chownSync(session.dir, uid, uid);
    const argv = sessionCommand({ mode, tools, plan, session, program, ...limits });
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: sessionEnv(mode, session.dir, '1'), cwd: '/', timeout: 60_000 });
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
    return { ok: r.status === 0, stdout: r.stdout ?? '', why };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sandboxed process's whole environment: nothing of the server's. */
export function sessionEnv(mode, sessionDir, threads) {
  const inSandbox = mode !== 'none';
  const tmp = inSandbox ? '/tmp' : tmpdir();
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: inSandbox ? '/mnt/data' : sessionDir,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    USER: 'sandbox',
    LOGNAME: 'sandbox',
    MPLBACKEND: 'Agg',
    MPLCONFIGDIR: join(tmp, inSandbox ? 'matplotlib' : `assistants-edge-mpl-${process.pid}`),
    XDG_CACHE_HOME: join(tmp, '.cache'),
    XDG_CONFIG_HOME: join(tmp, '.config'),
    OPENBLAS_NUM_THREADS: threads,
    OMP_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
  };
}

/**
 * argv of a session's process, `program` in the sandbox (spawned with sessionEnv as its whole
 * environment). `session` has `dir` (its files, /mnt/data), `root` (an empty directory the new
 * root is mounted on) and `uid`. The first program sets a parent-death signal, so the sandbox dies
 * with the executor; the limits (prlimit) are inherited by everything after it, RLIMIT_CPU being
 * the backstop should the code escape the signals.
 */
export function sessionCommand({ mode, tools, plan, session, program, memoryBytes, maxFileBytes, maxProcesses, cpuSeconds, tmpBytes }) {
  // In `none` mode RLIMIT_NPROC would count every process of this user, so it is left out there.
  // RLIMIT_CPU: SIGXCPU at the soft limit (the interpreter ends, saying why), SIGKILL at the hard one
  // should the code ignore that signal.
  const limits = [tools.prlimit, `--as=${memoryBytes}`, `--fsize=${maxFileBytes}`, `--cpu=${cpuSeconds}:${cpuSeconds + CPU_GRACE_SECONDS}`, '--core=0', ...(mode === 'none' ? [] : [`--nproc=${maxProcesses}`]), '--'];
  const tie = [tools.setpriv, '--pdeathsig', 'KILL', '--'];
  const inner = program;
  if (mode === 'none') return tools.setpriv && tools.prlimit ? [...tie, ...limits, ...inner] : inner;
  const namespaces = ['--mount', '--net', '--pid', '--ipc', '--uts', '--fork', '--kill-child'];
  const user = mode === 'userns' ? ['--user', '--map-root-user'] : [];
  const drop =
    mode === 'namespaces'
      ? [tools.setpriv, `--reuid=${session.uid}`, `--regid=${session.uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
      : [tools.setpriv, '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
  return [
    ...tie, ...limits, tools.unshare, ...user, ...namespaces, '--',
    tools.sh, '-c', SETUP_SCRIPT, 'sandbox-setup', session.root, session.dir, String(tmpBytes), ...planArgs(plan), '--',
    ...drop, ...inner,
  ];
}
