import type { ConversationCreateParams, ConversationInclude, ConversationItemParam } from '../contract/conversations';
import type { Page } from '../db/pagination';
import type { ConversationItem } from '../domain/conversations/items';
import { services } from '../services';
import {
  appendItems, beginResponse, conversationHistory, conversationMissing, deleteItem, endResponse, getItem, insertConversation, listItems, responseLockTtlMs,
  type ConversationHost, type ConversationObject, type ItemListParams,
} from './conversations';
import { MAX_RESPONSE_RESTARTS } from './responses/limits';
import { fail, ok, type Result } from './result';
import { migrate, setThreadOwner } from './storage';
import { ThreadCore } from './thread-core';

/** The answer for a missing conversation, also given for another project's (docs/conversations.md §1). */
const conversationNotFound = (id: string) => fail(404, conversationMissing(id));

/**
 * The thread object's Conversations API methods (a conversation is a thread: docs/conversations.md):
 * thin RPC entries over src/durable/conversations.ts, under the same write mutex and ownership check
 * as the thread's own methods.
 */
export abstract class ThreadConversations extends ThreadCore {
  // ------------------------------------------- conversations (src/durable/conversations.ts)

  protected conversation(projectId: string, threadId: string): ConversationHost {
    return { sql: this.ctx.storage.sql, db: this.db, projectId, threadId };
  }

  /**
   * A conversation is a thread: created like one (createThread), with initial items instead of messages.
   * Also answers its history (what a first turn reads; no read for an empty conversation), which the
   * route hands to the object that will run its turns (docs/responses.md "Conversation turns").
   */
  async createConversation(projectId: string, id: string, p: ConversationCreateParams): Promise<Result<{ conversation: ConversationObject; history: ConversationItem[] | null }>> {
    return this.writes.run(async () => {
      const conversation = await insertConversation(this.db, projectId, id, p);
      migrate(this.ctx.storage.sql);
      this.ready = true;
      setThreadOwner(this.ctx.storage.sql, id, projectId);
      // Created either way: a failed read only leaves the history unknown (null).
      const history = (p.items ?? []).length === 0 ? [] : await conversationHistory(this.conversation(projectId, id)).catch(() => null);
      return ok({ conversation, history });
    });
  }

  /** Appends items unless a run or another response is active; `responseId` names the writing response. */
  async appendConversationItems(projectId: string, id: string, items: ConversationItemParam[], responseId: string | null = null): Promise<Result<ConversationItem[]>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return conversationNotFound(id);
      // The next run reads its inputs before its first model request (run-start-cache.ts).
      this.startCache.clear();
      return appendItems(this.conversation(projectId, id), items, responseId);
    });
  }

  async listConversationItems(projectId: string, id: string, params: ItemListParams): Promise<Result<Page<ConversationItem>>> {
    return this.owned(projectId) ? ok(await listItems(this.conversation(projectId, id), params)) : conversationNotFound(id);
  }

  async getConversationItem(projectId: string, id: string, itemId: string, params: Pick<ItemListParams, 'include' | 'filesBase'>): Promise<Result<ConversationItem>> {
    return this.owned(projectId) ? getItem(this.conversation(projectId, id), itemId, params) : conversationNotFound(id);
  }

  async deleteConversationItem(projectId: string, id: string, itemId: string): Promise<Result<ConversationObject>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return conversationNotFound(id);
      // A deleted message must not reach the next run's early model request (run-start-cache.ts).
      this.startCache.clear();
      return deleteItem(this.conversation(projectId, id), itemId);
    });
  }

  /** The conversation's items oldest first, run tool calls included: a response's history. */
  async conversationHistory(projectId: string, id: string, include: ConversationInclude[] = []): Promise<Result<ConversationItem[]>> {
    return this.owned(projectId) ? ok(await conversationHistory(this.conversation(projectId, id), include)) : conversationNotFound(id);
  }

  /**
   * Locks the conversation for an in-progress response (like a run's lock; end it with
   * endConversationResponse) and returns its items oldest first, the response's history: one object
   * call where a lock then a read were two round trips before the model call (issue 13).
   */
  async beginConversationResponse(projectId: string, id: string, responseId: string): Promise<Result<{ locked: true; history: ConversationItem[] }>> {
    const ttlMs = responseLockTtlMs(services(this.env).config.modelCallTimeoutSeconds, MAX_RESPONSE_RESTARTS);
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return conversationNotFound(id);
      const conversation = this.conversation(projectId, id);
      const locked = beginResponse(conversation, responseId, ttlMs);
      if (!locked.ok) return locked;
      try {
        return ok({ locked: true as const, history: await conversationHistory(conversation) });
      } catch (err) {
        // Unread, the response never starts: its lock must not outlive this call.
        endResponse(conversation, responseId);
        throw err;
      }
    });
  }

  async endConversationResponse(projectId: string, id: string, responseId: string): Promise<void> {
    await this.writes.run(async () => {
      if (this.owned(projectId)) endResponse(this.conversation(projectId, id), responseId);
    });
  }
}
