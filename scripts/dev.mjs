// `npm run dev`: the server on http://localhost:8787/v1 with every binding local (D1, R2, Durable
// Objects, Queues under miniflare; no Cloudflare account, no network). Applies the D1 migrations to
// the local database first.
// Settings: every name in scripts/settings.json, from the environment or .dev.vars (the environment
// wins), except the shell's OPENAI_BASE_URL / OPENAI_API_KEY, which belong to the OpenAI SDKs
// (scripts/dev-settings.mjs). They reach wrangler through a private file (`--env-file`), never as
// command-line arguments that `ps` would show. Without an ADMIN_API_KEY a fixed local one is used.
// code_interpreter: starts the local code executor (scripts/code-executor/server.mjs, sandboxed Python)
// unless CODE_EXECUTOR_URL is set. Once wrangler is ready, a summary says what is configured and where
// each value came from (scripts/dev-summary.mjs). Extra arguments go to `wrangler dev` (e.g. --port 8797).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { findPython, startCodeExecutor } from './code-executor/server.mjs';
import { devPort, resolveSettings, selfReference, writePrivateEnvFile } from './dev-settings.mjs';
import { summaryLines } from './dev-summary.mjs';
import { startEmbeddingsServer } from './embeddings-server/server.mjs';

const args = process.argv.slice(2);
const port = devPort(args);
// DEV_VARS names another file than .dev.vars (the dev-server test points it at an empty one).
const { settings, ignored } = resolveSettings(process.env, process.env.DEV_VARS || '.dev.vars');
// --persist-to (wrangler dev's local state directory) applies to the migrations too.
const persistAt = args.findIndex((a) => a === '--persist-to' || a.startsWith('--persist-to='));
const persist = persistAt === -1 ? [] : args[persistAt].includes('=') ? [args[persistAt]] : args.slice(persistAt, persistAt + 2);

const loop = selfReference(settings, port);
if (loop) {
  console.error(`\nnpm run dev: refusing to start.\n${loop}\n`);
  process.exit(1);
}

const values = Object.fromEntries(Object.entries(settings).map(([name, { value }]) => [name, value]));

let codeExecutor = null;
let codeInterpreter;
if (settings.CODE_EXECUTOR_URL) {
  codeInterpreter = `the code executor at ${settings.CODE_EXECUTOR_URL.value} (CODE_EXECUTOR_URL from ${settings.CODE_EXECUTOR_URL.source})`;
} else {
  const python = findPython();
  if (!python) {
    codeInterpreter =
      'unavailable: no python3 found (install python3 with numpy, pandas and matplotlib, e.g. ' +
      '`apt-get install python3 python3-numpy python3-pandas python3-matplotlib`, or set CODE_EXECUTOR_PYTHON)';
  } else {
    try {
      const token = randomBytes(24).toString('hex');
      codeExecutor = await startCodeExecutor({ port: 0, token, python });
      const health = codeExecutor.health();
      const missing = Object.entries(health.packages).filter(([, v]) => !v).map(([k]) => k);
      codeInterpreter =
        `local executor at ${codeExecutor.url} (python ${health.python}, isolation: ${health.isolation}` +
        `${missing.length ? `; missing packages: ${missing.join(', ')}` : '; numpy, pandas, matplotlib'})`;
      values.CODE_EXECUTOR_URL = codeExecutor.url;
      values.CODE_EXECUTOR_TOKEN = token;
    } catch (err) {
      codeInterpreter = `unavailable: the local code executor did not start: ${err.message}`;
    }
  }
}

// file_search embeddings: without EMBEDDINGS_BASE_URL, the local model (scripts/embeddings-server) gives
// semantic search with no account and no network.
let embeddingsServer = null;
let embeddings;
if (!settings.EMBEDDINGS_BASE_URL) {
  try {
    embeddingsServer = await startEmbeddingsServer({ port: 0 });
    values.EMBEDDINGS_BASE_URL = embeddingsServer.url;
    values.EMBEDDINGS_MODEL = embeddingsServer.model;
    values.EMBEDDINGS_DIMENSIONS = String(embeddingsServer.dimensions);
    embeddings = `local model ${embeddingsServer.model} (${embeddingsServer.dimensions} dims) at ${embeddingsServer.url}`;
  } catch (err) {
    embeddings = `none: the local embeddings server did not start (${err.message}); file_search ranks by keywords only`;
  }
}

// mcp tools: a local MCP server (http://localhost:…) is reachable in development; production allows
// neither plain http nor loopback unless its operator lists hosts (docs/mcp.md "Safety").
const LOOPBACK = 'localhost,127.0.0.1,[::1]';
if (!settings.MCP_ALLOW_HTTP_HOSTS) values.MCP_ALLOW_HTTP_HOSTS = LOOPBACK;
if (!settings.MCP_ALLOW_PRIVATE_HOSTS) values.MCP_ALLOW_PRIVATE_HOSTS = LOOPBACK;

async function stopCodeExecutor() {
  await codeExecutor?.close().catch(() => {});
  codeExecutor = null;
  await embeddingsServer?.close().catch(() => {});
  embeddingsServer = null;
}

// Offline and quiet: no telemetry; miniflare would otherwise fetch https://workers.cloudflare.com/cf.json
// at every start and print a stack trace when offline.
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
// The summary waits for wrangler's "Ready on" line, an info line: a quieter WRANGLER_LOG would hide it.
if (['none', 'error', 'warn'].includes((env.WRANGLER_LOG ?? '').toLowerCase())) env.WRANGLER_LOG = 'log';
for (const name of Object.keys(values)) delete env[name];
delete env.DEV_VARS;

spawnSync('node', ['scripts/build-console.mjs'], { stdio: 'inherit' }); // the console at / (wrangler's [build] rebuilds it on change)

const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], { encoding: 'utf8', env: { ...env, CI: 'true' } });
if (migrate.status !== 0) {
  process.stdout.write(migrate.stdout ?? '');
  process.stderr.write(migrate.stderr ?? '');
  await stopCodeExecutor();
  process.exit(migrate.status ?? 1);
}
const applied = (migrate.stdout.match(/│\s*\d{4}_\S+\.sql\s*│\s*✅/g) ?? []).length;
console.log(applied ? `local D1: applied ${applied} migration(s)` : 'local D1: migrations up to date');

const envFile = writePrivateEnvFile(values);
const dev = spawn('wrangler', ['dev', '--env-file', envFile.path, ...args], { stdio: ['inherit', 'pipe', 'inherit'], env });

// wrangler's output, minus its binding table (it repeats on every reload) and the env-file notice;
// the summary replaces them once wrangler says where it listens.
let inBindings = false;
let summarized = false;
createInterface({ input: dev.stdout }).on('line', (line) => {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  if (/has access to the following bindings/.test(plain)) return void (inBindings = true);
  if (inBindings) {
    if (plain.trim() === '') inBindings = false;
    return;
  }
  if (plain.includes(envFile.path)) return;
  console.log(line);
  const ready = /Ready on (https?:\/\/\S+)/.exec(plain);
  if (ready && !summarized) {
    summarized = true;
    const origin = ready[1].replace(/\/+$/, '').replace('//127.0.0.1', '//localhost');
    console.log(summaryLines({ origin, settings, ignored, codeInterpreter, embeddings }).join('\n'));
  }
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', async (code) => {
  envFile.remove();
  await stopCodeExecutor();
  process.exit(code ?? 0);
});
