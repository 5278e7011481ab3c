// The whole test suite: type check, the three vitest tiers, and the production build check.
// `npm test` runs it with Node 22 first on PATH (the `node` devDependency).
import { spawnSync } from 'node:child_process';

const steps = [
  ['tsc', ['--noEmit']],
  ['vitest', ['run', ...process.argv.slice(2)]],
  ['node', ['scripts/deploy-check.mjs']],
];
for (const [cmd, args] of steps) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
