import { asc, eq, inArray } from 'drizzle-orm';
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
const IDS_PER_QUERY = 90;

/**
 * The conversation state a `previous_response_id` names: every earlier response's input items then its
 * output, oldest first (OpenAI sends them all to the model; instructions are not carried over). Undefined
 * when the response is not found in the project (or was stored with `store: false`, i.e. not at all).
 */
export async function conversationBefore(db: Database, projectId: string, previousId: string): Promise<StoredItem[] | undefined> {
  const chain: ResponseObject[] = [];
  for (let id: string | null = previousId; id !== null && chain.length < MAX_CHAIN;) {
    const response = await getResponse(db, projectId, id);
    if (!response) {
      if (chain.length === 0) return undefined;
      break; // an earlier link was deleted: the context starts after it
    }
    chain.unshift(response);
    id = response.previous_response_id;
  }
  const rows = [];
  // At most 100 bound parameters per statement (docs/platform-limits.md §1): the ids go in slices.
  for (let i = 0; i < chain.length; i += IDS_PER_QUERY) {
    const ids = chain.slice(i, i + IDS_PER_QUERY).map((r) => r.id);
    rows.push(...(await db.select().from(responseItems)
      .where(inProject(responseItems, projectId, inArray(responseItems.responseId, ids)))
      .orderBy(asc(responseItems.id))));
  }
  const inputsOf = new Map<string, StoredItem[]>();
  for (const r of rows) {
    const list = inputsOf.get(r.responseId) ?? [];
    list.push(r.item as StoredItem);
    inputsOf.set(r.responseId, list);
  }
  return chain.flatMap((r) => [...(inputsOf.get(r.id) ?? []), ...(r.output as unknown as StoredItem[])]);
}
