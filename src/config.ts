import { z } from 'zod';
import type { Env } from './env';

/** A whole number given as an environment string, e.g. `EMBEDDINGS_DIMENSIONS=1536`. */
function positiveIntegerSetting(name: string, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1`).max(max, `${name} must be at most ${max}`))
    .optional();
}

/**
 * All configuration the service reads from its environment, validated in one place. Secrets
 * (`ADMIN_API_KEY`, `OPENAI_API_KEY`) come from `wrangler secret put` in production and from the
 * environment or `.dev.vars` under `npm run dev`.
 */
const ConfigSchema = z.object({
  environment: z.string().default('development'),
  adminApiKey: z.string().min(16, 'ADMIN_API_KEY must be at least 16 characters').optional(),
  openaiBaseUrl: z.url().optional(),
  openaiApiKey: z.string().optional(),
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
  /** CODE_EXECUTION_TIMEOUT_SECONDS: how long one code_interpreter execution may run (default 60). */
  codeExecutionTimeoutSeconds: positiveIntegerSetting('CODE_EXECUTION_TIMEOUT_SECONDS', 3600).default(60),
  /** MODELS: extra model names to advertise on GET /v1/models (comma-separated). */
  models: z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

const cache = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const parsed = ConfigSchema.safeParse({
    environment: blank(env.ENVIRONMENT),
    adminApiKey: blank(env.ADMIN_API_KEY),
    openaiBaseUrl: blank(env.OPENAI_BASE_URL),
    openaiApiKey: blank(env.OPENAI_API_KEY),
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
    codeExecutionTimeoutSeconds: blank(env.CODE_EXECUTION_TIMEOUT_SECONDS),
  });
  if (!parsed.success) {
    // A misconfiguration is the operator's mistake, not the client's: it surfaces as a 500 with
    // a message naming the setting (never the secret's value).
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
