import type { Config } from '../../config';
import type { Env } from '../../env';
import type { ChatModel, ModelInfo, ModelRouter } from '../../domain/ports';
import { AnthropicModel } from './anthropic';
import { fetchWithIdleTimeout } from './idle-timeout';
import { OpenAICompatibleModel } from './openai-compatible';
import { WorkersAIModel } from './workers-ai';

export type ProviderName = 'openai' | 'anthropic' | 'workers-ai';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

type RouterConfig = Pick<Config, 'openaiBaseUrl' | 'openaiApiKey' | 'anthropicApiKey' | 'anthropicBaseUrl' | 'modelRoutes' | 'models'> &
  Partial<Pick<Config, 'modelIdleTimeoutSeconds'>>;

export interface ModelRouterOptions {
  /** fetch for the HTTP providers (tests, or a service binding); defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Picks the provider for a model name:
 * 1. `MODEL_ROUTES` (`{ "<prefix or exact name>": provider }`): the longest matching key wins, and
 *    an explicit route is final — if that provider is not configured the model is unavailable.
 * 2. Otherwise by name: `@cf/…` → Workers AI when the `AI` binding exists, `claude-…` → Anthropic
 *    when ANTHROPIC_API_KEY is set, and everything else (including those two when their provider
 *    is missing: proxies like LiteLLM or Workers AI's own OpenAI-compatible endpoint accept such
 *    names) → the OpenAI-compatible upstream when OPENAI_BASE_URL or OPENAI_API_KEY is set.
 * Provider clients are created once per router and shared by every resolve().
 */
export function createModelRouter(config: RouterConfig, env: Pick<Env, 'AI'>, options: ModelRouterOptions = {}): ModelRouter {
  // Every provider's calls get the idle timeout (src/adapters/models/idle-timeout.ts).
  const idleMs = config.modelIdleTimeoutSeconds !== undefined ? config.modelIdleTimeoutSeconds * 1000 : undefined;
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const httpFetch = idleMs !== undefined ? fetchWithIdleTimeout(baseFetch, idleMs) : options.fetch;
  const openai =
    config.openaiBaseUrl || config.openaiApiKey
      ? new OpenAICompatibleModel({
          baseUrl: config.openaiBaseUrl ?? DEFAULT_OPENAI_BASE_URL,
          apiKey: config.openaiApiKey,
          fetch: httpFetch,
        })
      : undefined;
  const anthropic = config.anthropicApiKey
    ? new AnthropicModel({ apiKey: config.anthropicApiKey, baseUrl: config.anthropicBaseUrl, fetch: httpFetch })
    : undefined;
  const workersAi = env.AI ? new WorkersAIModel(env.AI, idleMs !== undefined ? { idleTimeoutMs: idleMs } : {}) : undefined;
  const providers: Record<ProviderName, ChatModel | undefined> = { openai, anthropic, 'workers-ai': workersAi };
  // Longest key first, so the first prefix that matches is the most specific one.
  const routes = Object.entries(config.modelRoutes ?? {}).sort(([a], [b]) => b.length - a.length);

  const providerFor = (model: string): ProviderName | undefined => {
    const route = routes.find(([prefix]) => model.startsWith(prefix));
    if (route) return providers[route[1]] ? route[1] : undefined;
    if (model.startsWith('@cf/') && workersAi) return 'workers-ai';
    if (model.startsWith('claude-') && anthropic) return 'anthropic';
    return openai ? 'openai' : undefined;
  };

  return {
    resolve(model: string): ChatModel | undefined {
      if (model === '') return undefined;
      const name = providerFor(model);
      return name ? providers[name] : undefined;
    },

    async list(): Promise<ModelInfo[]> {
      const out: ModelInfo[] = [];
      const seen = new Set<string>();
      const add = (id: string, created: number) => {
        if (seen.has(id)) return;
        // Only advertise what resolve() can actually serve, labelled with the provider it goes to.
        const owner = providerFor(id);
        if (!owner) return;
        seen.add(id);
        out.push({ id, created, owned_by: owner });
      };
      for (const m of openai ? await openai.listModels() : []) add(m.id, m.created);
      for (const id of config.models ?? []) add(id, 0);
      return out;
    },
  };
}
