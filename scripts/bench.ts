// `npm run bench`: what a run costs beyond the model's own time. Not a test (no thresholds): it prints
// figures and ratios. The worker runs under wrangler's local runtime (the same miniflare/workerd as
// `wrangler dev`), the model is a scripted Chat Completions upstream with configurable latency.
//
//   BENCH_LATENCY_MS  upstream time to first token (default 100)
//   BENCH_RUNS        sequential runs for (a), (b), (d) (default 30)
//   BENCH_CONCURRENCY concurrent runs on as many threads for (c) (default 50)
import OpenAI from 'openai';
import { startWorker } from '../test/support/global-setup';
import { startScriptedUpstream } from '../test/support/scripted-upstream';

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ADMIN = 'sk-admin-benchmark-key-000000001';
const SCRIPT = { text: 'The quick brown fox jumps over the lazy dog, twice over.', chunkSize: 6, delayMs: LATENCY, chunkDelayMs: 5 };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;

async function main() {
  const upstream = await startScriptedUpstream();
  const { server, baseURL } = await startWorker(process.cwd(), ADMIN, { UPSTREAM_OPENAI_BASE_URL: upstream.url, UPSTREAM_OPENAI_API_KEY: 'sk-bench' });
  const client = new OpenAI({ baseURL, apiKey: ADMIN, maxRetries: 0 });
  const direct = new OpenAI({ baseURL: upstream.url, apiKey: 'sk-bench', maxRetries: 0 });
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', instructions: 'Benchmark.' });
  let seq = 0;
  const marker = () => `[bench-${seq++}]`;
  const recorded = (m: string) => upstream.requests.find((r) => JSON.stringify(r.body?.messages ?? '').includes(m))!;

  // Baseline: the same completion straight from the upstream.
  const directTotal: number[] = [];
  const directTtft: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = marker();
    upstream.push({ ...SCRIPT, match: m });
    const t0 = performance.now();
    let first = 0;
    const stream = await direct.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: m }] });
    for await (const chunk of stream) if (!first && chunk.choices[0]?.delta?.content) first = performance.now();
    directTotal.push(performance.now() - t0);
    directTtft.push(first - t0);
  }

  // (a) overhead and (b) time to first token, through a streamed run.
  const overhead: number[] = [];
  const total: number[] = [];
  const ttft: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = marker();
    upstream.push({ ...SCRIPT, match: m });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: m }] });
    const t0 = performance.now();
    let first = 0;
    let done = 0;
    const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    for await (const e of stream) {
      if (!first && e.event === 'thread.message.delta') first = performance.now();
      if (e.event === 'thread.run.completed') done = performance.now();
    }
    const r = recorded(m);
    const upstreamOwn = r.finishedAt! - r.receivedAt;
    total.push(done - t0);
    overhead.push(done - t0 - upstreamOwn);
    ttft.push(first - t0);
  }

  // (d) createAndPoll: from the upstream's last byte to the helper returning.
  const pollDelay: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = marker();
    upstream.push({ ...SCRIPT, match: m });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: m }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    const returned = Date.now();
    if (run.status !== 'completed') throw new Error(`run ${run.id} ended ${run.status}`);
    pollDelay.push(returned - recorded(m).finishedAt!);
  }

  // The local floor: what any request costs through the same SDK and local runtime, alone and in a burst.
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await client.beta.assistants.retrieve(assistant.id);
    floor.push(performance.now() - t0);
  }
  const b0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => client.beta.assistants.retrieve(assistant.id)));
  const burst = performance.now() - b0;

  // (c) many runs at once, each on its own thread.
  const threads = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const m = marker();
      upstream.push({ ...SCRIPT, match: m });
      return client.beta.threads.create({ messages: [{ role: 'user', content: m }] });
    }),
  );
  const c0 = performance.now();
  const results = await Promise.all(threads.map((t) => client.beta.threads.runs.createAndPoll(t.id, { assistant_id: assistant.id })));
  const wall = performance.now() - c0;
  const failed = results.filter((r) => r.status !== 'completed').length;

  const single = pct(total, 50);
  console.log(`\nassistants-edge run benchmark: upstream first-token latency ${LATENCY} ms, ${RUNS} runs each, ${CONCURRENCY} concurrent`);
  console.log(`upstream alone:            total ${fmt(directTotal)}; first token ${fmt(directTtft)}`);
  console.log(`(a) run overhead:          ${fmt(overhead)}   (POST /runs → thread.run.completed, minus the upstream's own time; target p50 ≤ 15 ms)`);
  console.log(`    run total:             ${fmt(total)}`);
  console.log(`(b) time to first token:   ${fmt(ttft)} through us vs ${fmt(directTtft)} direct → +${(pct(ttft, 50) - pct(directTtft, 50)).toFixed(1)} ms at p50, +${(pct(ttft, 95) - pct(directTtft, 95)).toFixed(1)} ms at p95 (target p50 ≤ 15 ms)`);
  console.log(`(c) ${CONCURRENCY} concurrent runs:     wall ${wall.toFixed(0)} ms vs one run ${single.toFixed(0)} ms → ${(wall / single).toFixed(2)}× (target ≤ 1.5×)${failed ? `; ${failed} did not complete` : ''}`);
  console.log(`local floor:               one trivial GET (retrieve assistant) ${fmt(floor)}; ${CONCURRENCY} at once ${burst.toFixed(0)} ms wall`);
  console.log(`(d) createAndPoll delay:   ${fmt(pollDelay)}   (upstream's last byte → helper returns; target ≤ 100 ms)`);

  await server.close();
  await upstream.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
