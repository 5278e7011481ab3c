import { Hono } from 'hono';
import { getThreadRow, toThreadObject, updateThread } from '../../db/threads';
import { newId } from '../../domain/ids';
import { dbOf, forgetConversationTurns, projectOf, threadStub, type AppEnv } from '../context';
import { notFound } from '../errors';
import { unwrap } from '../rpc';
import type { ThreadObjectJson } from '../../db/threads';
import { ThreadCreateParams, ThreadUpdateParams } from '../../contract/threads';
import { checkAttachments, indexAttachments, resolveToolResources } from '../../retrieval/tool-resources';
import { parseBody, pathId } from '../validation';

/** `client.beta.threads`: create (with initial messages), retrieve, update, delete. */
export const threadsRoutes = new Hono<AppEnv>();

threadsRoutes.post('/threads', async (c) => {
  const params = await parseBody(c, ThreadCreateParams);
  const db = dbOf(c);
  await checkAttachments(db, projectOf(c), params.messages ?? []);
  params.tool_resources = await resolveToolResources(db, c.env.INGEST_QUEUE, projectOf(c), params.tool_resources, 'thread');
  const threadId = newId('thread_');
  const thread = unwrap<ThreadObjectJson>(await threadStub(c, threadId).createThread(projectOf(c), threadId, params));
  // Attachments may have given the thread its own vector store: then answer with the thread as stored.
  const updated = await indexAttachments(db, c.env.INGEST_QUEUE, projectOf(c), threadId, params.messages ?? []);
  return c.json(updated ?? thread);
});

threadsRoutes.get('/threads/:thread_id', async (c) => {
  const id = pathId(c, 'thread_id', 'thread_');
  const row = await getThreadRow(dbOf(c), projectOf(c), id);
  if (!row) throw notFound('thread', id);
  return c.json(toThreadObject(row));
});

threadsRoutes.post('/threads/:thread_id', async (c) => {
  const id = pathId(c, 'thread_id', 'thread_');
  const params = await parseBody(c, ThreadUpdateParams);
  params.tool_resources = await resolveToolResources(dbOf(c), c.env.INGEST_QUEUE, projectOf(c), params.tool_resources, 'thread');
  const patch: { toolResources?: unknown; metadata?: Record<string, string> } = {};
  if (params.tool_resources !== undefined) patch.toolResources = params.tool_resources;
  if (params.metadata !== undefined) patch.metadata = params.metadata ?? {};
  const updated = await updateThread(dbOf(c), projectOf(c), id, patch);
  if (!updated) throw notFound('thread', id);
  return c.json(updated);
});

threadsRoutes.delete('/threads/:thread_id', async (c) => {
  const id = pathId(c, 'thread_id', 'thread_');
  unwrap(await threadStub(c, id).deleteThread(projectOf(c), id));
  await forgetConversationTurns(c, id);
  return c.json({ id, object: 'thread.deleted', deleted: true });
});
