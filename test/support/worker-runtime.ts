// The worker as `npm run dev` runs it (wrangler's dev runtime, `unstable_startWorker`: D1, R2, Durable
// Objects and queues all local under miniflare, no account, no network), for the contract tests and the
// benchmarks. Not wrangler's test harness (`createTestHarness`): the harness sends every outgoing fetch
// of the worker through a handler in its own Node process (`dev.outboundService`), which builds a new
// request without the worker's signal. Through it an aborted model request still ran to its end at the
// upstream, a process hop `npm run dev` and a deployment do not make (measured: +4 ms per embeddings
// call at 10k chunks, README "Benchmarks"). Here workerd fetches directly, aborts included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unstable_splitSqlQuery, unstable_startWorker } from 'wrangler';
import { isolatedSettings } from './settings';

/** Keep wrangler offline and quiet: no telemetry, no Request.cf download, never remote bindings. */
export function offlineEnv(): void {
  process.env.WRANGLER_SEND_METRICS = 'false';
  // Miniflare otherwise fetches https://workers.cloudflare.com/cf.json at startup and warns when offline.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  delete process.env.CLOUDFLARE_API_TOKEN;
  // wrangler's own info lines (one per queue batch, the static assets' header rules): warnings and errors only.
  process.env.WRANGLER_LOG ??= 'warn';
}

export interface LocalWorker {
  /** SDK base URL, e.g. http://127.0.0.1:40123/v1 (no trailing slash). */
  baseURL: string;
  /** The runtime's own socket, behind wrangler's dev proxy (which the base URL goes through): for benchmarks. */
  runtimeURL: URL;
  env: { DB: D1Database };
  server: { close(): Promise<void> };
}

/**
 * Start the worker in `root` (its wrangler.toml, or `bench.configPath`) with every setting explicit
 * (isolatedSettings: the developer's .dev.vars must not reach the tests) and apply the D1 migrations.
 * `npm run bench`'s latency mode runs a bench-only entry with its own vars.
 */
export async function startWorker(
  root: string,
  adminKey: string,
  secrets: Record<string, string> = {},
  bench: { configPath?: string; vars?: Record<string, string> } = {},
): Promise<LocalWorker> {
  offlineEnv();
  const settings = { ...isolatedSettings({ ...secrets, ADMIN_API_KEY: adminKey }), ...bench.vars };
  const worker = await unstable_startWorker({
    config: join(root, bench.configPath ?? 'wrangler.toml'),
    bindings: Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, { type: 'secret_text' as const, value }])),
    dev: {
      server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, logLevel: 'none', watch: false,
      // The worker's own log lines (one JSON line per run end, failed upstream call...) are not printed,
      // as under wrangler's test harness: the tests provoke thousands of them.
      structuredLogsHandler: () => {},
    },
  });
  try {
    await worker.ready;
    const url = await worker.url;
    // The dev environment holds a local and a remote runtime controller; only the local one has a
    // Miniflare, once the worker's first reload has completed.
    const mf = await localMiniflare(worker.raw.runtimes);
    const env = (await mf.getBindings()) as { DB: D1Database };
    await applyMigrations(env.DB, join(root, 'migrations'));
    const runtimeURL = await mf.ready;
    // The URL ends with a slash (http://127.0.0.1:PORT/).
    return { baseURL: new URL('v1', url).href, runtimeURL, env, server: { close: () => worker.dispose() } };
  } catch (err) {
    await worker.dispose().catch(() => {});
    throw err;
  }
}

type Runtime = Awaited<ReturnType<typeof unstable_startWorker>>['raw']['runtimes'][number];

async function localMiniflare(runtimes: Runtime[]): Promise<NonNullable<Runtime['mf']>> {
  for (let i = 0; i < 600; i++) {
    const mf = runtimes.map((r) => r.mf).find((m) => m !== undefined);
    if (mf) return mf;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('wrangler dev runtime: the local runtime did not start within 60 s');
}

/** Every migration in file order (the database is new: no d1_migrations bookkeeping is needed). */
async function applyMigrations(DB: D1Database, dir: string): Promise<void> {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, file), 'utf8'));
    await DB.batch(statements.map((s) => DB.prepare(s)));
  }
}
