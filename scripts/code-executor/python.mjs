// Finding the Python the code executor runs (see server.mjs) and learning its version and packages.
import { spawnSync } from 'node:child_process';
import { SAFE_PATH, which } from './common.mjs';

const PROBE_PACKAGES = `
import json, platform, importlib
def version(name):
    try:
        import importlib.metadata as m
        return m.version(name)
    except Exception:
        pass
    try:
        return getattr(importlib.import_module(name), "__version__", None)
    except Exception:
        return None
print(json.dumps({"python": platform.python_version(), "prefix": __import__("sys").base_prefix,
                  "packages": {n: version(n) for n in ("numpy", "pandas", "matplotlib")}}))
`;

/** Runs `python` outside any sandbox (clean environment) to learn its version and packages. */
export function probePython(python) {
  const r = spawnSync(python, ['-I', '-c', PROBE_PACKAGES], { encoding: 'utf8', env: { PATH: SAFE_PATH }, timeout: 30_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return null;
  }
}

/**
 * The Python to use: `CODE_EXECUTOR_PYTHON`, else the first of `python3` on PATH and
 * `/usr/bin/python3` that has numpy, pandas and matplotlib, else the first that runs at all.
 * Returns null when there is no Python.
 */
export function findPython() {
  const candidates = [process.env.CODE_EXECUTOR_PYTHON, which('python3'), '/usr/bin/python3', '/usr/local/bin/python3']
    .filter((c) => typeof c === 'string' && c !== '')
    .filter((c, i, all) => all.indexOf(c) === i);
  let firstWorking = null;
  for (const candidate of candidates) {
    const path = which(candidate);
    if (!path) continue;
    const info = probePython(path);
    if (!info) continue;
    firstWorking ??= path;
    if (Object.values(info.packages).every((v) => v)) return path;
  }
  return firstWorking;
}
