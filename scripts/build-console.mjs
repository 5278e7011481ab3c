// Builds the console (console/, Vite + Preact) into console/dist, the directory wrangler.toml [assets]
// serves at `/`. Called by `npm run dev`, `npm test` and wrangler's [build] step (so `wrangler deploy`
// and the test harness get it too). Skips the build when console/dist is newer than every source file,
// so calling it more than once costs nothing. `--force` always rebuilds. The console's TypeScript is
// type-checked first (Vite only strips types), so a type error fails the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../console', import.meta.url));
const built = join(root, 'dist', 'index.html');

/** Newest modification time under `path` (files and folders), skipping the build output. */
function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (path === root && (name === 'dist' || name === 'node_modules')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const force = process.argv.includes('--force');
if (!force && existsSync(built) && statSync(built).mtimeMs >= newest(root)) {
  process.exit(0);
}
const started = Date.now();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit' });
if (check.status !== 0) {
  console.error('console: type check failed (tsc -p console)');
  process.exit(check.status ?? 1);
}
const { build } = await import('vite');
await build({ configFile: join(root, 'vite.config.mjs') });
console.log(`console built into console/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
