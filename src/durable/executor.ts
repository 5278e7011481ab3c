import type { Database } from '../db/client';
import { insertMessage, saveMessage } from '../db/messages';
import { assembleContext } from '../domain/context';
import { unixSeconds } from '../domain/ids';
import { ChatModelError, CodeExecutorUnavailableError, type ChatErrorKind, type CodeExecutor, type ModelRouter } from '../domain/ports';
import { chatRequestFor } from '../domain/runs/chat-request';
import { RUN_TTL_SECONDS } from '../domain/runs/create';
import { transition, type RunEvent } from '../domain/runs/state';
import { addUsage, endStep } from '../domain/runs/steps';
import type { FunctionToolCall, LastErrorCode, Run, RunStep } from '../domain/runs/types';
import { ModelTurn, type HostedTool, type TextFinish, type TurnSink } from './model-turn';
import { answerPython, hasCodeInterpreter, sandboxOutputsForMessage } from './code-interpreter';
import { filePathsIn, PYTHON_FUNCTION } from '../domain/code/python-tool';
import { discardUnfinishedSteps, endUnfinishedSteps, loadRunContext } from './run-context';
import { callLimit, RunExpiredError } from './call-limit';
import { MAX_TOOL_ARGUMENTS_BYTES } from '../domain/runs/limits';
import type { RunStore, StoredRun } from './run-store';
import { logRunEnd } from '../observability/log';
import { callStatsFor } from '../observability/instrumented-model';
import type { RunInternal } from './schema';
import { recordModelCall } from './record-usage';
import type { StreamHub } from './stream-hub';
import type { RetrievalServices } from '../retrieval/search';
import { FILE_SEARCH_FUNCTION, RESULT_CONTENT_INCLUDE } from '../domain/retrieval/file-search-tool';
import { answerFileSearch, citationResolver, presentStep, runVectorStores, waitForIndexing } from './file-search';

/** Upstream attempts per model call before the run fails (429/5xx, retried through the queue). */
export const MAX_ATTEMPTS = 4;
const MAX_BACKOFF_MS = 60_000;
const GENERIC_FAILURE = 'Sorry, something went wrong.';

export interface ExecutorHost {
  store: RunStore;
  hub: StreamHub;
  db: () => Database;
  models: () => ModelRouter;
  /** Durable re-dispatch of a run through the queue after `delayMs`. */
  requeue(run: Run, attempt: number, delayMs: number): Promise<void>;
  armWatchdog(): Promise<void>;
  /** Wakes long-polling readers of the run. */
  onRunChanged(run: Run): void;
  defaultPromptBudget: number;
  /** Retrieval ports for the file_search tool. */
  retrieval: () => RetrievalServices;
  /** File bytes (R2): images for vision models, the sandbox's inputs and outputs. */
  files: R2Bucket;
  /** The code_interpreter sandbox and its per-execution time limit, or null when none is configured. */
  code: () => { executor: CodeExecutor; timeoutSeconds: number } | null;
  sql: SqlStorage;
  /** The overall time limit of one model call, in ms (MODEL_CALL_TIMEOUT_SECONDS). */
  callTimeoutMs: () => number;
}

export function backoffMs(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_BACKOFF_MS);
  return Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
}

/**
 * Executes runs inside the thread's Durable Object: the agent loop of model calls and tool rounds.
 * Each step is checkpointed as it ends; if this instance dies, the watchdog alarm finds the run
 * active with no executor and resumes it from the last checkpoint (unfinished steps are discarded
 * and redone). Cancellation aborts the in-flight model call through an AbortController.
 */
export class RunExecutor {
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly host: ExecutorHost) {}

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /**
   * Aborts the in-flight work of a run being cancelled (or, with RunExpiredError, expired by the
   * watchdog); false if none is running here.
   */
  abort(runId: string, reason: Error = new Error('Run cancelled')): boolean {
    const controller = this.active.get(runId);
    controller?.abort(reason);
    return controller !== undefined;
  }

  /** Applies a state event with a guarded write and publishes the matching `thread.run.*` event. */
  apply(stored: StoredRun, event: RunEvent, internal?: RunInternal): StoredRun | null {
    const t = transition(stored.run, event, unixSeconds());
    if (!t.ok) return null;
    if (!this.host.store.save(t.run, stored.run.status, internal)) return null;
    this.host.hub.publish(t.run.id, `thread.run.${t.run.status}`, t.run);
    this.host.onRunChanged(t.run);
    logRunEnd(t.run, (internal ?? stored.internal).projectId, callStatsFor(this.active.get(t.run.id)?.signal));
    return { run: t.run, internal: internal ?? stored.internal };
  }

  async execute(runId: string): Promise<void> {
    if (this.active.has(runId)) return;
    const controller = new AbortController();
    this.active.set(runId, controller);
    try {
      await this.loop(runId, controller.signal);
    } catch (err) {
      console.error(`run ${runId}: executor error`, err);
      const stored = this.host.store.get(runId);
      if (stored) {
        // Whatever the failed turn left open ends with the run: no message stays in_progress.
        await endUnfinishedSteps(this.host, stored.run.id, { status: 'failed', message: GENERIC_FAILURE }).catch((e: unknown) =>
          console.error(`run ${runId}: ending unfinished steps`, e),
        );
        this.fail(stored, 'server_error', GENERIC_FAILURE);
      }
    } finally {
      this.active.delete(runId);
    }
  }

  private async loop(runId: string, signal: AbortSignal): Promise<void> {
    let stored = this.host.store.get(runId);
    if (!stored) return;
    if (stored.run.status === 'cancelling') return void this.apply(stored, { type: 'cancelled', usage: this.usageOf(stored) });
    if (stored.run.status === 'queued') stored = this.apply(stored, { type: 'start' }) ?? undefined;
    if (!stored || stored.run.status !== 'in_progress') return;
    await discardUnfinishedSteps(this.host.store, this.host.db(), stored);
    // One model call per iteration; function calls end the loop in requires_action.
    while (await this.modelCall(stored, signal)) {
      stored = this.host.store.get(runId);
      if (!stored || stored.run.status !== 'in_progress') return;
    }
  }

  /** Runs one model call; returns true when the loop should call the model again. */
  private async modelCall(stored: StoredRun, signal: AbortSignal): Promise<boolean> {
    const { run, internal } = stored;
    const model = this.host.models().resolve(run.model);
    if (!model) return void this.fail(stored, 'invalid_prompt', `No model provider is configured for model '${run.model}'.`), false;

    const context = assembleContext({
      run,
      ...(await loadRunContext({ store: this.host.store, db: this.host.db(), files: this.host.files }, stored)),
      defaultPromptBudget: this.host.defaultPromptBudget,
    });
    if (!context.ok) return void this.apply(stored, { type: 'incomplete', reason: 'max_prompt_tokens', usage: this.usageOf(stored) }), false;

    let maxTokens: number | undefined;
    if (run.max_completion_tokens !== null) {
      maxTokens = run.max_completion_tokens - internal.usage.completion_tokens;
      if (maxTokens <= 0) return void this.apply(stored, { type: 'incomplete', reason: 'max_completion_tokens', usage: this.usageOf(stored) }), false;
    }

    // file_search: offered when the run has the tool and vector stores to search (indexing finished).
    const storeIds = await runVectorStores(this.host.db(), run, internal.projectId);
    if (storeIds.length > 0) await waitForIndexing(this.host.db(), storeIds, signal);
    const hosted = new Map<string, HostedTool>();
    if (storeIds.length > 0) hosted.set(FILE_SEARCH_FUNCTION, 'file_search');
    if (hasCodeInterpreter(run)) hosted.set(PYTHON_FUNCTION, 'code_interpreter');
    const turn = new ModelTurn(run, internal.projectId, this.sinkFor(run.id), hosted, (text) => this.finishText(run.id, text));
    try {
      const request = chatRequestFor(run, context.messages, maxTokens, {
        fileSearch: storeIds.length > 0,
        ...(hasCodeInterpreter(run) ? { codeInterpreterTimeoutSeconds: this.host.code()?.timeoutSeconds ?? 0 } : {}),
      });
      const limit = callLimit(signal, this.host.callTimeoutMs());
      try {
        for await (const chunk of model.stream(request, limit.signal)) {
          if (limit.signal.aborted) break;
          await turn.accept(chunk);
          // Past a bound (src/domain/runs/limits.ts) the rest of the stream is not read.
          if (turn.overflow) break;
        }
        if (limit.signal.aborted) throw limit.signal.reason;
      } finally {
        limit.dispose();
      }
    } catch (err) {
      return this.onModelError(stored, turn, err, signal), false;
    }
    if (turn.overflow === 'arguments') {
      const message = `The model's tool call arguments exceeded the limit of ${MAX_TOOL_ARGUMENTS_BYTES} bytes; the run was stopped.`;
      await turn.abandon({ status: 'failed', message });
      const now = this.host.store.get(run.id);
      if (now) this.fail(now, 'server_error', message);
      return false;
    }

    // The model stopped at our cap (the run's max_completion_tokens budget is spent), or its answer
    // reached MAX_MESSAGE_TEXT_BYTES: either way the message and the run end incomplete.
    const truncated = (maxTokens !== undefined && turn.finishReason === 'length') || turn.overflow === 'text';
    const result = await turn.end({ truncated });
    const next: RunInternal = { ...internal, usage: addUsage(internal.usage, result.usage), attempt: 0, retryAt: null };
    await recordModelCall(this.host.db(), internal.projectId, run, result);
    if (result.hostedCalls.length > 0 && result.toolStep) {
      let step = result.toolStep;
      try {
        step = await this.answerHosted(stored, step, result.hostedCalls, storeIds, signal);
      } catch (err) {
        return this.onModelError(stored, turn, err, signal, step), false;
      }
      if (result.calls.length === 0) {
        // Only hosted calls: the step is done and the model is called again with the results.
        const done = endStep(step, { status: 'completed' });
        this.host.store.saveStep(done);
        this.host.hub.publish(run.id, 'thread.run.step.completed', presentStep(done, (internal.include ?? []).includes(RESULT_CONTENT_INCLUDE)));
        this.host.store.saveInternal(run.id, next);
        return true;
      }
    }
    if (result.calls.length > 0) {
      this.requireAction(stored, result.calls, next);
      return false;
    }
    if (truncated) this.apply(stored, { type: 'incomplete', reason: 'max_completion_tokens', usage: next.usage }, next);
    else this.apply(stored, { type: 'complete', usage: next.usage }, next);
    return false;
  }

  private requireAction(stored: StoredRun, calls: FunctionToolCall[], internal: RunInternal): void {
    // `requires_action` expires ten minutes after it starts (OpenAI's expires_at).
    const waiting: StoredRun = { ...stored, run: { ...stored.run, expires_at: unixSeconds() + RUN_TTL_SECONDS } };
    const action = {
      type: 'submit_tool_outputs' as const,
      submit_tool_outputs: {
        tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments } })),
      },
    };
    if (this.apply(waiting, { type: 'require_action', action }, internal)) void this.host.armWatchdog();
  }

  private onModelError(stored: StoredRun, turn: ModelTurn, err: unknown, signal: AbortSignal, openStep?: RunStep): void {
    const { run, internal } = stored;
    const expired = signal.aborted && signal.reason instanceof RunExpiredError;
    if (openStep) {
      // A hosted tool failed after the model's turn ended: its step ends with the run.
      const ended = signal.aborted
        ? endStep(openStep, { status: expired ? 'expired' : 'cancelled' })
        : endStep(openStep, { status: 'failed', error: { code: 'server_error', message: err instanceof Error ? err.message : GENERIC_FAILURE } });
      this.host.store.saveStep(ended);
      this.host.hub.publish(run.id, `thread.run.step.${ended.status}`, ended);
    }
    if (expired) {
      // The watchdog already ended the run `expired`: what was written so far ends with it.
      void turn.abandon({ status: 'expired' });
      return;
    }
    if (signal.aborted) {
      // Cancelled: what was written so far ends `cancelled` / `incomplete`, then the run.
      void turn.abandon({ status: 'cancelled' }).then(() => {
        const now = this.host.store.get(run.id);
        if (now) this.apply(now, { type: 'cancelled', usage: this.usageOf(now) });
      });
      return;
    }
    if (!openStep && err instanceof ChatModelError && err.retryable && !turn.producedOutput && internal.attempt + 1 < MAX_ATTEMPTS) {
      const delay = backoffMs(internal.attempt, err.retryAfterMs);
      const next = { ...internal, attempt: internal.attempt + 1, retryAt: Date.now() + delay };
      this.host.store.saveInternal(run.id, next);
      void this.host.requeue(run, next.attempt, delay).catch((e) => console.error(`run ${run.id}: requeue failed`, e));
      void this.host.armWatchdog();
      return;
    }
    const code: LastErrorCode = err instanceof ChatModelError ? err.kind : 'server_error';
    const message = err instanceof ChatModelError || err instanceof CodeExecutorUnavailableError ? err.message : GENERIC_FAILURE;
    if (!(err instanceof ChatModelError)) console.error(`run ${run.id}: model call failed`, err);
    void turn.abandon({ status: 'failed', message }).then(() => {
      const now = this.host.store.get(run.id);
      if (now) this.fail(now, code, message);
    });
  }

  fail(stored: StoredRun, code: ChatErrorKind | LastErrorCode, message: string): void {
    this.apply(stored, { type: 'fail', code, message, usage: this.usageOf(stored) });
  }

  /** A terminal run reports the tokens of every model call it made. */
  usageOf(stored: StoredRun) {
    return stored.internal.usage;
  }

  /** Answers the hosted calls of a turn (file_search, python) and saves the step with their results. */
  private async answerHosted(
    stored: StoredRun,
    step: RunStep,
    calls: { id: string; name: string; arguments: string }[],
    storeIds: string[],
    signal: AbortSignal,
  ): Promise<RunStep> {
    const { run, internal } = stored;
    const searches = calls.filter((c) => c.name === FILE_SEARCH_FUNCTION);
    const pythons = calls.filter((c) => c.name === PYTHON_FUNCTION);
    if (searches.length) step = await answerFileSearch(this.host.retrieval(), this.host.store, run, step, searches, storeIds);
    if (pythons.length) {
      const sandbox = this.host.code();
      if (!sandbox) throw new CodeExecutorUnavailableError('The code interpreter is not available: no sandbox is configured (CODE_EXECUTOR_URL, or the SANDBOX binding in production).');
      const record = (callId: string, output: string) => {
        const call = pythons.find((c) => c.id === callId)!;
        this.host.store.insertHostedCall({ callId, runId: run.id, name: call.name, arguments: call.arguments, output, passages: [] });
      };
      step = await answerPython(
        { ...sandbox, db: this.host.db(), bucket: this.host.files, sql: this.host.sql, hub: this.host.hub },
        run,
        internal.projectId,
        step,
        pythons,
        record,
        signal,
      );
    }
    this.host.store.saveStep(step);
    return step;
  }

  /** Annotations (citations of retrieved passages, links to files the code wrote) and images for a finished text. */
  private finishText(runId: string, text: string): TextFinish {
    const outputs = sandboxOutputsForMessage(this.host.sql, runId);
    const annotations = [...citationResolver(this.host.store, runId)(text), ...filePathsIn(text, outputs.files)].sort(
      (a, b) => a.start_index - b.start_index,
    );
    return { annotations, imageFileIds: outputs.images };
  }

  private sinkFor(runId: string): TurnSink {
    const { store, hub, db } = this.host;
    return {
      emit: (event, data) => hub.publish(runId, event, data),
      insertStep: (step) => store.insertStep(step),
      saveStep: (step) => store.saveStep(step),
      insertMessage: (row) => insertMessage(db(), row),
      saveMessage: (row) => saveMessage(db(), row),
    };
  }
}
