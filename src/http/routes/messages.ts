import { Hono } from 'hono';
import { getMessageRow, listMessages, toMessageObject, updateMessageMetadata } from '../../db/messages';
import { getThreadRow } from '../../db/threads';
import { dbOf, forgetConversationTurns, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { notFound } from '../errors';
import { listEnvelope, parseListQuery } from '../pagination';
import { unwrap } from '../rpc';
import type { MessageObject } from '../../db/messages';
import { checkAttachments, indexAttachments } from '../../retrieval/tool-resources';
import { MessageCreateParams, MessageUpdateParams } from '../../contract/messages';
import { parseBody, pathId } from '../validation';

/** `client.beta.threads.messages`: create (through the thread's Durable Object), list, retrieve, update, delete. */
export const messagesRoutes = new Hono<AppEnv>();

/** The thread must exist in the caller's project before anything under it is read. */
async function requireThread(c: AppContext): Promise<string> {
  const threadId = pathId(c, 'thread_id', 'thread_');
  if (!(await getThreadRow(dbOf(c), projectOf(c), threadId))) throw notFound('thread', threadId);
  return threadId;
}

messagesRoutes.post('/threads/:thread_id/messages', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const params = await parseBody(c, MessageCreateParams);
  const db = dbOf(c);
  await checkAttachments(db, projectOf(c), [params]);
  const message = unwrap<MessageObject>(await threadStub(c, threadId).createMessage(projectOf(c), threadId, params));
  await indexAttachments(db, c.env.INGEST_QUEUE, projectOf(c), threadId, [params]);
  return c.json(message);
});

messagesRoutes.get('/threads/:thread_id/messages', async (c) => {
  const threadId = await requireThread(c);
  const query = c.req.query();
  const params = parseListQuery(query);
  const runId = query.run_id?.trim() || undefined;
  const page = await listMessages(dbOf(c), projectOf(c), threadId, { ...params, runId });
  return c.json(listEnvelope(page));
});

messagesRoutes.get('/threads/:thread_id/messages/:message_id', async (c) => {
  const threadId = await requireThread(c);
  const id = pathId(c, 'message_id', 'msg_');
  const row = await getMessageRow(dbOf(c), projectOf(c), threadId, id);
  if (!row) throw notFound('message', id);
  return c.json(toMessageObject(row));
});

messagesRoutes.post('/threads/:thread_id/messages/:message_id', async (c) => {
  const threadId = await requireThread(c);
  const id = pathId(c, 'message_id', 'msg_');
  const params = await parseBody(c, MessageUpdateParams);
  const metadata = params.metadata === undefined ? undefined : (params.metadata ?? {});
  const updated = await updateMessageMetadata(dbOf(c), projectOf(c), threadId, id, metadata);
  if (!updated) throw notFound('message', id);
  return c.json(updated);
});

messagesRoutes.delete('/threads/:thread_id/messages/:message_id', async (c) => {
  const threadId = await requireThread(c);
  const id = pathId(c, 'message_id', 'msg_');
  // Through the thread's object: ordered with run creation (ThreadObject.deleteMessage).
  if (!(await threadStub(c, threadId).deleteMessage(projectOf(c), threadId, id))) throw notFound('message', id);
  await forgetConversationTurns(c, threadId);
  return c.json({ id, object: 'thread.message.deleted', deleted: true });
});
