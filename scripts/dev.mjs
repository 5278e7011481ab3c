// `npm run dev`: the server on http://localhost:8787/v1 with every binding local (D1, R2, Durable
// Objects, Queues under miniflare; no Cloudflare account, no network). Applies the D1 migrations to
// the local database first. OPENAI_BASE_URL, OPENAI_API_KEY and ADMIN_API_KEY come from the
// environment or from .dev.vars; without an ADMIN_API_KEY anywhere a fixed local one is used and printed.
// code_interpreter: starts the local code executor (scripts/code-executor/server.mjs, sandboxed Python)
// and passes its URL and token to the worker as CODE_EXECUTOR_URL / CODE_EXECUTOR_TOKEN, unless
// CODE_EXECUTOR_URL is already set; without Python it says code_interpreter is unavailable.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { findPython, startCodeExecutor } from './code-executor/server.mjs';
import { startEmbeddingsServer } from './embeddings-server/server.mjs';

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

let codeExecutor = null;
const presetExecutor = process.env.CODE_EXECUTOR_URL ?? devVars.CODE_EXECUTOR_URL;
const python = presetExecutor ? null : findPython();
if (presetExecutor) {
  vars.push('--var', `CODE_EXECUTOR_URL:${presetExecutor}`);
  const presetToken = process.env.CODE_EXECUTOR_TOKEN ?? devVars.CODE_EXECUTOR_TOKEN;
  if (presetToken) vars.push('--var', `CODE_EXECUTOR_TOKEN:${presetToken}`);
  console.log(`code_interpreter: using the code executor at ${presetExecutor}`);
} else if (!python) {
  console.log('code_interpreter is unavailable: no python3 found (install python3 with numpy, pandas and matplotlib, e.g.');
  console.log('`apt-get install python3 python3-numpy python3-pandas python3-matplotlib`, or set CODE_EXECUTOR_PYTHON).');
} else {
  try {
    const token = randomBytes(24).toString('hex');
    codeExecutor = await startCodeExecutor({ port: 0, token, python });
    const health = codeExecutor.health();
    const missing = Object.entries(health.packages).filter(([, v]) => !v).map(([k]) => k);
    console.log(
      `code_interpreter: local code executor at ${codeExecutor.url} (python ${health.python}, isolation: ${health.isolation}` +
        `${missing.length ? `; missing packages: ${missing.join(', ')}` : ''})`,
    );
    vars.push('--var', `CODE_EXECUTOR_URL:${codeExecutor.url}`, '--var', `CODE_EXECUTOR_TOKEN:${token}`);
  } catch (err) {
    console.log(`code_interpreter is unavailable: the local code executor did not start: ${err.message}`);
  }
}

// file_search embeddings: without EMBEDDINGS_BASE_URL, the local model (scripts/embeddings-server) gives semantic search.
let embeddingsServer = null;
if (!(process.env.EMBEDDINGS_BASE_URL ?? devVars.EMBEDDINGS_BASE_URL)) {
  embeddingsServer = await startEmbeddingsServer({ port: 0 });
  console.log(`file_search: local embeddings (${embeddingsServer.model}, ${embeddingsServer.dimensions} dims) at ${embeddingsServer.url}`);
  vars.push('--var', `EMBEDDINGS_BASE_URL:${embeddingsServer.url}`, '--var', `EMBEDDINGS_MODEL:${embeddingsServer.model}`, '--var', `EMBEDDINGS_DIMENSIONS:${embeddingsServer.dimensions}`);
} else for (const name of ['EMBEDDINGS_BASE_URL', 'EMBEDDINGS_API_KEY', 'EMBEDDINGS_MODEL', 'EMBEDDINGS_DIMENSIONS']) {
  const value = process.env[name] ?? devVars[name];
  if (value) vars.push('--var', `${name}:${value}`);
}

async function stopCodeExecutor() {
  await codeExecutor?.close().catch(() => {});
  codeExecutor = null;
  await embeddingsServer?.close().catch(() => {});
  embeddingsServer = null;
}

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? 'true' };
const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local'], { stdio: 'inherit', env });
if (migrate.status !== 0) {
  await stopCodeExecutor();
  process.exit(migrate.status ?? 1);
}

const dev = spawn('wrangler', ['dev', ...vars, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...env, CI: process.env.CI ?? '' },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', async (code) => {
  await stopCodeExecutor();
  process.exit(code ?? 0);
});
