import { z } from 'zod';
import type { Env } from './env';
import { secretsKeyBytes } from './domain/runs/mcp-secrets';

/** A whole number given as an environment string, e.g. `EMBEDDINGS_DIMENSIONS=1536`. */
function positiveIntegerSetting(name: string, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1`).max(max, `${name} must be at most ${max}`))
    .optional();
}

/** A comma-separated host list (`localhost,127.0.0.1:8787`), lowercase; empty when unset. */
function hostListSetting() {
  return z
    .string()
    .transform((raw) => raw.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''))
    .default([]);
}

/**
 * All configuration the service reads from its environment, validated in one place. Secrets
 * (`ADMIN_API_KEY`, `UPSTREAM_OPENAI_API_KEY`, ...) come from `wrangler secret put` in production and
 * from the environment or `.dev.vars` under `npm run dev` (scripts/settings.json lists every name).
 */
const ConfigSchema = z.object({
  environment: z.string().default('development'),
  adminApiKey: z.string().min(16, 'ADMIN_API_KEY must be at least 16 characters').optional(),
  /** UPSTREAM_OPENAI_BASE_URL (old name OPENAI_BASE_URL): the OpenAI-compatible model upstream. */
  openaiBaseUrl: z.url().optional(),
  /** UPSTREAM_OPENAI_API_KEY (old name OPENAI_API_KEY). */
  openaiApiKey: z.string().optional(),
  /** Which names the two upstream values came from, so errors name the setting to fix. */
  openaiSettings: z.object({ baseUrl: z.string(), apiKey: z.string() }),
  anthropicApiKey: z.string().optional(),
  anthropicBaseUrl: z.url().optional(),
  /** MODEL_ROUTES: a JSON object mapping a model-name prefix (or exact name) to a provider. */
  modelRoutes: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'MODEL_ROUTES must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1), z.enum(['openai', 'anthropic', 'workers-ai'])))
    .optional(),
  /** File search embeddings (src/adapters/embeddings): an OpenAI-compatible endpoint wins over Workers AI. */
  embeddingsBaseUrl: z.url().optional(),
  embeddingsApiKey: z.string().optional(),
  /** Default per provider: `text-embedding-3-small` (OpenAI-compatible), `@cf/baai/bge-base-en-v1.5` (Workers AI). */
  embeddingsModel: z.string().optional(),
  /** EMBEDDINGS_DIMENSIONS: vector length (sent as `dimensions`); must match the vector index. */
  embeddingsDimensions: positiveIntegerSetting('EMBEDDINGS_DIMENSIONS', 8192),
  /** EMBEDDINGS_BATCH_SIZE: texts per embeddings request (default 100; Workers AI caps it at 100). */
  embeddingsBatchSize: positiveIntegerSetting('EMBEDDINGS_BATCH_SIZE', 2048),
  /** QUERY_REWRITE_MODEL: the chat model vector-store search's `rewrite_query` uses (default gpt-4o-mini). */
  queryRewriteModel: z.string().min(1).default('gpt-4o-mini'),
  /**
   * code_interpreter in dev and tests: base URL of the local code executor service
   * (scripts/code-executor/server.mjs). Production uses the Sandbox binding (`SANDBOX`) instead.
   */
  codeExecutorUrl: z.url().optional(),
  /** CODE_EXECUTOR_TOKEN: bearer token of the local code executor, if it was started with one. */
  codeExecutorToken: z.string().optional(),
  /**
   * MCP_SECRETS_KEY: 32 bytes, base64: the AES-GCM key sealing the `headers` / `authorization` of `mcp`
   * tools stored with assistants and runs (docs/mcp-assistants.md "Secrets"). Unset: such tools are refused.
   */
  mcpSecretsKey: z
    .string()
    .refine((v) => secretsKeyBytes(v) !== null, 'MCP_SECRETS_KEY must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)')
    .optional(),
  /** CODE_EXECUTION_TIMEOUT_SECONDS: how long one code_interpreter execution may run (default 60). */
  codeExecutionTimeoutSeconds: positiveIntegerSetting('CODE_EXECUTION_TIMEOUT_SECONDS', 3600).default(60),
  /**
   * INGEST_STALL_SECONDS: a vector-store file in progress with no progress for this long is stranded
   * (its queue message lost, its consumer killed) and the sweeper queues it again (default 120). Must
   * exceed one embeddings call and the queue's longest retry delay (60 s, src/queue/ingest-queue.ts).
   */
  ingestStallSeconds: positiveIntegerSetting('INGEST_STALL_SECONDS', 86_400).default(120),
  /** INGEST_MAX_ATTEMPTS: times a file is queued before a stranded one ends `failed` (default 3). */
  ingestMaxAttempts: positiveIntegerSetting('INGEST_MAX_ATTEMPTS', 100).default(3),
  /**
   * MODEL_IDLE_TIMEOUT_SECONDS: a model call that receives no byte (headers or body) for this long
   * is abandoned and retried like a 5xx (default 90). An upstream that accepts the request and then
   * sends nothing would otherwise keep the run, and its thread's run lock, forever.
   */
  modelIdleTimeoutSeconds: positiveIntegerSetting('MODEL_IDLE_TIMEOUT_SECONDS', 3600).default(90),
  /**
   * MODEL_CALL_TIMEOUT_SECONDS: the longest one model call may take in total, keep-alives included
   * (default 300). Runs still expire at their `expires_at` (ten minutes, as OpenAI's).
   */
  modelCallTimeoutSeconds: positiveIntegerSetting('MODEL_CALL_TIMEOUT_SECONDS', 3600).default(300),
  /**
   * MCP_ALLOW_HTTP_HOSTS: hosts (`host` or `host:port`) an `mcp` tool's `server_url` may reach over plain
   * http (default none: https only). `npm run dev` and the tests allow loopback (docs/mcp.md "Safety").
   */
  mcpAllowHttpHosts: hostListSetting(),
  /** MCP_ALLOW_PRIVATE_HOSTS: private, loopback or link-local hosts MCP servers may be on (default none). */
  mcpAllowPrivateHosts: hostListSetting(),
  /** MCP_LIST_TIMEOUT_SECONDS: connecting to an MCP server and listing its tools, in total (default 30). */
  mcpListTimeoutSeconds: positiveIntegerSetting('MCP_LIST_TIMEOUT_SECONDS', 600).default(30),
  /** MCP_CALL_TIMEOUT_SECONDS: connecting to an MCP server and one tool call, in total (default 60). */
  mcpCallTimeoutSeconds: positiveIntegerSetting('MCP_CALL_TIMEOUT_SECONDS', 3600).default(60),
  /** MCP_MAX_RESPONSE_BYTES: the largest response an MCP server may send (default 1 MiB). */
  mcpMaxResponseBytes: positiveIntegerSetting('MCP_MAX_RESPONSE_BYTES', 32 * 1024 * 1024).default(1024 * 1024),
  /**
   * RUN_PREFETCH: `on` (default) sends a run's first model request from the thread object's guess of
   * its inputs while D1 is read, used only if it equals the request built from D1 (issue 13,
   * docs/run-lifecycle.md "Hot path"). A wrong guess, such as an assistant edited since, still reaches
   * the model upstream before it is aborted. `off` never sends ahead: one storage round trip more.
   */
  runPrefetch: z.enum(['on', 'off'], { error: 'RUN_PREFETCH must be on or off' }).default('on').transform((v) => v === 'on'),
  /** MODELS: extra model names to advertise on GET /v1/models (comma-separated). */
  models: z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    .optional(),
  /**
   * CORS_ORIGINS: `*` (default; api.openai.com answers every origin) or a comma-separated list of
   * exact origins (`https://app.example.com`) allowed to call /v1 from a browser.
   */
  corsOrigins: z
    .string()
    .transform((raw) => (raw.trim() === '*' ? '*' : raw.split(',').map((s) => s.trim()).filter((s) => s !== '')))
    .pipe(z.union([z.literal('*'), z.array(z.url('CORS_ORIGINS must be * or a comma-separated list of origins'))]))
    .default('*'),
  /** PRICES: JSON `{ "<model>": { "input", "cached_input"?, "output" } }` in USD per 1M tokens (src/domain/usage/prices.ts). */
  prices: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'PRICES must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string().min(1),
        z.strictObject({ input: z.number().min(0), cached_input: z.number().min(0).optional(), output: z.number().min(0) }),
      ),
    )
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

/**
 * The upstream's own names win. `OPENAI_BASE_URL` / `OPENAI_API_KEY` are what every OpenAI SDK reads
 * to find *this* server, so they are only a fallback for deployments configured before the rename
 * (a deployed secret or .dev.vars; `npm run dev` never takes them from the shell).
 */
function upstreamSetting(env: Env, name: 'BASE_URL' | 'API_KEY', blank: (v: string | undefined) => string | undefined) {
  const own = `UPSTREAM_OPENAI_${name}` as const;
  const old = `OPENAI_${name}` as const;
  const value = blank(env[own]);
  if (value !== undefined) return { value, setting: own as string };
  return { value: blank(env[old]), setting: blank(env[old]) !== undefined ? old : own };
}

const cache = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const baseUrl = upstreamSetting(env, 'BASE_URL', blank);
  const apiKey = upstreamSetting(env, 'API_KEY', blank);
  const parsed = ConfigSchema.safeParse({
    environment: blank(env.ENVIRONMENT),
    adminApiKey: blank(env.ADMIN_API_KEY),
    openaiBaseUrl: baseUrl.value,
    openaiApiKey: apiKey.value,
    openaiSettings: { baseUrl: baseUrl.setting, apiKey: apiKey.setting },
    anthropicApiKey: blank(env.ANTHROPIC_API_KEY),
    anthropicBaseUrl: blank(env.ANTHROPIC_BASE_URL),
    modelRoutes: blank(env.MODEL_ROUTES),
    models: blank(env.MODELS),
    embeddingsBaseUrl: blank(env.EMBEDDINGS_BASE_URL),
    embeddingsApiKey: blank(env.EMBEDDINGS_API_KEY),
    embeddingsModel: blank(env.EMBEDDINGS_MODEL),
    embeddingsDimensions: blank(env.EMBEDDINGS_DIMENSIONS),
    embeddingsBatchSize: blank(env.EMBEDDINGS_BATCH_SIZE),
    queryRewriteModel: blank(env.QUERY_REWRITE_MODEL),
    codeExecutorUrl: blank(env.CODE_EXECUTOR_URL),
    codeExecutorToken: blank(env.CODE_EXECUTOR_TOKEN),
    mcpSecretsKey: blank(env.MCP_SECRETS_KEY),
    codeExecutionTimeoutSeconds: blank(env.CODE_EXECUTION_TIMEOUT_SECONDS),
    ingestStallSeconds: blank(env.INGEST_STALL_SECONDS),
    ingestMaxAttempts: blank(env.INGEST_MAX_ATTEMPTS),
    modelIdleTimeoutSeconds: blank(env.MODEL_IDLE_TIMEOUT_SECONDS),
    modelCallTimeoutSeconds: blank(env.MODEL_CALL_TIMEOUT_SECONDS),
    corsOrigins: blank(env.CORS_ORIGINS),
    prices: blank(env.PRICES),
    mcpAllowHttpHosts: blank(env.MCP_ALLOW_HTTP_HOSTS),
    mcpAllowPrivateHosts: blank(env.MCP_ALLOW_PRIVATE_HOSTS),
    mcpListTimeoutSeconds: blank(env.MCP_LIST_TIMEOUT_SECONDS),
    mcpCallTimeoutSeconds: blank(env.MCP_CALL_TIMEOUT_SECONDS),
    mcpMaxResponseBytes: blank(env.MCP_MAX_RESPONSE_BYTES),
    runPrefetch: blank(env.RUN_PREFETCH)?.toLowerCase(),
  });
  if (!parsed.success) {
    // A misconfiguration is the operator's mistake, not the client's: it surfaces as a 500 with
    // a message naming the setting (never the secret's value).
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${settingName(issue?.path ?? [], baseUrl.setting)}: ${issue?.message}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

/** The environment name of a schema path, for the misconfiguration message (the operator edits names, not keys). */
function settingName(path: PropertyKey[], openaiBaseUrlSetting: string): string {
  const key = String(path[0] ?? '');
  if (key === 'openaiBaseUrl') return openaiBaseUrlSetting;
  return key.replace(/[A-Z]/g, (ch) => `_${ch}`).toUpperCase();
}

/** Every environment name readConfig reads (kept equal to scripts/settings.json by test/unit/settings.test.ts). */
export const SETTING_NAMES = [
  'ADMIN_API_KEY',
  'UPSTREAM_OPENAI_BASE_URL',
  'UPSTREAM_OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'MODEL_ROUTES',
  'MODELS',
  'EMBEDDINGS_BASE_URL',
  'EMBEDDINGS_API_KEY',
  'EMBEDDINGS_MODEL',
  'EMBEDDINGS_DIMENSIONS',
  'EMBEDDINGS_BATCH_SIZE',
  'CODE_EXECUTOR_URL',
  'CODE_EXECUTOR_TOKEN',
  'MODEL_IDLE_TIMEOUT_SECONDS',
  'MODEL_CALL_TIMEOUT_SECONDS',
  'INGEST_STALL_SECONDS',
  'INGEST_MAX_ATTEMPTS',
  'QUERY_REWRITE_MODEL',
  'CORS_ORIGINS',
  'PRICES',
  'CODE_EXECUTION_TIMEOUT_SECONDS',
  'MCP_ALLOW_HTTP_HOSTS',
  'MCP_ALLOW_PRIVATE_HOSTS',
  'MCP_LIST_TIMEOUT_SECONDS',
  'MCP_CALL_TIMEOUT_SECONDS',
  'MCP_MAX_RESPONSE_BYTES',
  'MCP_SECRETS_KEY',
  'RUN_PREFETCH',
] as const satisfies ReadonlyArray<keyof Env>;
