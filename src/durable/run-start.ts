import type { ProviderRouter } from '../adapters/models/router';
import { assistantQuery, toRunStartAssistant, type RunStartAssistant } from '../db/assistants';
import type { Database } from '../db/client';
import { recentMessagesQuery, RECENT_MESSAGES, type MessageRow } from '../db/messages';
import { fail, type Result } from './result';

/**
 * What a run needs before its first model call: its assistant and the thread's latest messages.
 * Read in ONE D1 batch inside the thread object (one round trip instead of the route's assistant
 * read plus the executor's history read: issue 13, docs/run-lifecycle.md §"Hot path"). `history`
 * is oldest first, as RunData.recentMessages returns it, and is handed to the executor's first model
 * call; every later call (and a resumed run) reads the thread again.
 */
export interface RunStart {
  /** With its `mcp` tools' sealed secrets (never served). */
  assistant: RunStartAssistant;
  /** Undefined when the thread's messages were not read here (the executor reads them itself). */
  history?: MessageRow[];
}

/**
 * Resolves the run's assistant (given as an id, or already read by the route) and the history, and
 * answers what the route answered before the thread was touched, in the same order: OpenAI's 404
 * "No assistant found with id '…'." first, then the model check (src/http/model-check.ts says the
 * same words: the router's reason). Nothing is written here.
 */
export async function readRunStart(
  db: Database,
  models: Pick<ProviderRouter, 'unavailableReason'>,
  projectId: string,
  threadId: string,
  assistant: RunStartAssistant | string,
  model: string | null | undefined,
): Promise<Result<RunStart>> {
  const history = recentMessagesQuery(db, projectId, threadId);
  let start: RunStart;
  if (typeof assistant === 'string') {
    const [rows, messages] = await db.batch([assistantQuery(db, projectId, assistant), history]);
    if (!rows[0]) return fail(404, `No assistant found with id '${assistant}'.`);
    start = { assistant: toRunStartAssistant(rows[0]), history: messages.reverse() };
  } else {
    start = { assistant, history: (await history).reverse() };
  }
  const reason = models.unavailableReason(model ?? start.assistant.model);
  if (reason) return { ok: false, error: { status: 400, message: reason, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } };
  return { ok: true, value: start };
}

/**
 * The history after the run's additional messages were inserted: what a fresh read would return
 * (the latest RECENT_MESSAGES by id, oldest first), without reading again.
 */
export function withAddedMessages(history: MessageRow[], added: MessageRow[]): MessageRow[] {
  if (added.length === 0) return history;
  return [...history, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(-RECENT_MESSAGES);
}
