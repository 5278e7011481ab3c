import { z } from 'zod';
import type { Env } from './env';

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
