import { ConversationItemParam } from '../../contract/conversations';
import type { OutputItem, StoredItem } from './types';

/**
 * A response continuing a conversation (docs/responses.md "Conversation state"): OpenAI prepends the
 * conversation's items to the request's input and, once the response completes, adds the response's
 * input and output items to the conversation. These are the pure parts of that.
 */

/** The conversation id of the request's `conversation` parameter (a string id or `{id}`), or null. */
export function conversationIdOf(param: string | { id: string } | null | undefined): string | null {
  if (param === undefined || param === null) return null;
  return typeof param === 'string' ? param : param.id;
}

/** A conversation is a thread (docs/conversations.md §1): both id families name one. */
export const isConversationId = (id: string): boolean => /^(conv|thread)_[A-Za-z0-9_-]{1,120}$/.test(id);

/**
 * Items as the conversation stores them (OpenAI's conversation item inputs). Their ids are not kept
 * (the conversation draws its own, docs/conversations.md §2). Returns the index of the first item a
 * conversation cannot hold (an `input_file` by URL or data, an item type it does not store), so the
 * request is refused before the model is called rather than after.
 */
export function toConversationItems(items: readonly (StoredItem | OutputItem)[]): { items: ConversationItemParam[] } | { refused: number } {
  const out: ConversationItemParam[] = [];
  for (const [index, item] of items.entries()) {
    const { id: _id, ...rest } = item as StoredItem;
    const parsed = ConversationItemParam.safeParse(rest);
    if (!parsed.success) return { refused: index };
    out.push(parsed.data);
  }
  return { items: out };
}

/** OpenAI adds a response's items to its conversation when it completes; an incomplete answer is kept too. */
export const addsToConversation = (status: string): boolean => status === 'completed' || status === 'incomplete';

/**
 * The output items a conversation stores: hosted calls (`file_search_call`) are left out, since the
 * conversation's items (docs/conversations.md §2) do not hold them yet; the answer that follows is kept.
 */
export function conversationOutput(output: readonly OutputItem[]): OutputItem[] {
  return output.filter((o) => o.type === 'message' || o.type === 'function_call');
}
