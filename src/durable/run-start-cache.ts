import type { RunStartAssistant } from '../db/assistants';
import type { MessageRow } from '../db/messages';
import { withAddedMessages, type RunStart } from './run-start';

/**
 * Assistants runs recently started from, in this isolate (shared by the thread objects it hosts, so a
 * new thread's first run has a guess too), by project and id. Bounded; the oldest goes first.
 */
const recentAssistants = new Map<string, RunStartAssistant>();
const MAX_ASSISTANTS = 256;
const assistantKey = (projectId: string, assistantId: string) => `${projectId}/${assistantId}`;

/**
 * What a thread object last knew of a run's inputs: the assistant (isolate-wide, above) and the
 * thread's recent messages as D1 holds them, kept in memory between runs (issue 13,
 * docs/run-lifecycle.md §"Hot path"). It is only ever a GUESS, used to send a new run's first model
 * request before D1 has answered (src/durable/model-prefetch.ts): the run itself is always built from
 * what D1 returns, and the guessed request is used only when it equals, byte for byte, the request
 * built from D1's answer. So a stale entry (an assistant updated through another isolate) costs one
 * discarded upstream request, never a wrong answer. Writes the object serves that change the history
 * other than by adding its own messages (a message deleted, conversation items added or deleted)
 * `clear()` it, so deleted content is never sent ahead. Lost with the object's memory (eviction):
 * the next run reads first.
 */
export class RunStartCache {
  private history: MessageRow[] | null = null;
  private projectId: string | null = null;

  /** The guess for a run of `assistantId`, or null when this object has none. */
  guess(projectId: string, assistantId: string): RunStart | null {
    const assistant = recentAssistants.get(assistantKey(projectId, assistantId));
    if (!assistant || !this.history || this.projectId !== projectId) return null;
    return { assistant, history: this.history };
  }

  /** After a fresh read of a run's inputs (`history` with the run's added messages). */
  remember(projectId: string, assistant: RunStartAssistant, history: MessageRow[]): void {
    const key = assistantKey(projectId, assistant.id);
    recentAssistants.delete(key);
    recentAssistants.set(key, assistant);
    if (recentAssistants.size > MAX_ASSISTANTS) recentAssistants.delete(recentAssistants.keys().next().value!);
    this.seed(projectId, history);
  }

  /** The thread's messages as this object just wrote them all (a new thread). */
  seed(projectId: string, history: MessageRow[]): void {
    this.projectId = projectId;
    this.history = history;
  }

  /** A message this object wrote (created, or saved again as it streamed and ended). */
  written(row: MessageRow): void {
    if (!this.history) return;
    const at = this.history.findIndex((m) => m.id === row.id);
    if (at >= 0) this.history = this.history.map((m, i) => (i === at ? row : m));
    else this.history = withAddedMessages(this.history, [row]);
  }

  /** The thread was deleted (or replaced by an import): nothing of it is known any more. */
  clear(): void {
    this.history = null;
    this.projectId = null;
  }
}
