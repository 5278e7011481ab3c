import { Hono } from 'hono';
import { ResponseCompactParams } from '../../contract/responses';
import { newId, unixSeconds } from '../../domain/ids';
import { keptItems } from '../../domain/responses/compaction';
import type { CompactionItem, ResponseUsage, StoredItem } from '../../domain/responses/types';
import { compactContext } from '../compaction';
import type { AppEnv } from '../context';
import { invalidRequest } from '../errors';
import { requireRoutableModel } from '../model-check';
import { parseBody } from '../validation';
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
  output: Array<StoredItem | CompactionItem>;
  usage: ResponseUsage;
}

responsesCompactRoutes.post('/responses/compact', async (c) => {
  const params = await parseBody(c, ResponseCompactParams);
  // OpenAI's document lets `model` be null, but a compaction needs a model to write it (OpenAI's wording).
  if (params.model === undefined || params.model === null) throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  requireRoutableModel(c.var.services.models, params.model);
  // The context as a response would see it (files as text, images loaded), without the instructions:
  // they steer this compaction call only (OpenAI: not carried over), as our prompt's addition.
  const { messages, context } = await modelContext(c, { input: params.input ?? undefined, previous_response_id: params.previous_response_id });
  const { item, usage } = await compactContext(c, params.model, messages, params.instructions);
  const kept = keptItems(context).map((i) => ({ ...i, id: newId('msg_') }));
  const resource: CompactResource = { id: newId('resp_'), object: 'response.compaction', created_at: unixSeconds(), output: [...kept, item], usage };
  return c.json(resource);
});
