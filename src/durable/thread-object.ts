import type { RunStartAssistant } from '../db/assistants';
import { runBatch } from '../db/client';
import { deleteMessage, insertMessageStatements, toMessageObject, type MessageObject } from '../db/messages';
import type { ListParams, Page } from '../db/pagination';
import { threads } from '../db/schema';
import { deleteThreadAndMessages, toThreadObject, type ThreadObjectJson } from '../db/threads';
import { unixSeconds } from '../domain/ids';
import { newMessageRow } from '../domain/messages';
import type { Run, RunStep } from '../domain/runs/types';
import type { MessageCreateParams } from '../contract/messages';
import type { RunCreateParams, RunSubmitToolOutputsParams } from '../contract/runs';
import type { ThreadCreateParams } from '../contract/threads';
import type { ThreadExport } from '../domain/export/format';
import type { ImportPlan } from '../domain/export/remap';
import { services } from '../services';
import { presentStep } from '../tools/registry';
import { activeResponseId } from './conversations';
import { fail, ok, type Result } from './result';
import { readRunStart, withAddedMessages } from './run-start';
import { nextTurn } from '../adapters/event-loop';
import type { ModelPrefetch } from './model-prefetch';
import { checkRunParams, newRun } from '../domain/runs/create';
import { cancelRun, createRun, submitToolOutputs, type StreamedRun } from './run-commands';
import { endUnfinishedSteps } from './run-context';
import { activeRunId, migrate, setThreadOwner } from './storage';
import { ThreadConversations } from './thread-conversations';
import { POLLED_STATUSES, threadNotFound } from './thread-core';
import { snapshotThread, writeImport } from './thread-transfer';

/**
 * One Durable Object per thread (named by the thread id). Creating the thread, adding a message,
 * creating and controlling runs, deleting the thread, and everything a running run writes go through
 * it, which makes the run lock real (OpenAI: 400 "Can't add messages to thread_x while a run run_y is
 * active."), and so does deleting a message. Not every thread write does: thread and message metadata
 * updates and the attachments' vector store are written by the routes straight to D1 (the list and its
 * consequences: docs/architecture.md §1). It stores runs and steps, executes runs
 * (src/durable/executor.ts), fans their events out to streams, and its alarm is the runs' watchdog.
 * Reads of threads and messages go to D1. Its shared state is in src/durable/thread-core.ts, its
 * Conversations API methods in src/durable/thread-conversations.ts.
 */
export class ThreadObject extends ThreadConversations {
  // ------------------------------------------------------------------------------- threads

  async createThread(projectId: string, threadId: string, p: ThreadCreateParams): Promise<Result<ThreadObjectJson>> {
    return this.writes.run(async () => {
      const now = Date.now();
      const row = { id: threadId, projectId, createdAt: unixSeconds(now), toolResources: p.tool_resources ?? null, metadata: p.metadata ?? {} };
      const rows = (p.messages ?? []).map((m) => newMessageRow(projectId, threadId, m, now));
      const db = this.db;
      await runBatch(db, [db.insert(threads).values(row), ...insertMessageStatements(db, rows)]);
      this.startCache.seed(projectId, withAddedMessages([], rows));
      migrate(this.ctx.storage.sql);
      this.ready = true;
      setThreadOwner(this.ctx.storage.sql, threadId, projectId);
      return ok(toThreadObject(row));
    });
  }

  /** Appends a message unless a run or a response is active. */
  async createMessage(projectId: string, threadId: string, p: MessageCreateParams): Promise<Result<MessageObject>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      const active = activeRunId(this.ctx.storage.sql);
      if (active) return fail(400, `Can't add messages to ${threadId} while a run ${active} is active.`);
      // A response continuing this thread as a conversation locks it like a run (docs/conversations.md §3).
      const responding = activeResponseId(this.ctx.storage.sql);
      if (responding) return fail(400, `Can't add messages to ${threadId} while a response ${responding} is active.`);
      const row = newMessageRow(projectId, threadId, p);
      const db = this.db;
      await runBatch(db, insertMessageStatements(db, [row]));
      this.startCache.written(row);
      return ok(toMessageObject(row));
    });
  }

  /**
   * Deletes one message (`DELETE …/messages/{id}`), here rather than in the route so that it is
   * ordered with run creation: the next run's early model request (run-start-cache.ts) must not carry
   * a message deleted before the run was created, not even in a request that would be aborted.
   * Touches D1 only, so a thread this object never held gains no storage.
   */
  async deleteMessage(projectId: string, threadId: string, messageId: string): Promise<boolean> {
    return this.writes.run(async () => {
      const deleted = await deleteMessage(this.db, projectId, threadId, messageId);
      if (deleted) this.startCache.clear();
      return deleted;
    });
  }

  /** Deletes the thread, its messages, and this object's own storage (runs, steps, alarm). */
  async deleteThread(projectId: string, threadId: string): Promise<Result<{ deleted: boolean }>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      for (const { run } of this.store.activeRuns()) this.executor.abort(run.id);
      this.startCache.clear();
      await deleteThreadAndMessages(this.db, projectId, threadId);
      // The thread's sandbox session (variables, /mnt/data) goes with it.
      await services(this.env).codeExecutor()?.endSession(threadId).catch((err: unknown) => console.error(`ending sandbox of ${threadId}`, err));
      await this.ctx.storage.deleteAlarm();
      this.alarmAt = null;
      await this.ctx.storage.deleteAll();
      // deleteAll() drops the schema too: this object is again one of an unknown thread.
      this.ready = false;
      return ok({ deleted: true });
    });
  }

  // ---------------------------------------------------------------------------------- runs

  async createRun(
    projectId: string,
    threadId: string,
    /** An id (read here, in one D1 batch with the thread's messages) or the assistant the route read. */
    assistant: RunStartAssistant | string,
    params: RunCreateParams,
    opts: { stream: boolean; include?: string[]; prelude?: { event: string; data: unknown }[]; mcpSealed?: Record<string, string> },
  ): Promise<Result<StreamedRun>> {
    return this.writes.run(async () => {
      // The first model request leaves now, from a guess, while D1 is read (run-start-cache.ts).
      const prefetching = this.prefetch(projectId, threadId, assistant, params).catch(() => null);
      let handed = false;
      try {
        // Locally D1's SQLite runs on this thread and would hold the request back until the read below
        // has run (src/adapters/event-loop.ts); one turn lets it leave first.
        await nextTurn();
        // The assistant's 404 and the model check come before the thread's 404, as when the route
        // read the assistant (src/durable/run-start.ts).
        const start = await readRunStart(this.db, services(this.env).models, projectId, threadId, assistant, params.model);
        const prefetch = await prefetching;
        if (!start.ok) return start;
        if (!this.owned(projectId)) return threadNotFound(threadId);
        this.startCache.remember(projectId, start.value.assistant, start.value.history ?? []);
        const created = await createRun(this.commands(threadId, projectId), start.value, params, { ...opts, ...(prefetch ? { prefetch } : {}) });
        // A created run's executor owns the prefetch (adopted or discarded by its first call).
        handed = created.ok;
        return created;
      } finally {
        if (!handed) (await prefetching)?.discard();
      }
    });
  }

  /**
   * The guessed first model request of a run about to be created, or null: only for a run started
   * from an assistant id with no additional messages (those are written first: a run with them is
   * not on the one-round-trip path), on a thread this object knows.
   */
  private async prefetch(projectId: string, threadId: string, assistant: RunStartAssistant | string, params: RunCreateParams): Promise<ModelPrefetch | null> {
    if (!services(this.env).config.runPrefetch) return null;
    if (typeof assistant !== 'string' || (params.additional_messages?.length ?? 0) > 0 || !this.owned(projectId)) return null;
    const guess = this.startCache.guess(projectId, assistant);
    if (!guess?.history || activeRunId(this.ctx.storage.sql) || activeResponseId(this.ctx.storage.sql)) return null;
    const run = newRun(threadId, guess.assistant, params);
    if (checkRunParams(run) || services(this.env).models.unavailableReason(run.model)) return null;
    return this.executor.prefetchFirstCall(run, projectId, guess.history);
  }

  async submitToolOutputs(
    projectId: string,
    threadId: string,
    runId: string,
    params: RunSubmitToolOutputsParams,
    opts: { stream: boolean },
  ): Promise<Result<StreamedRun>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      return submitToolOutputs(this.commands(threadId, projectId), runId, params, opts);
    });
  }

  async cancelRun(projectId: string, threadId: string, runId: string): Promise<Result<Run>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      return cancelRun(this.commands(threadId, projectId), runId);
    });
  }

  /**
   * A run as stored. With `waitMs`, a non-terminal run is returned when it next changes (or at the
   * timeout): long polling for the SDK's poll helpers.
   */
  async getRun(projectId: string, threadId: string, runId: string, waitMs = 0): Promise<Result<Run>> {
    if (!this.owned(projectId)) return threadNotFound(threadId);
    const stored = this.store.get(runId);
    if (!stored) return fail(404, `No run found with id '${runId}'.`);
    if (waitMs > 0 && POLLED_STATUSES.includes(stored.run.status)) {
      await this.waiters.wait(runId, waitMs);
      return ok(this.store.get(runId)?.run ?? stored.run);
    }
    return ok(stored.run);
  }

  async listRuns(projectId: string, threadId: string, params: ListParams): Promise<Result<Page<Run>>> {
    if (!this.owned(projectId)) return threadNotFound(threadId);
    return ok(await this.store.list(params));
  }

  async updateRunMetadata(projectId: string, threadId: string, runId: string, metadata: Record<string, string> | undefined): Promise<Result<Run>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      const stored = this.store.get(runId);
      if (!stored) return fail(404, `No run found with id '${runId}'.`);
      if (metadata === undefined) return ok(stored.run);
      const run = { ...stored.run, metadata };
      if (!this.store.save(run, stored.run.status)) return fail(500, 'The run changed while it was being updated.');
      return ok(run);
    });
  }

  async listSteps(projectId: string, threadId: string, runId: string, params: ListParams, includeContent = false): Promise<Result<Page<RunStep>>> {
    if (!this.owned(projectId)) return threadNotFound(threadId);
    if (!this.store.get(runId)) return fail(404, `No run found with id '${runId}'.`);
    const page = await this.store.listSteps(runId, params);
    return ok({ ...page, data: page.data.map((s) => presentStep(s, includeContent)) });
  }

  async getStep(projectId: string, threadId: string, runId: string, stepId: string, includeContent = false): Promise<Result<RunStep>> {
    if (!this.owned(projectId)) return threadNotFound(threadId);
    if (!this.store.get(runId)) return fail(404, `No run found with id '${runId}'.`);
    const step = this.store.getStep(runId, stepId);
    return step ? ok(presentStep(step, includeContent)) : fail(404, `No run step found with id '${stepId}'.`);
  }

  // ----------------------------------------------------------- export / import (thread-transfer.ts)

  async exportThread(projectId: string, threadId: string): Promise<Result<ThreadExport>> {
    if (!this.owned(projectId)) return threadNotFound(threadId);
    return snapshotThread(this.ctx.storage.sql, this.db, projectId, threadId);
  }

  /** Creates this (new) thread from an import plan; refused if the object already holds a thread. */
  async importThread(plan: ImportPlan): Promise<Result<{ created: true }>> {
    return this.writes.run(async () => {
      // Like createThread, an import is what creates this object's tables; a refused or failed import
      // of a fresh object drops them again, so it leaves no storage behind.
      const fresh = !this.ready;
      this.startCache.clear();
      if (fresh) migrate(this.ctx.storage.sql);
      let result: Result<{ created: true }> | undefined;
      try {
        result = await writeImport(this.ctx.storage, this.db, plan);
      } finally {
        if (result?.ok) this.ready = true;
        else if (fresh) await this.ctx.storage.deleteAll();
      }
      return result;
    });
  }

  // ------------------------------------------------------------------------------ dispatch

  /**
   * The queue consumer's hand-off: starts (or resumes) the run's executor here and returns at once;
   * the consumer acks. A stale or duplicate delivery (wrong attempt, finished run) does nothing.
   */
  async dispatchRun(runId: string, attempt: number): Promise<{ started: boolean }> {
    if (!this.ready) return { started: false };
    const stored = this.store.get(runId);
    if (!stored || stored.internal.attempt !== attempt) return { started: false };
    if (!POLLED_STATUSES.includes(stored.run.status) || this.executor.isActive(runId)) return { started: false };
    void this.executor.execute(runId);
    return { started: true };
  }

  /** The dead-letter queue's verdict: a run whose dispatch kept failing ends `failed`. */
  async failUndeliverable(runId: string): Promise<void> {
    if (!this.ready) return;
    const stored = this.store.get(runId);
    if (stored && !this.executor.isActive(runId)) {
      const message = 'The run could not be dispatched for execution.';
      await endUnfinishedSteps({ store: this.store, hub: this.hub, db: () => this.db }, runId, { status: 'failed', message });
      this.executor.fail(stored, 'server_error', message);
    }
  }
}
