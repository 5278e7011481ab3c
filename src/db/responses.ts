import { asc, eq, sql } from 'drizzle-orm';
import type { ResponseObject, StoredItem } from '../domain/responses/types';
import { runBatch, type Database } from './client';
import { byKey, inProject } from './project-scope';
import { idSuffix, pageBy, suffixOf, type ListParams, type Page } from './pagination';
import { responseItems, responses } from './schema';

/**
 * Stored responses (docs/storage.md §1 "Responses API"): the Response object in `responses`, its input
 * items in `response_items`. Lookups from requests filter on the caller's project; another project's
 * response is answered like a missing one.
 */

/** Each item is one statement: an item (an image as a data URL) can be large (docs/platform-limits.md §1). */
export async function insertResponse(db: Database, projectId: string, response: ResponseObject, items: readonly StoredItem[]): Promise<void> {
  await runBatch(db, [
    db.insert(responses).values({
      id: response.id,
      projectId,
      createdAt: response.created_at,
      status: response.status,
      previousResponseId: response.previous_response_id,
      response,
    }),
    ...items.map((item) => db.insert(responseItems).values({ id: item.id, responseId: response.id, projectId, item })),
  ]);
}

/** Saves the response's current state (status, output, usage); the row is addressed by its key alone. */
export async function saveResponse(db: Database, response: ResponseObject): Promise<void> {
  await db.update(responses).set({ status: response.status, response }).where(byKey(responses, 'internal', eq(responses.id, response.id)));
}

export async function getResponse(db: Database, projectId: string, id: string): Promise<ResponseObject | undefined> {
  const row = await db.query.responses.findFirst({ where: inProject(responses, projectId, eq(responses.id, id)) });
  return row?.response as ResponseObject | undefined;
}

/** Deletes the response and its input items in one atomic batch; false when there was none. */
export async function deleteResponse(db: Database, projectId: string, id: string): Promise<boolean> {
  const [, deleted] = await db.batch([
    db.delete(responseItems).where(inProject(responseItems, projectId, eq(responseItems.responseId, id))),
    db.delete(responses).where(inProject(responses, projectId, eq(responses.id, id))).returning({ id: responses.id }),
  ]);
  return deleted.length > 0;
}

/** `GET /responses/{id}/input_items`, through the one pagination query (the response is checked first). */
export async function listInputItems(db: Database, projectId: string, responseId: string, params: ListParams): Promise<Page<StoredItem>> {
  // Items of several kinds, in input order (their ids' creation order after the prefix).
  const page = await pageBy(
    idSuffix(responseItems.id),
    params,
    inProject(responseItems, projectId, eq(responseItems.responseId, responseId)),
    (where, orderBy, limit) => db.select().from(responseItems).where(where).orderBy(orderBy).limit(limit),
    suffixOf,
  );
  return { data: page.data.map((r) => r.item as StoredItem), hasMore: page.hasMore };
}

/** How many earlier responses a `previous_response_id` chain may reach back (a bound on the walk). */
export const MAX_CHAIN = 200;

/**
 * The conversation state a `previous_response_id` names: every earlier response's input items then its
 * output, oldest first (OpenAI sends them all to the model; instructions are not carried over). Undefined
 * when the response is not found in the project (or was stored with `store: false`, i.e. not at all).
 *
 * One statement, so one D1 round trip however long the chain (a walk of one query per link would cost a
 * round trip per turn of the conversation before the model is called, issue 13): a recursive walk from
 * `previousId` back through `previous_response_id`, every link in the caller's project, stopping at a
 * missing link (an earlier response deleted: the context starts after it) or after MAX_CHAIN links; then
 * each link's input items (kind 1, in the order they were given: by the sortable part of their ids, after
 * the prefix, since `fc_` < `fco_` < `msg_` would otherwise reorder a function call, its output and a
 * message) and its Response (kind 0), oldest link first. `maxLinks` bounds the walk (a chain object that
 * already walked part of the chain passes what is left, src/durable/responses/storage.ts).
 */
export async function conversationBefore(db: Database, projectId: string, previousId: string, maxLinks: number = MAX_CHAIN): Promise<StoredItem[] | undefined> {
  if (maxLinks <= 0) return undefined;
  const rows = await db.all<{ kind: number; body: string }>(sql`
    WITH RECURSIVE chain(id, prev, depth) AS (
      SELECT id, previous_response_id, 0 FROM responses WHERE project_id = ${projectId} AND id = ${previousId}
      UNION ALL
      SELECT r.id, r.previous_response_id, chain.depth + 1 FROM responses r JOIN chain ON r.id = chain.prev
      WHERE r.project_id = ${projectId} AND chain.depth + 1 < ${maxLinks}
    )
    SELECT chain.depth AS depth, 0 AS kind, '' AS item_order, responses.response AS body
      FROM chain JOIN responses ON responses.id = chain.id
    UNION ALL
    SELECT chain.depth, 1, substr(response_items.id, -24), response_items.item
      FROM chain JOIN response_items ON response_items.response_id = chain.id AND response_items.project_id = ${projectId}
    ORDER BY depth DESC, kind DESC, item_order`);
  if (rows.length === 0) return undefined;
  return rows.flatMap((r) => (r.kind === 1 ? [JSON.parse(r.body) as StoredItem] : ((JSON.parse(r.body) as ResponseObject).output as unknown as StoredItem[])));
}
