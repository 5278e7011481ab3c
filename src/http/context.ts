import { conversationObjectName } from '../domain/ids';
import type { Context } from 'hono';
import type { Database } from '../db/client';
import type { Env } from '../env';
import type { Services } from '../services';
import type { ConnectionChain } from '../durable/responses/response-socket';

export type Principal = { kind: 'admin'; projectId: string } | { kind: 'project'; projectId: string; keyId: string };

/**
 * Hono's typed bindings and per-request variables (services from context, as unkey's API does):
 * `services` is the isolate's adapters and settings (src/services.ts), set by `provideServices`.
 */
export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal; requestId: string; services: Services; connectionChain?: ConnectionChain };
};

export type AppContext = Context<AppEnv>;

export const dbOf = (c: AppContext): Database => c.var.services.db;

export const projectOf = (c: AppContext): string => c.get('principal').projectId;

/** A fresh stub per request: a stub whose call threw is poisoned (docs/platform-limits.md §6). */
export const threadStub = (c: AppContext, threadId: string) => c.env.THREADS.get(c.env.THREADS.idFromName(threadId));

/** The object that runs a conversation's response turns (docs/responses.md "Conversation turns"). */
export const conversationTurnsStub = (c: AppContext, conversationId: string) => c.env.RESPONSES.get(c.env.RESPONSES.idFromName(conversationObjectName(conversationId)));

/**
 * After content of a thread or conversation was deleted: the object of its turns drops the history it
 * knew, so no deleted content is ever sent ahead to a model (docs/responses.md "Conversation turns").
 * The deletion has happened either way; a failure is logged.
 */
export async function forgetConversationTurns(c: AppContext, conversationId: string): Promise<void> {
  await conversationTurnsStub(c, conversationId).forgetConversation(c.get('principal').projectId, conversationId)
    .catch((err) => console.error(`conversation ${conversationId}: its turns' object did not drop its history`, err));
}
