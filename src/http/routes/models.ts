import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { ApiError } from '../errors';
import { upstreamFailure } from '../model-check';

/** `client.models`: what the configured providers serve. A plain `{object:"list", data}` (no cursor). */
export const modelsRoutes = new Hono<AppEnv>();

/** A failing upstream (a rejected key, unreachable) is reported, not shown as an empty list. */
const listModels = (c: AppContext) =>
  c.var.services.models.list().catch((err: unknown) => {
    throw upstreamFailure(err);
  });

const toModel = (m: { id: string; created: number; owned_by: string }) => ({ id: m.id, object: 'model' as const, created: m.created, owned_by: m.owned_by });

modelsRoutes.get('/models', async (c) => c.json({ object: 'list', data: (await listModels(c)).map(toModel) }));

modelsRoutes.get('/models/:model{.+}', async (c) => {
  const id = c.req.param('model');
  const model = (await listModels(c)).find((m) => m.id === id);
  if (!model) throw new ApiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
  return c.json(toModel(model));
});
