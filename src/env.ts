import type { Sandbox } from '@cloudflare/sandbox';
import type { ThreadObject } from './durable/thread-object';

/**
 * The Worker's bindings (wrangler.toml). Vectorize and Workers AI exist only in the production
 * environment; code that needs them goes through an adapter that has a local implementation.
 */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  THREADS: DurableObjectNamespace<ThreadObject>;
  RUN_QUEUE: Queue;
  INGEST_QUEUE: Queue;
  VECTORIZE?: VectorizeIndex;
  AI?: Ai;
  /** code_interpreter in production: the Sandbox SDK's Durable Object (Cloudflare Containers). */
  SANDBOX?: DurableObjectNamespace<Sandbox>;
  ENVIRONMENT?: string;
  ADMIN_API_KEY?: string;
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
}
