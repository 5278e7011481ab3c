import { DurableObject } from 'cloudflare:workers';
import type { AssistantObject } from '../db/assistants';
import { runBatch } from '../db/client';
import { insertMessageStatements, toMessageObject, type MessageObject } from '../db/messages';
import type { ListParams, Page } from '../db/pagination';
import { threads } from '../db/schema';
import { deleteThreadAndMessages, toThreadObject, type ThreadObjectJson } from '../db/threads';
import { unixSeconds } from '../domain/ids';
import { newMessageRow } from '../domain/messages';
import type { Run, RunStep } from '../domain/runs/types';
import { POLLED_RUN_STATUSES } from '../domain/runs/state';
import type { Env } from '../env';
import type { MessageCreateParams } from '../contract/messages';
import type { RunCreateParams, RunSubmitToolOutputsParams } from '../contract/runs';
import type { ThreadCreateParams } from '../contract/threads';
import type { RunDispatch } from '../queue/run-dispatch';
import { RunExecutor } from './executor';
import { services } from '../services';
import { presentStep } from '../tools/registry';
import { Mutex } from './mutex';
import { fail, ok, type Result } from './result';
import { readRunStart } from './run-start';
import { cancelRun, createRun, submitToolOutputs, type RunCommandHost, type StreamedRun } from './run-commands';
import { RunStore } from './run-store';
import { activeRunId, hasSchema, migrate, setThreadOwner, threadOwner } from './storage';
import { StreamHub } from './stream-hub';
import { RunWaiters } from './waiters';
import { nextAlarmAt, runWatchdog } from './watchdog';
import { endUnfinishedSteps } from './run-context';
import { snapshotThread, writeImport } from './thread-transfer';
import type { ThreadExport } from '../domain/export/format';
import type { ImportPlan } from '../domain/export/remap';
import type { ConversationCreateParams, ConversationInclude, ConversationItemParam } from '../contract/conversations';
import type { ConversationItem } from '../domain/conversations/items';
import {
  activeResponseId, appendItems, beginResponse, conversationHistory, conversationMissing, deleteItem, endResponse, getItem, insertConversation, listItems, responseLockTtlMs,
  type ConversationHost, type ConversationObject, type ItemListParams,
} from './conversations';
import { MAX_RESPONSE_RESTARTS } from './responses/response-runner';

/** The answer for a missing conversation, also given for another project's (docs/conversations.md §1). */
const conversationNotFound = (id: string) => fail(404, conversationMissing(id));

/** The statuses the SDK's poll() keeps polling on (docs/openai-behaviour.md §6.3). */
const POLLED_STATUSES: readonly string[] = POLLED_RUN_STATUSES;

/** OpenAI's answer for a missing thread, also given for another project's thread. */
const threadNotFound = (threadId: string) => fail(404, `No thread found with id '${threadId}'.`);

/** Prompt budget when a run sets no max_prompt_tokens: a 128k-token window less room to answer. */
const DEFAULT_PROMPT_BUDGET = 120_000;

/**
 * One Durable Object per thread (named by the thread id). Creating the thread, adding a message,
 * creating and controlling runs, deleting the thread, and everything a running run writes go through
 * it, which makes the run lock real (OpenAI: 400 "Can't add messages to thread_x while a run run_y is
 * active."). Not every thread write does: thread and message metadata updates, message deletion and
 * the attachments' vector store are written by the routes straight to D1 (the list and its
 * consequences: docs/architecture.md §1). It stores runs and steps, executes runs
 * (src/durable/executor.ts), fans their events out to streams, and its alarm is the runs' watchdog.
 * Reads of threads and messages go to D1.
 */
export class ThreadObject extends DurableObject<Env> {
  private readonly writes = new Mutex();
  private readonly store: RunStore;
  private readonly hub = new StreamHub();
  private readonly waiters = new RunWaiters();
  private readonly executor: RunExecutor;
  /** Whether this object's tables exist: only once its thread was created. */
  private ready = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The schema is created with the thread (createThread), never by a request naming an unknown
    // thread: such a request must write nothing, or any key could create storage without bound.
    void ctx.blockConcurrencyWhile(async () => {
      this.ready = hasSchema(ctx.storage.sql);
      if (this.ready) migrate(ctx.storage.sql);
    });
    this.store = new RunStore(ctx.storage);
    this.executor = new RunExecutor({
      store: this.store,
      hub: this.hub,
      db: () => this.db,
      // The adapters come from the isolate's services (src/services.ts), built once for this env.
      models: () => services(env).models,
      requeue: (run, attempt, delayMs) => this.dispatch(run, attempt, delayMs),
      armWatchdog: () => this.armWatchdog(),
      // Long polls wake when the run reaches a status the SDK's poll() stops on.
      onRunChanged: (run) => {
        if (!POLLED_STATUSES.includes(run.status)) this.waiters.notify(run.id);
      },
      defaultPromptBudget: DEFAULT_PROMPT_BUDGET,
      retrieval: () => services(env).retrieval,
      files: env.FILES,
      code: () => {
        const executor = services(env).codeExecutor();
        return executor ? { executor, timeoutSeconds: services(env).config.codeExecutionTimeoutSeconds } : null;
      },
      sql: ctx.storage.sql,
      callTimeoutMs: () => services(env).config.modelCallTimeoutSeconds * 1000,
    });
  }

  private get db() {
    return services(this.env).db;
  }

  /** The thread must exist and belong to the caller's project; otherwise it is "not found". */
  private owned(projectId: string): { id: string } | null {
    if (!this.ready) return null;
    const owner = threadOwner(this.ctx.storage.sql);
    return owner && owner.projectId === projectId ? owner : null;
  }

  private commands(threadId: string, projectId: string): RunCommandHost {
    return {
      threadId,
      projectId,
      sql: this.ctx.storage.sql,
      store: this.store,
      hub: this.hub,
      executor: this.executor,
      db: () => this.db,
      dispatch: (run, attempt) => this.dispatch(run, attempt, 0),
      armWatchdog: () => this.armWatchdog(),
    };
  }

  /** Sends the run to the run queue, the durable dispatch (src/queue/run-dispatch.ts). */
  private async dispatch(run: Run, attempt: number, delayMs: number): Promise<void> {
    const body: RunDispatch = { threadId: run.thread_id, runId: run.id, attempt };
    try {
      await this.env.RUN_QUEUE.send(body, delayMs > 0 ? { delaySeconds: Math.ceil(delayMs / 1000) } : undefined);
    } catch (err) {
      // The watchdog resumes a run whose dispatch was lost.
      console.error(`run ${run.id}: queue send failed`, err);
    }
  }

  /** The alarm time this instance last set (storage holds the truth; this saves a read per run). */
  private alarmAt: number | null | undefined;

  private async armWatchdog(): Promise<void> {
    const next = nextAlarmAt(this.store.activeRuns(), Date.now());
    if (next === null) return;
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > next || this.alarmAt < Date.now()) {
      await this.ctx.storage.setAlarm(next);
      this.alarmAt = next;
    }
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    if (!this.ready) return;
    await runWatchdog({ store: this.store, hub: this.hub, executor: this.executor, db: () => this.db });
    await this.armWatchdog();
  }

  // ------------------------------------------------------------------------------- threads

  async createThread(projectId: string, threadId: string, p: ThreadCreateParams): Promise<Result<ThreadObjectJson>> {
    return this.writes.run(async () => {
      const now = Date.now();
      const row = { id: threadId, projectId, createdAt: unixSeconds(now), toolResources: p.tool_resources ?? null, metadata: p.metadata ?? {} };
      const rows = (p.messages ?? []).map((m) => newMessageRow(projectId, threadId, m, now));
      const db = this.db;
      await runBatch(db, [db.insert(threads).values(row), ...insertMessageStatements(db, rows)]);
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
      return ok(toMessageObject(row));
    });
  }

  /** Deletes the thread, its messages, and this object's own storage (runs, steps, alarm). */
  async deleteThread(projectId: string, threadId: string): Promise<Result<{ deleted: boolean }>> {
    return this.writes.run(async () => {
      if (!this.owned(projectId)) return threadNotFound(threadId);
      for (const { run } of this.store.activeRuns()) this.executor.abort(run.id);
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
    assistant: AssistantObject | string,
    params: RunCreateParams,
    opts: { stream: boolean; include?: string[]; prelude?: { event: string; data: unknown }[] },
  ): Promise<Result<StreamedRun>> {
    return this.writes.run(async () => {
      // The assistant's 404 and the model check come before the thread's 404, as when the route
      // read the assistant (src/durable/run-start.ts).
      const start = await readRunStart(this.db, services(this.env).models, projectId, threadId, assistant, params.model);
      if (!start.ok) return start;
      if (!this.owned(projectId)) return threadNotFound(threadId);
      return createRun(this.commands(threadId, projectId), start.value, params, opts);
    });
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

  // ------------------------------------------- conversations (src/durable/conversations.ts)

  private conversation(projectId: string, threadId: string): ConversationHost {
    return { sql: this.ctx.storage.sql, db: this.db, projectId, threadId };
  }

  /** A conversation is a thread: created like one (createThread), with initial items instead of messages. */
  async createConversation(projectId: string, id: string, p: ConversationCreateParams): Promise<Result<ConversationObject>> {
    return this.writes.run(async () => {
      const conversation = await insertConversation(this.db, projectId, id, p);
      migrate(this.ctx.storage.sql);
      this.ready = true;
      setThreadOwner(this.ctx.storage.sql, id, projectId);
      return ok(conversation);
    });
  }

  /** Appends items unless a run or another response is active; `responseId` names the writing response. */
  async appendConversationItems(projectId: string, id: string, items: ConversationItemParam[], responseId: string | null = null): Promise<Result<ConversationItem[]>> {
    return this.writes.run(async () => (this.owned(projectId) ? appendItems(this.conversation(projectId, id), items, responseId) : conversationNotFound(id)));
  }

  async listConversationItems(projectId: string, id: string, params: ItemListParams): Promise<Result<Page<ConversationItem>>> {
    return this.owned(projectId) ? ok(await listItems(this.conversation(projectId, id), params)) : conversationNotFound(id);
  }

  async getConversationItem(projectId: string, id: string, itemId: string, params: Pick<ItemListParams, 'include' | 'filesBase'>): Promise<Result<ConversationItem>> {
    return this.owned(projectId) ? getItem(this.conversation(projectId, id), itemId, params) : conversationNotFound(id);
  }

  async deleteConversationItem(projectId: string, id: string, itemId: string): Promise<Result<ConversationObject>> {
    return this.writes.run(async () => (this.owned(projectId) ? deleteItem(this.conversation(projectId, id), itemId) : conversationNotFound(id)));
  }

  /** The conversation's items oldest first, run tool calls included: a response's history. */
  async conversationHistory(projectId: string, id: string, include: ConversationInclude[] = []): Promise<Result<ConversationItem[]>> {
    return this.owned(projectId) ? ok(await conversationHistory(this.conversation(projectId, id), include)) : conversationNotFound(id);
  }

  /** Locks the conversation for an in-progress response (like a run's lock); end it with endConversationResponse. */
  async beginConversationResponse(projectId: string, id: string, responseId: string): Promise<Result<{ locked: true }>> {
    const ttlMs = responseLockTtlMs(services(this.env).config.modelCallTimeoutSeconds, MAX_RESPONSE_RESTARTS);
    return this.writes.run(async () => (this.owned(projectId) ? beginResponse(this.conversation(projectId, id), responseId, ttlMs) : conversationNotFound(id)));
  }

  async endConversationResponse(projectId: string, id: string, responseId: string): Promise<void> {
    await this.writes.run(async () => {
      if (this.owned(projectId)) endResponse(this.conversation(projectId, id), responseId);
    });
  }
}
