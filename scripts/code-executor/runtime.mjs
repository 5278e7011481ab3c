// Which isolation mode and which Python the code executor uses (see server.mjs). Both are tried for
// real: the mode by starting a sandbox, each interpreter by importing numpy, pandas and matplotlib
// inside one, as a sandbox uid. A Python that runs for this user may not run in the sandbox (a shim
// in root's home, a library the allow-list misses): that one is skipped, with the reason kept.
import { isInside } from './common.mjs';
import { NO_SANDBOX_WARNING, trySandbox } from './isolation.mjs';
import { PACKAGES, PACKAGES_PROBE, parsePackagesProbe, probePython, pythonCandidates, realExecutable } from './python.mjs';
import { rootfsPlan } from './rootfs.mjs';

const missingOf = (packages) => PACKAGES.filter((p) => !packages[p]);

/**
 * Returns `{ mode, python, info, plan, warning?, error? }`: `python` the real executable (null with
 * `error` when no candidate works), `info` its version and packages as seen inside the sandbox,
 * `plan` the sandbox's filesystem (rootfs.mjs). `order` is the modes to try (isolation.mjs'
 * isolationOrder); with none available and `requested` 'auto', mode `none` with a warning. An
 * interpreter whose files would expose a `forbidden` directory (this checkout, the sessions) is skipped.
 */
export function chooseRuntime({ preferred, candidates, requested, order, tools, uid, limits, forbidden, log }) {
  const tried = [];
  const runnable = [];
  for (const candidate of candidates ?? pythonCandidates(preferred)) {
    const real = realExecutable(candidate);
    if (!real) {
      tried.push(`${candidate}: not found or does not run`);
      continue;
    }
    if (runnable.some((r) => r.python === real)) continue;
    const info = probePython(real);
    if (!info) {
      tried.push(`${real}: does not run in a clean environment`);
      continue;
    }
    const plan = rootfsPlan(info, [tools.setpriv].filter(Boolean));
    const exposed = plan.binds.find((b) => forbidden.some((f) => isInside(f, b.path) || isInside(b.path, f)));
    if (exposed) {
      tried.push(`${real}: its files (${exposed.path}) overlap a directory sessions must not see`);
      continue;
    }
    runnable.push({ python: real, info, plan });
  }
  if (runnable.length === 0) {
    return { mode: order[0] ?? 'none', python: null, info: null, plan: null, error: `no usable Python 3 (${tried.join('; ')}); install python3 with numpy, pandas and matplotlib, or set CODE_EXECUTOR_PYTHON` };
  }

  let mode = null;
  const modeErrors = [];
  for (const candidate of order) {
    const trial = trySandbox({ mode: candidate, tools, plan: runnable[0].plan, uid: candidate === 'namespaces' ? uid : null, program: [tools.setpriv, '--dump'], limits });
    if (trial.ok) {
      mode = candidate;
      break;
    }
    modeErrors.push(`${candidate}: ${trial.why}`);
  }
  if (!mode) {
    if (requested !== 'auto') throw new Error(`isolation '${requested}' is not available here (${modeErrors.join('; ')})`);
    const best = runnable.find((r) => missingOf(r.info.packages).length === 0) ?? runnable[0];
    const why = modeErrors.length ? ` (${modeErrors.join('; ')})` : '';
    return { mode: 'none', python: best.python, info: best.info, plan: null, warning: `${NO_SANDBOX_WARNING}${why}` };
  }

  let fallback = null;
  for (const r of runnable) {
    const trial = trySandbox({ mode, tools, plan: r.plan, uid: mode === 'namespaces' ? uid : null, program: [r.python, '-I', '-B', '-c', PACKAGES_PROBE], limits });
    const inside = trial.ok ? parsePackagesProbe(trial.stdout) : null;
    if (!inside) {
      tried.push(`${r.python} does not run inside the sandbox: ${trial.why}`);
      continue;
    }
    const chosen = { mode, python: r.python, info: { ...r.info, ...inside }, plan: r.plan };
    const missing = missingOf(inside.packages);
    if (missing.length === 0) {
      if (tried.length) log(`code executor: using ${r.python}; skipped: ${tried.join('; ')}`);
      return chosen;
    }
    tried.push(`${r.python} lacks ${missing.join(', ')} inside the sandbox`);
    fallback ??= chosen;
  }
  if (fallback) {
    log(`code executor: using ${fallback.python} although it lacks packages (${tried.join('; ')})`);
    return fallback;
  }
  return { mode, python: null, info: null, plan: null, error: `no Python works inside the ${mode} sandbox (${tried.join('; ')})` };
}
