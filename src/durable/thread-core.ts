import { DurableObject } from 'cloudflare:workers';
import type { Run } from '../domain/runs/types';
import { POLLED_RUN_STATUSES } from '../domain/runs/state';
import type { Env } from '../env';
import type { RunDispatch } from '../queue/run-dispatch';
import { services } from '../services';
import { RunExecutor } from './executor';
import { RunStartCache } from './run-start-cache';
import { Mutex } from './mutex';
import { fail } from './result';
import type { RunCommandHost } from './run-commands';
import { RunStore } from './run-store';
import { hasSchema, migrate, threadOwner } from './storage';
import { StreamHub } from './stream-hub';
import { RunWaiters } from './waiters';
import { nextAlarmAt, runWatchdog } from './watchdog';
import { mcpHost } from './mcp-host';

/** The statuses the SDK's poll() keeps polling on (docs/openai-behaviour.md §6.3). */
export const POLLED_STATUSES: readonly string[] = POLLED_RUN_STATUSES;

/** OpenAI's answer for a missing thread, also given for another project's thread. */
export const threadNotFound = (threadId: string) => fail(404, `No thread found with id '${threadId}'.`);

/** Prompt budget when a run sets no max_prompt_tokens: a 128k-token window less room to answer. */
const DEFAULT_PROMPT_BUDGET = 120_000;

/**
 * What every part of the thread object shares (src/durable/thread-object.ts is the class the binding
 * names): its storage and schema state, the write mutex (one write at a time: the run lock),
 * the run store, stream hub, long-poll waiters and executor, the run queue hand-off and the watchdog
 * alarm. The RPC methods live in the subclasses, by subject: conversations
 * (thread-conversations.ts), then threads, runs, steps and transfers (thread-object.ts).
 */
export abstract class ThreadCore extends DurableObject<Env> {
  protected readonly writes = new Mutex();
  protected readonly store: RunStore;
  protected readonly hub = new StreamHub();
  protected readonly waiters = new RunWaiters();
  protected readonly executor: RunExecutor;
  /** A guess of the next run's inputs, for its prefetched first model request (run-start-cache.ts). */
  protected readonly startCache = new RunStartCache();
  /** Whether this object's tables exist: only once its thread was created. */
  protected ready = false;

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
      messageWritten: (row) => this.startCache.written(row),
      mcp: mcpHost({ client: () => services(env).mcp, secretsKey: () => services(env).config.mcpSecretsKey, store: this.store, sql: ctx.storage.sql }),
    });
  }

  protected get db() {
    return services(this.env).db;
  }

  /** The thread must exist and belong to the caller's project; otherwise it is "not found". */
  protected owned(projectId: string): { id: string } | null {
    if (!this.ready) return null;
    const owner = threadOwner(this.ctx.storage.sql);
    return owner && owner.projectId === projectId ? owner : null;
  }

  protected commands(threadId: string, projectId: string): RunCommandHost {
    return {
      threadId,
      projectId,
      sql: this.ctx.storage.sql,
      store: this.store,
      hub: this.hub,
      executor: this.executor,
      db: () => this.db,
      dispatch: (run, attempt) => this.dispatch(run, attempt, 0),
      messageWritten: (row) => this.startCache.written(row),
      armWatchdog: () => this.armWatchdog(),
    };
  }

  /** Sends the run to the run queue, the durable dispatch (src/queue/run-dispatch.ts). */
  protected async dispatch(run: Run, attempt: number, delayMs: number): Promise<void> {
    const body: RunDispatch = { threadId: run.thread_id, runId: run.id, attempt };
    try {
      await this.env.RUN_QUEUE.send(body, delayMs > 0 ? { delaySeconds: Math.ceil(delayMs / 1000) } : undefined);
    } catch (err) {
      // The watchdog resumes a run whose dispatch was lost.
      console.error(`run ${run.id}: queue send failed`, err);
    }
  }

  /** The alarm time this instance last set (storage holds the truth; this saves a read per run). */
  protected alarmAt: number | null | undefined;

  protected async armWatchdog(): Promise<void> {
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

}
