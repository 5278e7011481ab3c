import type { Sandbox } from '@cloudflare/sandbox';
import type { ResponseRunner } from './durable/responses/response-runner';
import type { ThreadObject } from './durable/thread-object';
import type { ResponseSocket } from './durable/responses/response-socket';

/**
 * The Worker's bindings (wrangler.toml). Vectorize and Workers AI exist only in the production
 * environment; code that needs them goes through an adapter that has a local implementation.
 * `npm run types` generates worker-configuration.d.ts from [env.production] with `wrangler types`;
 * `npm test` checks that it is current and that every binding it lists is declared here with the same
 * type (test/unit/config/env-types.test.ts). It stays outside the TypeScript program because wrangler
 * also adds the vars to Node's `process.env` type, which would break the Node-side scripts and tests.
 */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  THREADS: DurableObjectNamespace<ThreadObject>;
  /** One object per response of the Responses API (src/durable/responses/response-runner.ts). */
  RESPONSES: DurableObjectNamespace<ResponseRunner>;
  /** One object per WebSocket connection of the Responses API (src/durable/responses/response-socket.ts). */
  RESPONSE_SOCKETS: DurableObjectNamespace<ResponseSocket>;
  RUN_QUEUE: Queue;
  INGEST_QUEUE: Queue;
  VECTORIZE?: VectorizeIndex;
  AI?: Ai;
  /** code_interpreter in production: the Sandbox SDK's Durable Object (Cloudflare Containers). */
  SANDBOX?: DurableObjectNamespace<Sandbox>;
  ENVIRONMENT?: string;
  ADMIN_API_KEY?: string;
  /** The OpenAI-compatible model upstream (Chat Completions). */
  UPSTREAM_OPENAI_BASE_URL?: string;
  UPSTREAM_OPENAI_API_KEY?: string;
  /** Old names of the two above, read only when those are unset (src/config.ts). */
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  /** JSON: `{ "<model prefix or exact name>": "openai" | "anthropic" | "workers-ai" }`. */
  MODEL_ROUTES?: string;
  /** Comma-separated model names to list on GET /v1/models in addition to the upstream's. */
  MODELS?: string;
  /** File search embeddings: an OpenAI-compatible base URL (e.g. `https://api.openai.com/v1`); else Workers AI. */
  EMBEDDINGS_BASE_URL?: string;
  EMBEDDINGS_API_KEY?: string;
  /** Default `text-embedding-3-small` (OpenAI-compatible) or `@cf/baai/bge-base-en-v1.5` (Workers AI). */
  EMBEDDINGS_MODEL?: string;
  /** Vector length; must match the vector index (Vectorize indexes are created with a dimension). */
  EMBEDDINGS_DIMENSIONS?: string;
  /** Texts per embeddings request (default 100). */
  EMBEDDINGS_BATCH_SIZE?: string;
  QUERY_REWRITE_MODEL?: string;
  /** code_interpreter in dev and tests: the local code executor (scripts/code-executor/server.mjs). */
  CODE_EXECUTOR_URL?: string;
  /** Bearer token of the local code executor, if it requires one. */
  CODE_EXECUTOR_TOKEN?: string;
  CODE_EXECUTION_TIMEOUT_SECONDS?: string;
  /** AES-GCM key (32 bytes, base64) sealing stored MCP tool secrets (docs/mcp-assistants.md). */
  MCP_SECRETS_KEY?: string;
  /** Seconds without progress after which an in-progress vector-store file is queued again (default 120). */
  INGEST_STALL_SECONDS?: string;
  /** Times a stranded file is queued before it ends `failed` (default 3). */
  INGEST_MAX_ATTEMPTS?: string;
  /** Seconds without a byte from the model before its call is abandoned (default 90). */
  MODEL_IDLE_TIMEOUT_SECONDS?: string;
  /** Seconds one model call may take in total (default 300). */
  MODEL_CALL_TIMEOUT_SECONDS?: string;
  /** Origins browsers may call /v1 from: `*` (default, as api.openai.com) or a comma-separated list. */
  CORS_ORIGINS?: string;
  /** JSON price table overriding the built-in one (src/domain/usage/prices.ts), per 1M tokens in USD. */
  PRICES?: string;
  /** `mcp` tools (docs/mcp.md): hosts reachable over plain http, private hosts allowed, time limits, size bound. */
  MCP_ALLOW_HTTP_HOSTS?: string;
  MCP_ALLOW_PRIVATE_HOSTS?: string;
  MCP_LIST_TIMEOUT_SECONDS?: string;
  MCP_CALL_TIMEOUT_SECONDS?: string;
  MCP_MAX_RESPONSE_BYTES?: string;
  /** `on` (default) or `off`: a run's first model request sent ahead (src/config.ts). */
  RUN_PREFETCH?: string;
}
