// Bench only: the worker under wrangler's dev runtime configured as `npm run dev` runs it
// (`wrangler dev`: workerd sends the worker's outgoing fetches straight to their destination), for
// benchmarks whose figures include outgoing calls on the critical path (the query embedding of a
// search, `npm run bench:retrieval`). wrangler's test harness (test/support/global-setup.ts), which
// the tests use, sends every outgoing fetch through a handler in its Node process instead
// (`dev.outboundService`): one more process hop per call (measured: +4 ms per embeddings call at
// 10k chunks), which `npm run dev` does not pay. The D1 migrations are applied as the harness does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unstable_splitSqlQuery, unstable_startWorker } from 'wrangler';
import { offlineEnv } from '../../test/support/global-setup';
import { isolatedSettings } from '../../test/support/settings';

export interface DevRuntime {
  baseURL: string;
  env: { DB: D1Database };
  close(): Promise<void>;
}

export async function startDevRuntime(root: string, adminKey: string, secrets: Record<string, string>): Promise<DevRuntime> {
  offlineEnv(); // as the tests' harness
  const settings = isolatedSettings({ ...secrets, ADMIN_API_KEY: adminKey });
  const worker = await unstable_startWorker({
    config: join(root, 'wrangler.toml'),
    bindings: Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, { type: 'secret_text' as const, value }])),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, logLevel: 'none', watch: false },
  });
  try {
    await worker.ready;
    const url = await worker.url;
    // The dev environment holds a local and a remote runtime controller; only the local one has a
    // Miniflare, once the worker's first reload has completed.
    const mf = await localMiniflare(worker.raw.runtimes);
    const env = (await mf.getBindings()) as { DB: D1Database };
    await applyMigrations(env.DB, join(root, 'migrations'));
    return { baseURL: new URL('v1', url).href, env, close: () => worker.dispose() };
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
