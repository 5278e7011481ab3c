// The whole test suite: type check, the wrangler-generated binding types being current, the import
// direction between layers (docs/architecture.md §2), the three vitest
// tiers (unit, integration in workerd, SDK contract), the README's API coverage table, and the
// production build. `npm test` runs it with Node 22 first on
// PATH (the `node` devDependency). Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const report = 'test/.tmp/vitest-report.json';
mkdirSync('test/.tmp', { recursive: true });
const steps = [
  ['node', ['scripts/build-console.mjs']], // the console (console/dist), served by the worker the tests start
  ['tsc', ['--noEmit']],
  // worker-configuration.d.ts is current (`npm run types` regenerates it after a wrangler.toml change).
  ['wrangler', ['types', 'worker-configuration.d.ts', '--env', 'production', '--env-file', 'scripts/types.env', '--include-runtime=false', '--env-interface', 'WorkerBindings', '--check']],
  ['node', ['scripts/check-layers.mjs']], // no lower layer imports a higher one (docs/architecture.md §2)
  ['vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]],
  ['node', ['scripts/spec-coverage.mjs', '--check', 'README.md']],
  ['node', ['scripts/deploy-check.mjs']],
];

/** The closing line CI reads: `N passed, N failed` (from vitest's JSON report). */
function summary() {
  if (!existsSync(report)) return '';
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  return `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

let closing = '';
for (const [cmd, args] of steps) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  if (cmd === 'vitest') closing = summary();
  if (r.status !== 0) {
    if (closing) console.log(`\n${closing}`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\n${closing}`);
