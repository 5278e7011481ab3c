import type { Config } from '../../config';
import type { Env } from '../../env';
import type { ChatModel, ModelInfo, ModelRouter } from '../../domain/ports';
import { AnthropicModel } from './anthropic';
import { fetchWithIdleTimeout } from './idle-timeout';
import { OpenAICompatibleModel } from './openai-compatible';
import { WorkersAIModel } from './workers-ai';
import { instrumentModel } from '../../observability/instrumented-model';

export type ProviderName = 'openai' | 'anthropic' | 'workers-ai';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

type RouterConfig = Pick<Config, 'openaiBaseUrl' | 'openaiApiKey' | 'anthropicApiKey' | 'anthropicBaseUrl' | 'modelRoutes' | 'models'> &
  Partial<Pick<Config, 'modelIdleTimeoutSeconds'>> & {
    openaiSettings?: Config['openaiSettings'];
  };

/** The router plus what the pass-through routes and the startup checks need to know about providers. */
export interface ProviderRouter extends ModelRouter {
  /** The provider a model goes to, or undefined when none serves it. */
  providerFor(model: string): ProviderName | undefined;
  /** The configured clients (undefined when not configured). */
  readonly providers: { openai?: OpenAICompatibleModel; anthropic?: AnthropicModel; 'workers-ai'?: WorkersAIModel };
  /** Why no provider serves `model`, in words an operator can act on (undefined when one does). */
  unavailableReason(model: string): string | undefined;
  /** The OpenAI-compatible upstream's model ids, or undefined when that list is unknown (no upstream, or it failed). */
  upstreamModelIds(): Promise<Set<string> | undefined>;
}

const SETTINGS_OF: Record<ProviderName, string> = {
  openai: 'UPSTREAM_OPENAI_API_KEY (and UPSTREAM_OPENAI_BASE_URL for a server other than OpenAI)',
  anthropic: 'ANTHROPIC_API_KEY',
  'workers-ai': 'the AI binding (production: [env.production.ai] in wrangler.toml)',
};

/** How long a fetched upstream model list is trusted (per isolate), so assistant writes do not each list models. */
const MODEL_LIST_TTL_MS = 60_000;
const modelListCache = new Map<string, { at: number; ids: Set<string> }>();

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
export function createModelRouter(config: RouterConfig, env: Pick<Env, 'AI'>, options: ModelRouterOptions = {}): ProviderRouter {
  const openaiBaseUrl = config.openaiBaseUrl ?? DEFAULT_OPENAI_BASE_URL;
  // Every provider's calls get the idle timeout (src/adapters/models/idle-timeout.ts).
  const idleMs = config.modelIdleTimeoutSeconds !== undefined ? config.modelIdleTimeoutSeconds * 1000 : undefined;
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const httpFetch = idleMs !== undefined ? fetchWithIdleTimeout(baseFetch, idleMs) : options.fetch;
  const openai =
    config.openaiBaseUrl || config.openaiApiKey
      ? new OpenAICompatibleModel({
          baseUrl: openaiBaseUrl,
          apiKey: config.openaiApiKey,
          fetch: httpFetch,
          identity: {
            label: `the OpenAI-compatible upstream ${openaiBaseUrl.replace(/\/+$/, '')}`,
            keySetting: config.openaiSettings?.apiKey ?? 'UPSTREAM_OPENAI_API_KEY',
            urlSetting: config.openaiSettings?.baseUrl ?? 'UPSTREAM_OPENAI_BASE_URL',
          },
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
    providerFor,
    providers: { openai, anthropic, 'workers-ai': workersAi },

    unavailableReason(model: string): string | undefined {
      if (model === '' || providerFor(model)) return undefined;
      const route = routes.find(([prefix]) => model.startsWith(prefix));
      if (route) return `MODEL_ROUTES sends '${model}' to ${route[1]}, which is not configured: set ${SETTINGS_OF[route[1]]}.`;
      const configured = (Object.keys(providers) as ProviderName[]).filter((p) => providers[p]);
      if (configured.length === 0) {
        return (
          `No model provider is configured, so no model (including '${model}') can run: set ${SETTINGS_OF.openai}, ` +
          `or ${SETTINGS_OF.anthropic}, or use Workers AI (README "Configuration").`
        );
      }
      // Names other than claude-* and @cf/* go to the OpenAI-compatible upstream, the one provider missing here.
      return (
        `No configured provider serves '${model}' (configured: ${configured.join(', ')}; they serve ` +
        `${configured.map((p) => (p === 'anthropic' ? 'claude-*' : p === 'workers-ai' ? '@cf/*' : '*')).join(', ')}). ` +
        `For other models set ${SETTINGS_OF.openai}, or route the name with MODEL_ROUTES.`
      );
    },

    async upstreamModelIds(): Promise<Set<string> | undefined> {
      if (!openai) return undefined;
      const key = `${openai.baseUrl} ${config.openaiApiKey ?? ''}`;
      const hit = modelListCache.get(key);
      if (hit && Date.now() - hit.at < MODEL_LIST_TTL_MS) return hit.ids;
      const ids = await openai.listModels().then((ms) => new Set(ms.map((m) => m.id)), () => undefined);
      // An empty list says nothing (an upstream without GET /models): unknown, not "serves nothing".
      if (!ids || ids.size === 0) return undefined;
      modelListCache.set(key, { at: Date.now(), ids });
      return ids;
    },

    resolve(model: string): ChatModel | undefined {
      if (model === '') return undefined;
      const name = providerFor(model);
      const provider = name ? providers[name] : undefined;
      // Timed and logged (src/observability): the run-end line and one line per failed upstream call.
      return name && provider ? instrumentModel(name, provider) : undefined;
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
