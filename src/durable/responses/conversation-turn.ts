import { logEvent } from '../../observability/log';
import { services } from '../../services';
import type { Env } from '../../env';
import { ModelPrefetch } from '../model-prefetch';
import { imageFileIds } from '../../domain/responses/input';
import { inputFileRefs } from '../../domain/responses/input-files';
import { conversationInput, startInObject, type ContextSources } from './model-context';
import type { ConversationTurn } from './start';
import type { ResponseStorage } from './storage';

/**
 * A conversation turn's model request sent ahead (docs/responses.md "Conversation turns"): built from
 * the history the conversation's object last knew (its own previous turn: the thread object's answer
 * then, plus the items that turn added) by the same code that builds the real request, while the
 * thread object takes the lock and reads the real history from D1. The response's first model call
 * adopts it only if the real history builds the same request (src/durable/model-prefetch.ts); any
 * change to the conversation since (items added or deleted elsewhere, a run) discards it, logged as
 * `response.prefetch_discarded`. Not sent: no history known yet (the conversation's first turn here),
 * `mcp` tools (their functions join the request once the servers are listed), images or files in the
 * context (read from R2 for the real request), an input the conversation cannot hold (refused).
 */
export async function sendGuessedTurn(env: Env, storage: ResponseStorage, sources: ContextSources, codeTimeoutSeconds: number, turn: ConversationTurn): Promise<ModelPrefetch | undefined> {
  if (turn.params.tools?.some((t) => t.type === 'mcp')) return undefined;
  try {
    const known = storage.cachedHistory(turn.projectId, turn.conversationId);
    if (!known) return undefined;
    // Images and files would be read for the guess and again for the real request: not sent ahead.
    const everything = [...known, ...turn.items];
    if (imageFileIds(everything).length > 0 || inputFileRefs(everything).length > 0) return undefined;
    // An input the conversation cannot hold is refused after the lock: nothing to send ahead.
    if (!conversationInput(turn.items).ok) return undefined;
    const guess = await startInObject(sources, codeTimeoutSeconds, turn, known);
    if (!guess.ok) return undefined;
    const model = services(env).models.resolve(guess.value.request.model);
    if (!model) return undefined;
    const discarded = () => logEvent('response.prefetch_discarded', { response_id: turn.response.id, conversation_id: turn.conversationId, project_id: turn.projectId, model: turn.params.model });
    return new ModelPrefetch(model, guess.value.request, discarded);
  } catch (err) {
    console.error(`sending the model request of ${turn.response.id} ahead`, err);
    return undefined;
  }
}
