import { Hono } from 'hono';
import { ContainerCreateParams, ContainerListFilter } from '../../contract/containers';
import { foreignReferences } from '../../db/id-checks';
import { getContainerRow, listContainers, toContainerObject, type ContainerRow } from '../../db/containers';
import { createContainer, deleteContainer } from '../../tools/code-interpreter/containers';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { ApiError, notFound } from '../errors';
import { listEnvelope, parseListQuery } from '../pagination';
import { parseBody, parseWith, pathId } from '../validation';

/** `client.containers` (docs/containers.md): create, list, retrieve, delete. */
export const containersRoutes = new Hono<AppEnv>();

/** The container named in the path, in the caller's project (another project's is missing). */
export async function requireContainer(c: AppContext): Promise<ContainerRow> {
  const id = pathId(c, 'container_id', 'cntr_');
  const row = await getContainerRow(dbOf(c), projectOf(c), id);
  if (!row) throw notFound('container', id);
  return row;
}

const storeOf = (c: AppContext) => ({ db: dbOf(c), bucket: c.env.FILES });

containersRoutes.post('/containers', async (c) => {
  const p = await parseBody(c, ContainerCreateParams);
  const [missing] = (await foreignReferences(dbOf(c), projectOf(c), p.file_ids ?? [], [])).files;
  // OpenAI's answer to a body naming an unknown file (as for tool_resources): 404, another project's is as unknown.
  if (missing) throw new ApiError(404, `No file found with id '${missing}'.`, 'invalid_request_error', 'file_ids', null);
  const row = await createContainer(storeOf(c), projectOf(c), {
    name: p.name,
    ...(p.expires_after ? { minutes: p.expires_after.minutes } : {}),
    memoryLimit: p.memory_limit ?? null,
    fileIds: p.file_ids ?? [],
  });
  return c.json(toContainerObject(row));
});

containersRoutes.get('/containers', async (c) => {
  const query = c.req.query();
  const { name } = parseWith(ContainerListFilter, query);
  return c.json(listEnvelope(await listContainers(dbOf(c), projectOf(c), { ...parseListQuery(query), ...(name !== undefined ? { name } : {}) })));
});

containersRoutes.get('/containers/:container_id', async (c) => c.json(toContainerObject(await requireContainer(c))));

containersRoutes.delete('/containers/:container_id', async (c) => {
  const row = await requireContainer(c);
  await deleteContainer(storeOf(c), c.var.services.codeExecutor(), row);
  return c.json({ id: row.id, object: 'container.deleted' as const, deleted: true });
});
