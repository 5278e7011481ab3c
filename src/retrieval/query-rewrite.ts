import type { ChatModelError, ModelRouter } from '../domain/ports';
import { readRewrite, REWRITE_MAX_TOKENS, rewriteMessages } from '../domain/retrieval/query-rewrite';

export class QueryRewriteError extends Error {
  constructor(
    message: string,
    /** 400: the deployment cannot rewrite (no model); 502-like upstream failures are 500s upstream of the route. */
    readonly kind: 'unavailable' | 'upstream',
  ) {
    super(message);
    this.name = 'QueryRewriteError';
  }
}

/**
 * Rewrites each query with `model` (QUERY_REWRITE_MODEL) through the model router, one short
 * non-streamed-in-spirit call per query (the stream is read to the end). A model that is not
 * configured, or an answer with no usable text, is an error: never a silent search of the original.
 */
export async function rewriteQueries(router: ModelRouter, model: string, queries: string[], signal?: AbortSignal): Promise<string[]> {
  const chat = router.resolve(model);
  if (!chat) {
    throw new QueryRewriteError(
      `rewrite_query needs a chat model, and '${model}' is not available here (configure OPENAI_BASE_URL/OPENAI_API_KEY, or set QUERY_REWRITE_MODEL to a configured model).`,
      'unavailable',
    );
  }
  const out: string[] = [];
  for (const query of queries) {
    let text = '';
    try {
      for await (const chunk of chat.stream({ model, messages: rewriteMessages(query), temperature: 0, maxTokens: REWRITE_MAX_TOKENS }, signal)) {
        if (chunk.type === 'text') text += chunk.delta;
      }
    } catch (err) {
      throw new QueryRewriteError(`rewrite_query failed: the model '${model}' returned an error: ${(err as ChatModelError).message ?? String(err)}`, 'upstream');
    }
    const rewritten = readRewrite(text);
    if (!rewritten) throw new QueryRewriteError(`rewrite_query failed: the model '${model}' returned no query.`, 'upstream');
    out.push(rewritten);
  }
  return out;
}
