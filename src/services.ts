import { createCodeExecutor } from './adapters/code';
import { createEmbedder } from './adapters/embeddings';
import { StreamableHttpMcpClient } from './adapters/mcp';
import { OpenAICompatibleModel } from './adapters/models/openai-compatible';
import { createModelRouter, type ProviderRouter } from './adapters/models/router';
import { createVectorIndex } from './adapters/vector-index';
import { readConfig, type Config } from './config';
import { database, type Database } from './db/client';
import type { McpClient } from './domain/mcp/port';
import type { McpUrlPolicy } from './domain/mcp/url-policy';
import type { CodeExecutor, Embedder, VectorIndex } from './domain/ports';
import type { Env } from './env';
import type { StageTimings } from './observability/stage-timings';
import type { RetrievalServices } from './retrieval/search';

/**
 * Everything built from the environment: the settings and the adapters behind the ports. Routes (as
 * `c.var.services`, set by the `provideServices` middleware), the queue consumers and the thread
 * Durable Object all take them from here, so each is constructed in one place
 * (docs/architecture.md §2 "Services").
 */
export interface Services {
  /** The validated settings (src/config.ts); reading it throws the settings error, as readConfig does. */
  readonly config: Config;
  readonly db: Database;
  /** The model router: provider per model name (src/adapters/models/router.ts). */
  readonly models: ProviderRouter;
  /** Null when no embeddings provider is configured (keyword-only retrieval). */
  readonly embedder: Embedder | null;
  /**
   * The OpenAI-compatible `/embeddings` endpoint of EMBEDDINGS_BASE_URL, which `POST /v1/embeddings`
   * forwards to (undefined when that setting is unset).
   */
  readonly embeddingsUpstream: OpenAICompatibleModel | undefined;
  readonly vectorIndex: VectorIndex;
  /** The retrieval ports together, as src/retrieval takes them. */
  readonly retrieval: RetrievalServices;
  /**
   * The same ports recording each search stage into `timings` (the search route's Server-Timing):
   * a vector index of its own for the request (its stage records are per request; the vectors it
   * reads stay in the isolate's cache).
   */
  retrievalTimed(timings: StageTimings): RetrievalServices;
  /**
   * The code_interpreter sandbox, or null when none is configured. The one member built per use, not
   * kept: the production executor (SandboxCodeExecutor) caches a session's Python context in the
   * instance, and a context cached longer than one tool call would outlive a container that went to
   * sleep (`sleepAfter`), so each use starts from the sandbox's own list, as it always did.
   */
  codeExecutor(): CodeExecutor | null;
  /** Remote MCP servers (`mcp` tools, docs/mcp.md), with the MCP_* time limits and size bound. */
  readonly mcp: McpClient;
  /** Which `server_url`s an `mcp` tool may name (MCP_ALLOW_HTTP_HOSTS, MCP_ALLOW_PRIVATE_HOSTS). */
  readonly mcpUrlPolicy: McpUrlPolicy;
}

/**
 * One set per environment object, per isolate. The key is the env object's identity (a WeakMap, as
 * readConfig's cache): Workers hand the same env to every request of an isolate, and tests that run
 * several envs in one isolate each get their own set. Each member is built on first use, so a request
 * that never touches the code executor does not construct it, and a settings error surfaces exactly
 * where the setting is first read, as before.
 */
const cache = new WeakMap<Env, Services>();

export function services(env: Env): Services {
  let hit = cache.get(env);
  if (!hit) {
    hit = buildServices(env);
    cache.set(env, hit);
  }
  return hit;
}

/** A value computed on first read, then kept (a failed build is not kept: the next read retries it). */
function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

function buildServices(env: Env): Services {
  const db = once(() => database(env.DB));
  const models = once(() => createModelRouter(readConfig(env), env));
  const embedder = once(() => createEmbedder(readConfig(env), env));
  const embeddingsUpstream = once(() => {
    const config = readConfig(env);
    if (!config.embeddingsBaseUrl) return undefined;
    return new OpenAICompatibleModel({
      baseUrl: config.embeddingsBaseUrl,
      apiKey: config.embeddingsApiKey,
      identity: { label: `the embeddings endpoint ${config.embeddingsBaseUrl}`, keySetting: 'EMBEDDINGS_API_KEY', urlSetting: 'EMBEDDINGS_BASE_URL' },
    });
  });
  const vectorIndex = once(() => createVectorIndex(env));
  const mcp = once(() => {
    const config = readConfig(env);
    return new StreamableHttpMcpClient({
      listTimeoutMs: config.mcpListTimeoutSeconds * 1000,
      callTimeoutMs: config.mcpCallTimeoutSeconds * 1000,
      maxResponseBytes: config.mcpMaxResponseBytes,
    });
  });
  const retrieval = once((): RetrievalServices => ({ db: db(), embedder: embedder(), index: vectorIndex() }));
  return {
    get config() {
      return readConfig(env);
    },
    get db() {
      return db();
    },
    get models() {
      return models();
    },
    get embedder() {
      return embedder();
    },
    get embeddingsUpstream() {
      return embeddingsUpstream();
    },
    get vectorIndex() {
      return vectorIndex();
    },
    get retrieval() {
      return retrieval();
    },
    retrievalTimed: (timings) => ({ db: db(), embedder: embedder(), index: createVectorIndex(env, timings), timings }),
    codeExecutor: () => createCodeExecutor(readConfig(env), env),
    get mcp() {
      return mcp();
    },
    get mcpUrlPolicy() {
      const config = readConfig(env);
      return { allowHttpHosts: config.mcpAllowHttpHosts, allowPrivateHosts: config.mcpAllowPrivateHosts };
    },
  };
}
