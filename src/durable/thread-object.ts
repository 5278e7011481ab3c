import { DurableObject } from 'cloudflare:workers';
import { database, runBatch } from '../db/client';
import { insertMessageStatements, toMessageObject, type MessageObject } from '../db/messages';
import { threads } from '../db/schema';
import { deleteThreadAndMessages, getThreadRow, toThreadObject, type ThreadObjectJson } from '../db/threads';
import { unixSeconds } from '../domain/ids';
import { newMessageRow } from '../domain/messages';
import type { Env } from '../env';
import type { MessageCreateParams } from '../http/schemas/messages';
import type { ThreadCreateParams } from '../http/schemas/threads';
import { Mutex } from './mutex';
import { fail, ok, type Result } from './result';
import { activeRunId, migrate } from './storage';

/**
 * One Durable Object per thread (named by the thread id). Every write to a thread goes through it,
 * which is what makes the run lock real: OpenAI answers 400 "Can't add messages to thread_x while a
 * run run_y is active." (api-surface §4). Reads go straight to D1.
 */
export class ThreadObject extends DurableObject<Env> {
  private readonly writes = new Mutex();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql));
  }

  private get db() {
    return database(this.env.DB);
  }

  /** Creates the thread row and its initial messages in one atomic D1 batch. */
  async createThread(projectId: string, threadId: string, p: ThreadCreateParams): Promise<Result<ThreadObjectJson>> {
    return this.writes.run(async () => {
      const now = Date.now();
      const row = {
        id: threadId,
        projectId,
        createdAt: unixSeconds(now),
        toolResources: p.tool_resources ?? null,
        metadata: p.metadata ?? {},
      };
      const rows = (p.messages ?? []).map((m) => newMessageRow(projectId, threadId, m, now));
      const db = this.db;
      await runBatch(db, [db.insert(threads).values(row), ...insertMessageStatements(db, rows)]);
      return ok(toThreadObject(row));
    });
  }

  /** Appends a message unless a run is active; the thread must exist in this project. */
  async createMessage(projectId: string, threadId: string, p: MessageCreateParams): Promise<Result<MessageObject>> {
    return this.writes.run(async () => {
      const db = this.db;
      if (!(await getThreadRow(db, projectId, threadId))) return fail(404, `No thread found with id '${threadId}'.`);
      const active = activeRunId(this.ctx.storage.sql);
      if (active) return fail(400, `Can't add messages to ${threadId} while a run ${active} is active.`);
      const row = newMessageRow(projectId, threadId, p);
      await runBatch(db, insertMessageStatements(db, [row]));
      return ok(toMessageObject(row));
    });
  }

  /** Deletes the thread, its messages, and this object's own storage (runs, steps, alarms). */
  async deleteThread(projectId: string, threadId: string): Promise<Result<{ deleted: boolean }>> {
    return this.writes.run(async () => {
      const deleted = await deleteThreadAndMessages(this.db, projectId, threadId);
      if (!deleted) return fail(404, `No thread found with id '${threadId}'.`);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      // deleteAll() drops the schema too; recreate it in case this instance keeps serving.
      migrate(this.ctx.storage.sql);
      return ok({ deleted: true });
    });
  }
}
