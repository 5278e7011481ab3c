// Types of server.mjs (plain Node ESM) for the TypeScript that starts it: tests, global setup, benchmarks.
export const LOCAL_EMBEDDINGS_MODEL: string;
export const LOCAL_EMBEDDINGS_DIMENSIONS: number;
export const MAX_INPUT_TOKENS: number;

export interface EmbeddingsServer {
  /** OpenAI-style base URL, e.g. http://127.0.0.1:PORT/v1 (clients append /embeddings). */
  url: string;
  model: string;
  dimensions: number;
  close(): Promise<void>;
}

export interface EmbeddingsServerOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, requests need `Authorization: Bearer <token>`. */
  token?: string;
}

export function startEmbeddingsServer(options?: EmbeddingsServerOptions): Promise<EmbeddingsServer>;
export function loadModel(): Promise<unknown>;
/** L2-normalised 512-dimensional vectors, one per text. */
export function embedTexts(texts: string[]): Promise<number[][]>;
export function validateRequest(body: unknown): Promise<
  | { error: { error: { message: string; type: string; param: string | null; code: string | null } } }
  | { error?: undefined; input: string[]; tokens: number; base64: boolean }
>;
