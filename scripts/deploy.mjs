// `npm run deploy`: the production deploy ([env.production] in wrangler.toml) from a fresh account to a
// running Worker, every step idempotent so it can simply be run again:
//  1. the queues (and their dead-letter queues) named in the config, which wrangler does not provision;
//  2. the Vectorize index, with the dimensions of the configured embedder (an existing index with other
//     dimensions stops the deploy: vectors of another length cannot be stored in it);
//  3. `wrangler deploy --env production`: creates the D1 database and the R2 bucket on the first deploy
//     (automatic provisioning), builds the code-interpreter image with Docker (without Docker:
//     `--containers-rollout=none`, said out loud), and on the first deploy uploads the required secrets
//     from a private file (ADMIN_API_KEY: from the environment, else generated and printed once);
//  4. the D1 migrations, remotely.
// `npm run deploy -- --plan` prints the steps without running anything.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { unstable_readConfig } from 'wrangler';
import { writePrivateEnvFile } from './dev-settings.mjs';
import { indexDimensions } from './embedding-dimensions.mjs';

const ENV = 'production';
const plan = process.argv.includes('--plan');
const config = unstable_readConfig({ config: 'wrangler.toml', env: ENV });
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };

function wrangler(args, { allowFailure = false } = {}) {
  console.log(`$ wrangler ${args.join(' ')}`);
  if (plan) return { status: 0, stdout: '', stderr: '' };
  const r = spawnSync('wrangler', args, { encoding: 'utf8', env });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 && !allowFailure) {
    console.error(output);
    console.error(`npm run deploy: \`wrangler ${args.join(' ')}\` failed; fix the cause above and run it again (every step is idempotent).`);
    process.exit(r.status ?? 1);
  }
  return { ...r, output };
}

if (!plan && wrangler(['whoami'], { allowFailure: true }).output?.includes('not authenticated')) {
  console.error('npm run deploy: log in first (`npx wrangler login`) or set CLOUDFLARE_API_TOKEN.');
  process.exit(1);
}

// 1. Queues: every producer, consumer and dead-letter queue of the production config.
const queues = new Set([
  ...config.queues.producers.map((p) => p.queue),
  ...config.queues.consumers.flatMap((c) => [c.queue, c.dead_letter_queue].filter(Boolean)),
]);
for (const name of queues) {
  const r = wrangler(['queues', 'create', name], { allowFailure: true });
  if (r.status !== 0 && !/already (exists|taken)/i.test(r.output)) {
    console.error(r.output);
    process.exit(r.status ?? 1);
  }
}

// 2. Vectorize, sized for the embedder the Worker will use.
const vars = { ...config.vars, ...process.env };
const { dimensions, why } = indexDimensions(vars, Boolean(config.ai));
for (const { index_name: name } of config.vectorize) {
  const existing = wrangler(['vectorize', 'get', name, '--json'], { allowFailure: true });
  if (existing.status === 0 && !plan) {
    const found = Number(/"dimensions"\s*:\s*(\d+)/.exec(existing.output)?.[1]);
    if (found && found !== dimensions) {
      console.error(
        `npm run deploy: the Vectorize index ${name} has ${found} dimensions, but the embedder (${why}) makes ${dimensions}. ` +
          `Set EMBEDDINGS_MODEL/EMBEDDINGS_DIMENSIONS to match the index, or delete it (\`wrangler vectorize delete ${name}\`; ` +
          'its vectors are rebuilt by re-adding the files) and run again.',
      );
      process.exit(1);
    }
  } else {
    wrangler(['vectorize', 'create', name, `--dimensions=${dimensions}`, '--metric=cosine']);
  }
  console.log(`  ${name}: ${dimensions} dimensions (${why})`);
}

// 3. Deploy. Required secrets go up with the first deploy of a new Worker (wrangler refuses it otherwise).
const deployArgs = ['deploy', '--env', ENV];
const docker = spawnSync('docker', ['info'], { stdio: 'ignore' });
if (docker.status !== 0) {
  console.log('Docker is not available: deploying with --containers-rollout=none. code_interpreter runs fail with a clear');
  console.log('error until the container image is built (run `npm run deploy` again where Docker runs).');
  deployArgs.push('--containers-rollout=none');
}
const required = config.secrets?.required ?? [];
const listed = plan ? { status: 1, output: '' } : wrangler(['secret', 'list', '--env', ENV, '--format', 'json'], { allowFailure: true });
const missing = required.filter((name) => listed.status !== 0 || !listed.output.includes(`"${name}"`));
let secretsFile;
if (missing.length > 0) {
  const secrets = {};
  for (const name of missing) {
    if (process.env[name]) secrets[name] = process.env[name];
    else if (name === 'ADMIN_API_KEY') {
      secrets[name] = `sk-admin-${randomBytes(24).toString('hex')}`;
      if (!plan) console.log(`\nGenerated ADMIN_API_KEY (shown once; it is stored as a Worker secret): ${secrets[name]}\n`);
    } else {
      console.error(`npm run deploy: set ${name} in the environment for the first deploy (a required secret).`);
      process.exit(1);
    }
  }
  secretsFile = writePrivateEnvFile(secrets);
  deployArgs.push('--secrets-file', secretsFile.path);
}
try {
  const deployed = wrangler(deployArgs);
  const url = /https:\/\/\S+\.workers\.dev/.exec(deployed.output ?? '')?.[0];
  // 4. Migrations: the database exists now (created by the deploy when it was new).
  wrangler(['d1', 'migrations', 'apply', 'DB', '--env', ENV, '--remote']);
  console.log(`\nDeployed${url ? `: ${url}/v1` : ''}. Model providers: \`npx wrangler secret put UPSTREAM_OPENAI_API_KEY --env ${ENV}\` (or ANTHROPIC_API_KEY); Workers AI needs none.`);
} finally {
  secretsFile?.remove();
}
