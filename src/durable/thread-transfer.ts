import { and, asc, eq } from 'drizzle-orm';
import { byKey, inProject } from '../db/project-scope';
import type { Database } from '../db/client';
import { runBatch } from '../db/client';
import { deleteThreadItemsStatement, threadItemRows } from '../db/conversation-items';
import { insertMessageStatements, toMessageObject } from '../db/messages';
import { conversationItems, messages, threads } from '../db/schema';
import { recordItem } from '../domain/conversations/items';
import { toThreadObject } from '../db/threads';
import { EXPORT_FORMAT_VERSION, EXPORT_OBJECT, referencesOf, type ThreadExport } from '../domain/export/format';
import type { ImportPlan } from '../domain/export/remap';
import { unixSeconds } from '../domain/ids';
import type { Run, RunStep } from '../domain/runs/types';
import { fail, ok, type Result } from './result';
import { setThreadOwner } from './storage';

/**
 * Export and import of a whole thread, run inside its Durable Object (src/durable/thread-object.ts
 * registers them). Messages live in D1, runs and steps in the object's SQLite.
 */

/** Reading D1 is async; the executor may move a run meanwhile. Retries before giving up with a 409. */
const SNAPSHOT_ATTEMPTS = 10;

function doState(sql: SqlStorage): { runs: Run[]; steps: RunStep[]; fingerprint: string } {
  const runs = sql.exec<{ data: string }>('SELECT data FROM runs ORDER BY id').toArray().map((r) => JSON.parse(r.data) as Run);
  const steps = sql.exec<{ data: string }>('SELECT data FROM steps ORDER BY id').toArray().map((r) => JSON.parse(r.data) as RunStep);
  const fingerprint = JSON.stringify([runs.map((r) => [r.id, r.status]), steps.map((s) => [s.id, s.status])]);
  return { runs, steps, fingerprint };
}

/**
 * A consistent snapshot even while a run executes: the object's runs and steps are read
 * synchronously before and after the (async) D1 read of the thread and its messages; if a run or
 * step changed status in between, the read is repeated, so the document never pairs a step with a
 * message state from another moment of the run.
 */
export async function snapshotThread(sql: SqlStorage, db: Database, projectId: string, threadId: string): Promise<Result<ThreadExport>> {
  for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
    const before = doState(sql);
    const [thread, rows, itemRows] = await Promise.all([
      db.query.threads.findFirst({ where: inProject(threads, projectId, eq(threads.id, threadId)) }),
      db.select().from(messages).where(inProject(messages, projectId, eq(messages.threadId, threadId))).orderBy(asc(messages.id)),
      threadItemRows(db, projectId, threadId),
    ]);
    const after = doState(sql);
    if (before.fingerprint !== after.fingerprint) continue;
    if (!thread) return fail(404, `No thread found with id '${threadId}'.`);
    const doc = {
      thread: { ...toThreadObject(thread), last_assistant_id: thread.lastAssistantId ?? null },
      // The stored role: a conversation's system/developer messages show as `user` in the API only.
      messages: rows.map((r) => ({ ...toMessageObject(r), role: r.role })),
      run_steps: after.steps,
      conversation_items: itemRows.map((r) => ({
        item: { ...recordItem(r, ['reasoning.encrypted_content']), status: r.status },
        created_at: r.createdAt,
        response_id: r.responseId,
      })),
    };
    const refs = referencesOf(doc);
    return ok({
      object: EXPORT_OBJECT,
      format_version: EXPORT_FORMAT_VERSION,
      exported_at: unixSeconds(),
      ...doc,
      runs: after.runs,
      file_ids: refs.fileIds,
      vector_store_ids: refs.vectorStoreIds,
    });
  }
  return fail(409, `Thread ${threadId} changed during every export attempt; retry the export.`, 'conflict');
}

/**
 * Writes an import plan: the thread, its messages and conversation items in one atomic D1 batch, then the runs and steps
 * in one storage transaction of this (new, empty) object. If the second write fails the D1 rows are
 * removed again, so a failed import leaves nothing behind.
 */
export async function writeImport(storage: DurableObjectStorage, db: Database, plan: ImportPlan): Promise<Result<{ created: true }>> {
  if (storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM thread_meta').one().n > 0) {
    return fail(409, `Thread id '${plan.threadId}' is already in use.`, 'id_in_use');
  }
  try {
    await runBatch(db, [
      db.insert(threads).values(plan.thread),
      ...insertMessageStatements(db, plan.messages),
      ...plan.items.map((item) => db.insert(conversationItems).values(item)),
    ]);
  } catch (err) {
    // The batch is atomic: nothing was written. A taken id (a race with another import) is a conflict.
    if (/UNIQUE constraint failed/i.test(String(err))) return fail(409, 'An id of the import is already in use.', 'id_in_use');
    throw err;
  }
  try {
    storage.transactionSync(() => {
      for (const run of plan.runs) {
        const internal = { projectId: plan.thread.projectId, attempt: 0, retryAt: null, resumes: 0, usage: run.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } };
        storage.sql.exec('INSERT INTO runs (id, status, created_at, data, internal) VALUES (?, ?, ?, ?, ?)', run.id, run.status, run.created_at, JSON.stringify(run), JSON.stringify(internal));
      }
      for (const step of plan.steps) {
        storage.sql.exec('INSERT INTO steps (id, run_id, status, data) VALUES (?, ?, ?, ?)', step.id, step.run_id, step.status, JSON.stringify(step));
      }
      setThreadOwner(storage.sql, plan.threadId, plan.thread.projectId);
    });
  } catch (err) {
    await runBatch(db, [
      db.delete(messages).where(inProject(messages, plan.thread.projectId, eq(messages.threadId, plan.threadId))),
      deleteThreadItemsStatement(db, plan.thread.projectId, plan.threadId),
      db.delete(threads).where(byKey(threads, 'internal', eq(threads.id, plan.threadId))),
    ]);
    throw err;
  }
  return ok({ created: true });
}
