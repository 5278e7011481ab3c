// Builds the production configuration ([env.production] in wrangler.toml, with the Vectorize and
// Workers AI bindings local dev leaves out) exactly as `wrangler deploy` would, without uploading,
// and reports the bundle size. Part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const outdir = 'dist/production';
const r = spawnSync('wrangler', ['deploy', '--dry-run', '--env', 'production', '--outdir', outdir, '--containers-rollout=none'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
const output = `${r.stdout}\n${r.stderr}`;
if (r.status !== 0) {
  console.error(output);
  console.error('production build (wrangler deploy --dry-run --env production) FAILED');
  process.exit(r.status ?? 1);
}
for (const line of output.split('\n')) {
  if (/Total Upload|env\.(AI|VECTORIZE|DB|FILES|THREADS|SANDBOX|RUN_QUEUE|INGEST_QUEUE)\b/.test(line)) console.log(line.trim());
}
let raw = 0;
let gz = 0;
for (const name of readdirSync(outdir)) {
  const path = join(outdir, name);
  if (!statSync(path).isFile() || name.endsWith('.map')) continue;
  const bytes = readFileSync(path);
  raw += bytes.length;
  gz += gzipSync(bytes).length;
}
console.log(`production bundle: ${(raw / 1024).toFixed(1)} KiB (gzip ${(gz / 1024).toFixed(1)} KiB); Workers limit: 3 MiB gzip (Free), 10 MiB (Paid)`);
