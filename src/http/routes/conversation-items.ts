import { Hono } from 'hono';
import { ConversationInclude, ConversationItemsCreateParams } from '../../contract/conversations';
import type { Page } from '../../db/pagination';
import type { ConversationItem } from '../../domain/conversations/items';
import type { ConversationObject } from '../../durable/conversations';
import { dbOf, forgetConversationTurns, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { invalidRequest } from '../errors';
import { listEnvelope, ListQuery } from '../pagination';
import { unwrap } from '../rpc';
import { parseBody, parseWith } from '../validation';
import { conversationIdOf, requireItemFiles } from './conversations';

/**
 * `client.conversations.items`: create (up to 20), list (`order`, `after`, `limit`, `include`),
 * retrieve, delete. Items are read through the conversation's Durable Object, which adds the tool
 * calls of its Assistants runs to the stored items (docs/conversations.md §3).
 */
export const conversationItemsRoutes = new Hono<AppEnv>();

/** OpenAI's item list has `after` only. */
const ItemListQuery = ListQuery.omit({ before: true });

/** `include[]` / `include` query values, each one of IncludeEnum. */
function parseItemInclude(c: AppContext): ConversationInclude[] {
  const values = [...(c.req.queries('include[]') ?? []), ...(c.req.queries('include') ?? [])];
  return values.map((v) => {
    const parsed = ConversationInclude.safeParse(v);
    if (!parsed.success) throw invalidRequest(`Invalid value: '${v}'. Supported values are: ${ConversationInclude.options.map((o) => `'${o}'`).join(', ')}.`, 'include', 'invalid_value');
    return parsed.data;
  });
}

/** Where code-interpreter images of run steps are served (GET /v1/files/{id}/content). */
const filesBase = (c: AppContext): string => new URL(c.req.url).origin;

/** An item id: any non-empty id up to 128 characters (items have several prefixes). */
function itemIdOf(c: AppContext): string {
  const id = c.req.param('item_id') ?? '';
  if (id.length === 0 || id.length > 128) throw invalidRequest(`Invalid 'item_id': '${id}'.`, 'item_id', 'invalid_value');
  return id;
}

conversationItemsRoutes.post('/conversations/:conversation_id/items', async (c) => {
  const id = conversationIdOf(c);
  parseItemInclude(c);
  const params = await parseBody(c, ConversationItemsCreateParams);
  await requireItemFiles(dbOf(c), projectOf(c), params.items);
  const items = unwrap<ConversationItem[]>(await threadStub(c, id).appendConversationItems(projectOf(c), id, params.items));
  return c.json(listEnvelope({ data: items, hasMore: false }));
});

conversationItemsRoutes.get('/conversations/:conversation_id/items', async (c) => {
  const id = conversationIdOf(c);
  const q = parseWith(ItemListQuery, c.req.query());
  const params = { limit: q.limit, order: q.order, include: parseItemInclude(c), filesBase: filesBase(c), ...(q.after !== undefined ? { after: q.after } : {}) };
  const page = unwrap<Page<ConversationItem>>(await threadStub(c, id).listConversationItems(projectOf(c), id, params));
  return c.json(listEnvelope(page));
});

conversationItemsRoutes.get('/conversations/:conversation_id/items/:item_id', async (c) => {
  const id = conversationIdOf(c);
  const itemId = itemIdOf(c);
  const params = { include: parseItemInclude(c), filesBase: filesBase(c) };
  return c.json(unwrap<ConversationItem>(await threadStub(c, id).getConversationItem(projectOf(c), id, itemId, params)));
});

/** OpenAI answers a deleted item with the conversation. */
conversationItemsRoutes.delete('/conversations/:conversation_id/items/:item_id', async (c) => {
  const id = conversationIdOf(c);
  const itemId = itemIdOf(c);
  const conversation = unwrap<ConversationObject>(await threadStub(c, id).deleteConversationItem(projectOf(c), id, itemId));
  await forgetConversationTurns(c, id);
  return c.json(conversation);
});
