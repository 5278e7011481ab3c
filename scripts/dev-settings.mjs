// Settings for `npm run dev` (scripts/dev.mjs): every name the worker reads (scripts/settings.json), from
// the shell environment or .dev.vars, with where each came from; the refusal of an upstream that points at
// the dev server itself; and the private file that hands them to wrangler (never its command line, where
// every local user could read them with `ps`).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CATALOG = JSON.parse(readFileSync(new URL('./settings.json', import.meta.url), 'utf8')).settings;
export const LOCAL_ADMIN_KEY = 'sk-admin-local-development-key';
/** A fixed key for local development only (32 bytes, base64): stored MCP tool secrets survive restarts. */
export const LOCAL_MCP_SECRETS_KEY = 'bG9jYWwtZGV2LW1jcC1zZWNyZXRzLWtleS0wMDAwMDE=';

/**
 * The OpenAI SDKs read OPENAI_BASE_URL / OPENAI_API_KEY to find *this* server; exported in a shell they
 * describe the client, not the model upstream. Only .dev.vars may still use them as the upstream's old names.
 */
export const SDK_NAMES = new Set(['OPENAI_BASE_URL', 'OPENAI_API_KEY']);

/** KEY=value lines as wrangler reads .dev.vars (dotenv: optional quotes, `#` comments). */
export function parseDotenv(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(['"`])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    vars[m[1]] = value;
  }
  return vars;
}

/**
 * { name: { value, source } } for every setting that has a value. Source: 'environment' or '.dev.vars';
 * the shell's OPENAI_BASE_URL / OPENAI_API_KEY are reported in `ignored` instead.
 */
export function resolveSettings(env = process.env, devVarsPath = '.dev.vars') {
  const devVars = existsSync(devVarsPath) ? parseDotenv(readFileSync(devVarsPath, 'utf8')) : {};
  const settings = {};
  const ignored = [];
  for (const { name } of CATALOG) {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv.trim() !== '' && SDK_NAMES.has(name)) ignored.push(name);
    else if (fromEnv !== undefined && fromEnv.trim() !== '') {
      settings[name] = { value: fromEnv.trim(), source: 'environment' };
      continue;
    }
    const fromFile = devVars[name];
    if (fromFile !== undefined && fromFile.trim() !== '') settings[name] = { value: fromFile.trim(), source: devVarsPath };
  }
  if (!settings.ADMIN_API_KEY) settings.ADMIN_API_KEY = { value: LOCAL_ADMIN_KEY, source: 'default for local development' };
  if (!settings.MCP_SECRETS_KEY) settings.MCP_SECRETS_KEY = { value: LOCAL_MCP_SECRETS_KEY, source: 'default for local development' };
  return { settings, ignored, devVarsFound: existsSync(devVarsPath) };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '[::]', '::1']);

/** The upstream URL in effect (the worker's own precedence: src/config.ts). */
export function upstreamBaseUrl(settings) {
  return settings.UPSTREAM_OPENAI_BASE_URL ?? settings.OPENAI_BASE_URL;
}

/** Settings that name a provider's URL: none of them may be the dev server itself. */
const PROVIDER_URLS = ['UPSTREAM_OPENAI_BASE_URL', 'OPENAI_BASE_URL', 'EMBEDDINGS_BASE_URL', 'ANTHROPIC_BASE_URL'];

/**
 * An error message when a provider URL is the dev server itself (same local host and port), else
 * undefined. The server also refuses such calls at runtime (src/http/upstream-loop.ts); this catches
 * the mistake before anything starts.
 */
export function selfReference(settings, port) {
  for (const name of PROVIDER_URLS) {
    const entry = settings[name];
    if (!entry) continue;
    let url;
    try {
      url = new URL(entry.value);
    } catch {
      continue; // the worker's config validation reports a malformed URL
    }
    const urlPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (!LOCAL_HOSTS.has(url.hostname) || urlPort !== port) continue;
    const fix = name === 'EMBEDDINGS_BASE_URL' ? 'an embeddings provider' : name === 'ANTHROPIC_BASE_URL' ? "Anthropic's API" : 'your model provider';
    return (
      `${name}=${entry.value} (from ${entry.source}) points at this server (port ${port}), not at a provider: ` +
      `the server would call itself. Set ${name === 'OPENAI_BASE_URL' ? 'UPSTREAM_OPENAI_BASE_URL' : name} to ${fix} ` +
      `(e.g. https://api.openai.com/v1 or a local Ollama http://127.0.0.1:11434/v1), or leave it unset.`
    );
  }
  return undefined;
}

/** The port wrangler dev will listen on: `--port N` / `--port=N`, else wrangler.toml's [dev] port. */
export function devPort(args, fallback = 8787) {
  for (let i = 0; i < args.length; i++) {
    const m = /^--port(?:=(\d+))?$/.exec(args[i]);
    if (m) return Number(m[1] ?? args[i + 1]);
  }
  const toml = existsSync('wrangler.toml') ? readFileSync('wrangler.toml', 'utf8') : '';
  const m = /\[dev\][^[]*?\bport\s*=\s*(\d+)/.exec(toml);
  return m ? Number(m[1]) : fallback;
}

/** dotenv quoting: single quotes keep everything literal; values holding one fall back to double quotes. */
function quote(value) {
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Writes `values` to a file only the current user can read (0600, in a 0700 directory) for
 * `wrangler dev --env-file`. With --env-file wrangler reads that file instead of .dev.vars, so it must
 * hold everything. Returns the path and a cleanup function.
 */
export function writePrivateEnvFile(values) {
  const dir = mkdtempSync(join(tmpdir(), 'assistants-edge-dev-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'worker.env');
  const body = Object.entries(values).map(([k, v]) => `${k}=${quote(v)}`).join('\n');
  writeFileSync(path, `${body}\n`, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
