// `npm run bench:profile` (not a test): a CPU profile of the worker (workerd's V8, through `wrangler dev`'s
// inspector) over BENCH_RUNS streamed runs and as many trivial GETs against the scripted upstream.
// Prints the functions with the most self time and writes the profile to bench-profile.cpuprofile
// (open it in Chrome DevTools → Performance, or VS Code).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
// @ts-expect-error ws ships no types here; only its client is used.
import WebSocket from 'ws';
import { startScriptedUpstream } from '../test/support/scripted-upstream';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PORT = 8799;
const INSPECTOR = 9239;
const ADMIN = 'sk-admin-benchmark-key-000000001';
const SAMPLING_US = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error(`${url} did not answer`);
}

/** A minimal Chrome DevTools Protocol session over the inspector's WebSocket. */
async function inspector(): Promise<(method: string, params?: object) => Promise<any>> {
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json()) as Array<{ title: string; webSocketDebuggerUrl: string }>;
  const target = targets.find((t) => !/miniflare|proxy/i.test(t.title)) ?? targets[0]!;
  console.error(`profiling inspector target: ${target.title}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let id = 0;
  const pending = new Map<number, (v: any) => void>();
  ws.on('message', (data: unknown) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? msg.error);
  });
  return (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

async function main() {
  const upstream = await startScriptedUpstream();
  const persist = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  const migrate = spawn('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], { env, stdio: 'ignore' });
  await new Promise((r) => migrate.on('exit', r));
  const vars = { ADMIN_API_KEY: ADMIN, UPSTREAM_OPENAI_BASE_URL: upstream.url, UPSTREAM_OPENAI_API_KEY: 'sk-bench' };
  const dev = spawn(
    'npx',
    ['wrangler', 'dev', '--minify=false', '--port', String(PORT), '--inspector-port', String(INSPECTOR), '--persist-to', persist, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])],
    { env, stdio: 'ignore', detached: true },
  );
  try {
    await waitFor(`http://127.0.0.1:${PORT}/healthz`);
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${PORT}/v1`, apiKey: ADMIN, maxRetries: 0 });
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', instructions: 'Benchmark.' });
    const run = async (i: number) => {
      const m = `[profile-${i}]`;
      upstream.push({ text: 'The quick brown fox jumps over the lazy dog, twice over.', chunkSize: 6, delayMs: 50, chunkDelayMs: 5, match: m });
      const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: m }] });
      for await (const _ of client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id }));
      await client.beta.assistants.retrieve(assistant.id);
    };
    await run(-1); // warm up
    const cdp = await inspector();
    await cdp('Profiler.enable');
    await cdp('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await cdp('Profiler.start');
    for (let i = 0; i < RUNS; i++) await run(i);
    const { profile } = (await cdp('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } };
    writeFileSync('bench-profile.cpuprofile', JSON.stringify(profile));
    const perNode = new Map<number, number>();
    for (const s of profile.samples) perNode.set(s, (perNode.get(s) ?? 0) + 1);
    const byFn = new Map<string, number>();
    for (const n of profile.nodes) {
      const hits = perNode.get(n.id) ?? 0;
      if (!hits) continue;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
      byFn.set(key, (byFn.get(key) ?? 0) + hits);
    }
    const total = profile.samples.length;
    const idle = [...byFn].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
    // V8 takes a sample every SAMPLING_US while the isolate runs JavaScript (none while it waits), so
    // busy samples × interval estimates the worker's own JS time; the rest of workerd's CPU
    // (npm run bench, /proc) is the runtime and miniflare's local services (D1, queues, proxies).
    console.log(
      `worker JS ≈ ${(((total - idle) * SAMPLING_US) / 1000 / RUNS).toFixed(1)} ms per iteration (thread create + streamed run + trivial GET), ` +
        `${total} samples (${idle} idle) over ${RUNS} iterations; top self time (busy samples):`,
    );
    // The bundle wrangler dev serves (unminified): each entry shows its source line.
    const dir = readdirSync('.wrangler/tmp').find((d) => d.startsWith('dev-'));
    const bundle = dir ? readFileSync(`.wrangler/tmp/${dir}/index.js`, 'utf8').split('\n') : [];
    for (const [k, v] of [...byFn].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
      const at = /index\.js:(\d+):(\d+)$/.exec(k);
      const src = at ? (bundle[Number(at[1]) - 1] ?? '').trim().slice(0, 90) : '';
      console.log(`${((100 * v) / (total - idle)).toFixed(1).padStart(5)}%  ${k}${src ? `   ${src}` : ''}`);
    }
  } finally {
    process.kill(-dev.pid!);
    await upstream.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
