import { Hono } from 'hono';
import type { StoredItem } from '../../domain/responses/types';
import { ConversationCreateParams, ConversationUpdateParams, type ConversationItemParam } from '../../contract/conversations';
import type { Database } from '../../db/client';
import { getFileRow } from '../../db/files';
import { getThreadRow, updateThread } from '../../db/threads';
import { fileIdsOfItem } from '../../domain/conversations/items';
import { newId } from '../../domain/ids';
import { conversationMissing, toConversationObject, type ConversationObject } from '../../durable/conversations';
import { conversationTurnsStub, dbOf, forgetConversationTurns, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { ApiError, notFound } from '../errors';
import { listEnvelope } from '../pagination';
import { unwrap } from '../rpc';
import { parseBody, pathId } from '../validation';
import { threadPage } from './thread-list';

/**
 * `client.conversations`: create (with initial items), retrieve, update (metadata), delete; and, beyond
 * OpenAI, `GET /conversations` (the project's conversations, as `GET /threads` lists threads). A
 * conversation is a thread (docs/conversations.md): same D1 row, same Durable Object, so a `thread_`
 * id is accepted wherever a conversation id is.
 */
export const conversationsRoutes = new Hono<AppEnv>();

const conversationNotFound = (id: string) => new ApiError(404, conversationMissing(id), 'invalid_request_error', null, null);

/** The path's conversation id (`conv_` or `thread_`). */
export const conversationIdOf = (c: AppContext): string => pathId(c, 'conversation_id', 'conv_');

/** Files named by items (input_image, input_file) must be the project's own, like message attachments. */
export async function requireItemFiles(db: Database, projectId: string, items: ConversationItemParam[]): Promise<void> {
  for (const id of new Set(items.flatMap(fileIdsOfItem))) {
    if (!(await getFileRow(db, projectId, id))) throw notFound('file', id);
  }
}

conversationsRoutes.post('/conversations', async (c) => {
  const params = await parseBody(c, ConversationCreateParams);
  await requireItemFiles(dbOf(c), projectOf(c), params.items ?? []);
  const id = newId('conv_');
  const { conversation, history } = unwrap<{ conversation: ConversationObject; history: StoredItem[] | null }>(await threadStub(c, id).createConversation(projectOf(c), id, params));
  // The object that will run its turns learns its history now, so its first turn's model request can
  // leave after one storage call (docs/responses.md "Conversation turns"): one object call, no read.
  // The conversation exists either way: a failure here only costs its first turn that guess.
  if (history) await conversationTurnsStub(c, id).learnConversation(projectOf(c), id, history).catch((err) => console.error(`conversation ${id}: its turns' object did not learn its history`, err));
  return c.json(conversation);
});

conversationsRoutes.get('/conversations', async (c) => {
  const page = await threadPage(c);
  return c.json(listEnvelope({ ...page, data: page.data.map((t) => toConversationObject({ id: t.id, createdAt: t.created_at, metadata: t.metadata })) }));
});

conversationsRoutes.get('/conversations/:conversation_id', async (c) => {
  const id = conversationIdOf(c);
  const row = await getThreadRow(dbOf(c), projectOf(c), id);
  if (!row) throw conversationNotFound(id);
  return c.json(toConversationObject(row));
});

conversationsRoutes.post('/conversations/:conversation_id', async (c) => {
  const id = conversationIdOf(c);
  const params = await parseBody(c, ConversationUpdateParams);
  const updated = await updateThread(dbOf(c), projectOf(c), id, { metadata: params.metadata ?? {} });
  if (!updated) throw conversationNotFound(id);
  return c.json(toConversationObject({ id: updated.id, createdAt: updated.created_at, metadata: updated.metadata }));
});

conversationsRoutes.delete('/conversations/:conversation_id', async (c) => {
  const id = conversationIdOf(c);
  // The object's own answer names a thread; a conversation's caller is told about a conversation.
  if (!(await getThreadRow(dbOf(c), projectOf(c), id))) throw conversationNotFound(id);
  unwrap(await threadStub(c, id).deleteThread(projectOf(c), id));
  await forgetConversationTurns(c, id);
  return c.json({ id, object: 'conversation.deleted', deleted: true });
});
