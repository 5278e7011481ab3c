import type { ConversationItemParam } from '../../contract/conversations';
import { addsToConversation, conversationOutput, toConversationItems } from '../../domain/responses/conversation';
import type { ResponseObject, StoredItem } from '../../domain/responses/types';
import type { ResponseStorage } from './storage';
import type { Env } from '../../env';

/** The object's storage keys of one response's conversation state (one object runs a chain's responses). */
export const conversationKeys = (responseId: string) => ({ input: `conversation_input:${responseId}`, settled: `conversation_settled:${responseId}` });

/**
 * The response object's side of a conversation (docs/responses.md "Conversation state"): the route took
 * the conversation's lock before the model call; when the response ends, however it ends (completion,
 * failure, cancellation, the watchdog after an eviction), `settle` adds its input and output items to
 * the conversation if it completed, as OpenAI does, then releases the lock. It is idempotent: a retry
 * by the watchdog (after a failed write) does not add the items twice.
 */
export class ConversationSync {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    /** Where the conversation's history as this object knows it is kept (the next turn's guess). */
    private readonly history: ResponseStorage,
  ) {}

  /** The conversation's thread object (a fresh stub: one whose call threw is poisoned). */
  stub(conversationId: string) {
    return this.env.THREADS.get(this.env.THREADS.idFromName(conversationId));
  }

  /** The request's input items, kept until the response ends (a `store: false` response has no D1 copy). */
  async remember(responseId: string, items: ConversationItemParam[]): Promise<void> {
    await this.storage.put(conversationKeys(responseId).input, items);
  }

  /** Adds the items (completed or incomplete responses) and releases the lock. Throws if D1 failed: the watchdog retries. */
  async settle(projectId: string, response: ResponseObject): Promise<void> {
    const id = response.conversation?.id;
    const keys = conversationKeys(response.id);
    if (!id || (await this.storage.get<boolean>(keys.settled))) return;
    const stub = this.stub(id);
    if (addsToConversation(response.status)) {
      const input = (await this.storage.get<ConversationItemParam[]>(keys.input)) ?? [];
      const output = toConversationItems(conversationOutput(response.output));
      const items = [...input, ...('items' in output ? output.items : [])];
      const added = await stub.appendConversationItems(projectId, id, items, response.id);
      // Refused only if the conversation was deleted meanwhile (or the lock expired and another took it).
      if (!added.ok) {
        console.error(`response ${response.id}: its items were not added to ${id}: ${added.error.message}`);
      } else {
        // What the conversation now holds, as far as this object knows: the next turn's guess.
        const known = this.history.cachedHistory(projectId, id);
        if (known) this.history.cacheHistory(projectId, id, [...known, ...((added as unknown as { value: StoredItem[] }).value)]);
      }
    }
    await this.release(projectId, response);
    await this.storage.put(keys.settled, true);
  }

  /** Drops what `remember` and `settle` kept for a response (it is deleted, or ended with `store: false`). */
  async forget(responseId: string): Promise<void> {
    const keys = conversationKeys(responseId);
    await this.storage.delete([keys.input, keys.settled]);
  }

  /** Releases the conversation's lock without adding anything (the response is being deleted). */
  async release(projectId: string, response: ResponseObject): Promise<void> {
    const id = response.conversation?.id;
    if (id) await this.stub(id).endConversationResponse(projectId, id, response.id);
  }
}
