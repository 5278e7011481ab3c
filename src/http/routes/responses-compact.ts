import { Hono } from 'hono';
import { ResponseCompactParams } from '../../contract/responses';
import { newId, unixSeconds } from '../../domain/ids';
import { keptItems, sealCompaction, summaryRequestMessages } from '../../domain/responses/compaction';
import type { ResponseUsage, StoredItem } from '../../domain/responses/types';
import type { ChatRequest } from '../../domain/ports';
import { logUpstreamFailure } from '../../observability/instrumented-model';
import { compactionSigner } from '../compaction';
import type { AppContext, AppEnv } from '../context';
import { invalidRequest } from '../errors';
import { requireRoutableModel, upstreamFailure } from '../model-check';
import { parseBody } from '../validation';
import { recordPassThroughUsage } from './pass-through-usage';
import { modelContext } from './responses';

/**
 * `POST /responses/compact` (`client.responses.compact`, docs/responses.md "Compaction"): the context of
 * `input` and/or `previous_response_id` comes back as its user messages, verbatim, then one `compaction`
 * item whose content is a summary of the rest written by the requested model (any provider of the router).
 * Nothing is stored: the output is what the client sends as the input of its next response.
 */
export const responsesCompactRoutes = new Hono<AppEnv>();

/** The CompactResource object (`object: "response.compaction"`). */
interface CompactResource {
  id: string;
  object: 'response.compaction';
  created_at: number;
  output: StoredItem[];
  usage: ResponseUsage;
}

responsesCompactRoutes.post('/responses/compact', async (c) => {
  const params = await parseBody(c, ResponseCompactParams);
  // OpenAI's document lets `model` be null, but a compaction needs a model to write it (OpenAI's wording).
  if (params.model === undefined || params.model === null) throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const model = params.model;
  requireRoutableModel(c.var.services.models, model);
  // The context as a response would see it (files as text, images loaded), without the instructions:
  // they steer this compaction call only (OpenAI: not carried over), as our prompt's addition.
  const { messages, context } = await modelContext(c, { input: params.input ?? undefined, previous_response_id: params.previous_response_id });
  const { summary, usage } = await summarise(c, { model, messages: summaryRequestMessages(messages, params.instructions) });
  const kept = keptItems(context).map((item) => ({ ...item, id: newId('msg_') }));
  const compaction = { id: newId('cmp_'), type: 'compaction', encrypted_content: await sealCompaction(summary, await compactionSigner(c)) };
  const resource: CompactResource = { id: newId('resp_'), object: 'response.compaction', created_at: unixSeconds(), output: [...kept, compaction], usage };
  return c.json(resource);
});

/** One model call for the summary; its tokens are recorded as a `responses` call (docs/usage.md). */
async function summarise(c: AppContext, request: ChatRequest): Promise<{ summary: string; usage: ResponseUsage }> {
  const router = c.var.services.models;
  const provider = router.providerFor(request.model) ?? 'openai';
  const started = Date.now();
  let summary = '';
  let counted: { promptTokens: number; completionTokens: number; cachedTokens?: number; reasoningTokens?: number } | undefined;
  try {
    for await (const chunk of router.resolve(request.model)!.stream(request, c.req.raw.signal)) {
      if (chunk.type === 'text') summary += chunk.delta;
      else if (chunk.type === 'usage') counted = chunk;
    }
  } catch (err) {
    logUpstreamFailure(provider, request.model, 'responses.compact', err, Date.now() - started);
    throw upstreamFailure(err);
  }
  const input = counted?.promptTokens ?? 0;
  const output = counted?.completionTokens ?? 0;
  const cached = Math.min(counted?.cachedTokens ?? 0, input);
  recordPassThroughUsage(c, {
    endpoint: 'responses', provider, model: request.model,
    usage: counted && { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: cached } },
  });
  return {
    summary: summary.trim(),
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: counted?.reasoningTokens ?? 0 },
      total_tokens: input + output,
    },
  };
}
