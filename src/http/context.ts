import type { Context } from 'hono';
import { database, type Database } from '../db/client';
import type { Env } from '../env';

export type Principal = { kind: 'admin'; projectId: string } | { kind: 'project'; projectId: string; keyId: string };

/** Hono's typed bindings and per-request variables (services from context, as unkey's API does). */
export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal; requestId: string };
};

export type AppContext = Context<AppEnv>;

export const dbOf = (c: AppContext): Database => database(c.env.DB);

export const projectOf = (c: AppContext): string => c.get('principal').projectId;

/** A fresh stub per request: a stub whose call threw is poisoned (docs/platform-limits.md §6). */
export const threadStub = (c: AppContext, threadId: string) => c.env.THREADS.get(c.env.THREADS.idFromName(threadId));
