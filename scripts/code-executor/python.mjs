// Finding the Python the code executor runs (see server.mjs): the candidates, each one's real
// executable (not a launcher shim such as pyenv's, which the sandbox cannot run), and what it needs
// inside the sandbox (its search path and the shared libraries it loads).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFE_PATH, which } from './common.mjs';

export const PACKAGES = ['numpy', 'pandas', 'matplotlib'];

/** Python source that sets \`info\` to the interpreter's version and packages. */
const PACKAGES_INFO = `
import json, platform, importlib
def version(name):
    try:
        module = importlib.import_module(name)
    except Exception:
        return None
    try:
        import importlib.metadata as m
        return m.version(name)
    except Exception:
        return getattr(module, "__version__", None) or "unknown"
info = {"python": platform.python_version(), "packages": {n: version(n) for n in ${JSON.stringify(PACKAGES)}}}
`;

/** Prints the interpreter's version and packages as one JSON line (run inside the sandbox). */
export const PACKAGES_PROBE = `${PACKAGES_INFO}print(json.dumps(info))\n`;

/**
 * PACKAGES_PROBE, then what the sandbox must contain for this interpreter: the shared objects mapped
 * after importing the packages and drawing a PNG with matplotlib (plus common standard-library
 * extension modules), the files it opened meanwhile, the directories of matplotlib's data and fonts
 * (Debian keeps them outside the package), sys.path and the prefixes.
 */
const RUNTIME_PROBE = `
import io, os, sys
opened = set()
def _audit(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.add(os.path.abspath(args[0]))
sys.addaudithook(_audit)
${PACKAGES_INFO}
data = set()
try:
    import matplotlib
    data.add(matplotlib.get_data_path())
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    figure = plt.figure()
    plt.plot([1, 2], [3, 4])
    plt.title("probe", fontweight="bold")
    figure.savefig(io.BytesIO(), format="png")
    data.update(os.path.dirname(f.fname) for f in font_manager.fontManager.ttflist)
except Exception:
    pass
for name in ("sqlite3", "ssl", "lzma", "bz2", "zlib", "ctypes", "decimal", "hashlib", "uuid", "csv", "json", "xml.parsers.expat", "PIL.Image", "scipy"):
    try:
        importlib.import_module(name)
    except Exception:
        pass
libraries = set()
try:
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fields[5].startswith("/") and ".so" in fields[5]:
                libraries.add(fields[5])
except OSError:
    pass  # not Linux: there is no sandbox to build anyway
info.update(executable=os.path.realpath(sys.executable), prefix=sys.prefix, base_prefix=sys.base_prefix,
            path=[p for p in sys.path if p and os.path.exists(p)], libraries=sorted(libraries),
            data=sorted(data), opened=sorted(p for p in opened if os.path.isfile(p)))
print(json.dumps(info))
`;

function lastJsonLine(text) {
  try {
    return JSON.parse(text.trim().split('\n').pop() ?? '');
  } catch {
    return null;
  }
}

/**
 * The real executable behind `candidate`: a shim (pyenv's is a shell script that needs the user's
 * HOME and PATH) is asked for its `sys.executable` with this process's environment; null if it does
 * not run.
 */
export function realExecutable(candidate) {
  const path = which(candidate);
  if (!path) return null;
  const r = spawnSync(path, ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8', timeout: 30_000 });
  const printed = r.status === 0 ? r.stdout.trim().split('\n').pop() : '';
  try {
    return printed ? realpathSync(printed) : null;
  } catch {
    return null;
  }
}

/**
 * Runs the real executable `python` outside any sandbox (clean environment; matplotlib's cache in
 * a throwaway directory) and returns its version, packages, executable, prefixes, sys.path and
 * loaded shared objects, or null if it does not run.
 */
export function probePython(python) {
  const mplDir = mkdtempSync(join(tmpdir(), 'assistants-edge-probe-'));
  try {
    const env = { PATH: SAFE_PATH, MPLBACKEND: 'Agg', MPLCONFIGDIR: mplDir, LANG: 'C.UTF-8' };
    const r = spawnSync(python, ['-I', '-B', '-c', RUNTIME_PROBE], { encoding: 'utf8', env, timeout: 60_000 });
    return r.status === 0 ? lastJsonLine(r.stdout) : null;
  } finally {
    rmSync(mplDir, { recursive: true, force: true });
  }
}

/** Parses PACKAGES_PROBE's output (from a sandboxed run); null when it is not there. */
export function parsePackagesProbe(stdout) {
  const info = lastJsonLine(stdout);
  return info && typeof info.python === 'string' && info.packages ? info : null;
}

/** The interpreters to try, in order: `preferred`, CODE_EXECUTOR_PYTHON, python3 on PATH, the system's. */
export function pythonCandidates(preferred) {
  return [preferred, process.env.CODE_EXECUTOR_PYTHON, 'python3', '/usr/bin/python3', '/usr/local/bin/python3']
    .filter((c) => typeof c === 'string' && c !== '')
    .filter((c, i, all) => all.indexOf(c) === i);
}

/**
 * The real executable of the first candidate that has numpy, pandas and matplotlib (outside the
 * sandbox; startCodeExecutor checks inside), else of the first that runs at all; null when none runs.
 */
export function findPython() {
  let firstWorking = null;
  for (const candidate of pythonCandidates()) {
    const real = realExecutable(candidate);
    if (!real) continue;
    const info = probePython(real);
    if (!info) continue;
    firstWorking ??= real;
    if (PACKAGES.every((p) => info.packages[p])) return real;
  }
  return firstWorking;
}
