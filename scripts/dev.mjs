// `npm run dev`: the server on http://localhost:8787/v1 with every binding local (D1, R2, Durable
// Objects, Queues under miniflare; no Cloudflare account, no network). Applies the D1 migrations to
// the local database first. OPENAI_BASE_URL, OPENAI_API_KEY and ADMIN_API_KEY come from the
// environment or from .dev.vars; without an ADMIN_API_KEY anywhere a fixed local one is used and printed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const PASSED = ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ADMIN_API_KEY'];
const LOCAL_ADMIN_KEY = 'sk-admin-local-development-key';

function readDevVars() {
  if (!existsSync('.dev.vars')) return {};
  const vars = {};
  for (const line of readFileSync('.dev.vars', 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const devVars = readDevVars();
const vars = [];
for (const name of PASSED) {
  const value = process.env[name] ?? devVars[name];
  if (value) vars.push('--var', `${name}:${value}`);
}
if (!process.env.ADMIN_API_KEY && !devVars.ADMIN_API_KEY) {
  vars.push('--var', `ADMIN_API_KEY:${LOCAL_ADMIN_KEY}`);
  console.log(`\nNo ADMIN_API_KEY set: using the local admin key ${LOCAL_ADMIN_KEY}`);
  console.log('Use it as OPENAI_API_KEY with baseURL http://localhost:8787/v1, or mint project keys with it (README).\n');
}

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? 'true' };
const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local'], { stdio: 'inherit', env });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn('wrangler', ['dev', ...vars, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...env, CI: process.env.CI ?? '' },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', (code) => process.exit(code ?? 0));
