import { Hono } from 'hono';
import { z } from 'zod';
import { EmbeddingError, WorkersAIEmbedder } from '../../adapters/embeddings';
import { logUpstreamFailure } from '../../observability/instrumented-model';
import type { AppEnv } from '../context';
import { ApiError, invalidRequest } from '../errors';
import { upstreamFailure } from '../model-check';
import { parseBody } from '../validation';
import { recordPassThroughUsage } from './pass-through-usage';

/**
 * `client.embeddings.create` through the same base URL and key as the Assistants calls. Routing, first
 * match: the embeddings endpoint of file_search (EMBEDDINGS_BASE_URL); Workers AI for `@cf/` models when
 * the AI binding exists; the OpenAI-compatible model upstream. The provider is always asked for floats:
 * the SDKs (v4.5+) request `encoding_format: "base64"` by default, which not every compatible server
 * supports, so base64 is encoded here (little-endian float32, as OpenAI does).
 */
export const embeddingsRoutes = new Hono<AppEnv>();

const EmbeddingsParams = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()).min(1), z.array(z.array(z.number()).min(1)).min(1)]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().min(1).optional(),
    user: z.string().optional(),
  })
  .strict();

interface EmbeddingsResult {
  data: Array<{ index: number; embedding: number[] }>;
  usage?: { prompt_tokens: number; total_tokens: number };
}

embeddingsRoutes.post('/embeddings', async (c) => {
  const params = await parseBody(c, EmbeddingsParams);
  const { config } = c.var.services;
  const started = Date.now();
  let provider = 'none';
  let result: EmbeddingsResult;
  const failed = (err: unknown): never => {
    logUpstreamFailure(provider, params.model, 'embeddings', err, Date.now() - started);
    if (err instanceof EmbeddingError) throw new ApiError(502, err.message, 'server_error', null, 'upstream_error');
    throw upstreamFailure(err);
  };
  const upstream = c.var.services.models.providers.openai;

  if (config.embeddingsBaseUrl || (!params.model.startsWith('@cf/') && upstream)) {
    const target = config.embeddingsBaseUrl ? c.var.services.embeddingsUpstream! : upstream!;
    provider = config.embeddingsBaseUrl ? 'embeddings' : 'openai';
    const res = await target.forward('/embeddings', { ...params, encoding_format: 'float' }, c.req.raw.signal).catch(failed);
    result = (await res.json()) as EmbeddingsResult;
  } else if (params.model.startsWith('@cf/') && c.env.AI) {
    provider = 'workers-ai';
    const texts = typeof params.input === 'string' ? [params.input] : params.input;
    if (!texts.every((t): t is string => typeof t === 'string')) {
      throw invalidRequest('Workers AI embedding models take text input, not token arrays.', 'input', 'invalid_value');
    }
    // The request names the model and dimensions, so this embedder is the request's own (not a service).
    const embedder = new WorkersAIEmbedder(c.env.AI, { model: params.model, dimensions: params.dimensions });
    const vectors = await embedder.embed(texts, c.req.raw.signal).catch(failed);
    // Workers AI does not report tokens for embeddings: estimated at 4 characters per token.
    const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    result = { data: vectors.map((embedding, index) => ({ index, embedding })), usage: { prompt_tokens: tokens, total_tokens: tokens } };
  } else {
    throw new ApiError(
      400,
      `No embeddings provider serves '${params.model}': set EMBEDDINGS_BASE_URL (and EMBEDDINGS_API_KEY), or UPSTREAM_OPENAI_API_KEY, ` +
        'or use a Workers AI model (@cf/...) where the AI binding exists.',
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  }

  recordPassThroughUsage(c, { endpoint: 'embeddings', provider, model: params.model, usage: result.usage });
  const base64 = params.encoding_format === 'base64';
  return c.json({
    object: 'list',
    data: result.data.map((d) => ({ object: 'embedding', index: d.index, embedding: base64 ? toBase64(d.embedding) : d.embedding })),
    model: params.model,
    usage: result.usage ?? { prompt_tokens: 0, total_tokens: 0 },
  });
});

/** OpenAI's base64 embeddings: the float32 array's bytes, little-endian. */
function toBase64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
