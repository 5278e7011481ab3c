import { Hono } from 'hono';
import {
  createAssistant,
  deleteAssistant,
  getAssistantRow,
  listAssistants,
  toAssistantObject,
  updateAssistant,
} from '../../db/assistants';
import { dbOf, projectOf, type AppEnv } from '../context';
import { notFound } from '../errors';
import { listEnvelope, parseListQuery } from '../pagination';
import { AssistantCreateParams, AssistantUpdateParams } from '../../contract/assistants';
import { checkTools } from '../tool-checks';
import { prepareRequestTools } from '../mcp-run-tools';
import { requireServedModel } from '../model-check';
import { resolveToolResources } from '../../retrieval/tool-resources';
import { parseBody, pathId } from '../validation';

/** `client.beta.assistants`: create, list, retrieve, update, delete. */
export const assistantsRoutes = new Hono<AppEnv>();

assistantsRoutes.post('/assistants', async (c) => {
  const params = await parseBody(c, AssistantCreateParams);
  checkTools(params.tools);
  await requireServedModel(c.var.services.models, params.model);
  if (params.tools) params.tools = (await prepareRequestTools(c, projectOf(c), params.tools, true)).tools;
  params.tool_resources = await resolveToolResources(dbOf(c), c.env.INGEST_QUEUE, projectOf(c), params.tool_resources);
  return c.json(await createAssistant(dbOf(c), projectOf(c), params));
});

assistantsRoutes.get('/assistants', async (c) => {
  const page = await listAssistants(dbOf(c), projectOf(c), parseListQuery(c.req.query()));
  return c.json(listEnvelope(page));
});

assistantsRoutes.get('/assistants/:assistant_id', async (c) => {
  const id = pathId(c, 'assistant_id', 'asst_');
  const row = await getAssistantRow(dbOf(c), projectOf(c), id);
  if (!row) throw notFound('assistant', id);
  return c.json(toAssistantObject(row));
});

assistantsRoutes.post('/assistants/:assistant_id', async (c) => {
  const id = pathId(c, 'assistant_id', 'asst_');
  const params = await parseBody(c, AssistantUpdateParams);
  checkTools(params.tools);
  if (params.model !== undefined) await requireServedModel(c.var.services.models, params.model);
  if (params.tools) params.tools = (await prepareRequestTools(c, projectOf(c), params.tools, true)).tools;
  params.tool_resources = await resolveToolResources(dbOf(c), c.env.INGEST_QUEUE, projectOf(c), params.tool_resources);
  const updated = await updateAssistant(dbOf(c), projectOf(c), id, params);
  if (!updated) throw notFound('assistant', id);
  return c.json(updated);
});

assistantsRoutes.delete('/assistants/:assistant_id', async (c) => {
  const id = pathId(c, 'assistant_id', 'asst_');
  if (!(await deleteAssistant(dbOf(c), projectOf(c), id))) throw notFound('assistant', id);
  return c.json({ id, object: 'assistant.deleted', deleted: true });
});
