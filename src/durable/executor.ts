import type { Database } from '../db/client';
import type { MessageRow } from '../db/messages';
import { unixSeconds } from '../domain/ids';
import type { ChatErrorKind, CodeExecutor, ModelRouter } from '../domain/ports';
import { RUN_TTL_SECONDS } from '../domain/runs/create';
import type { RunEvent } from '../domain/runs/state';
import { addUsage } from '../domain/runs/steps';
import type { FunctionToolCall, LastErrorCode, RequiredActionCall, Run, RunStep } from '../domain/runs/types';
import { MAX_TOOL_ARGUMENTS_BYTES } from '../domain/runs/limits';
import { requiredActionOf } from '../domain/runs/required-action';
import { logRunEnd } from '../observability/log';
import { callStatsFor } from '../observability/instrumented-model';
import type { RetrievalServices } from '../retrieval/search';
import type { HostedTool, ToolPorts } from '../tools/hosted-tool';
import type { McpHost } from '../tools/mcp/host';
import { approvalRequests, HOSTED_TOOLS, includesResultContent, messageOutputsFor, presentStep } from '../tools/registry';
import { McpListError } from '../domain/mcp/port';
import { McpSecretsError } from '../domain/runs/mcp-secrets';
import { actOnDecisions, type DecisionHost } from './approval-decisions';
import { callLimit } from './call-limit';
import { answerHostedCalls } from './hosted-calls';
import type { ModelPrefetch } from './model-prefetch';
import { CallPlanner } from './call-plan';
import { ModelTurn } from './model-turn';
import { GENERIC_FAILURE, onModelError, turnSink, type ModelErrorHost } from './model-turn-host';
import { discardUnfinishedSteps, endUnfinishedSteps } from './run-context';
import { d1RunData, type RunData } from './run-data';
import { applyRunEvent, endStepAndPublish, stepEventsOf } from './run-events';
import type { RunRecords, StoredRun } from './run-store';
import type { RunInternal } from './schema';

export interface ExecutorHost {
  store: RunRecords;
  /** The run's stream (StreamHub). */
  hub: { publish(runId: string, event: string, data: unknown): void };
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
  /** Remote MCP servers for `mcp` tools (src/durable/mcp-host.ts). */
  mcp: McpHost;
  /** A message row the run wrote to D1 (RunStartCache follows the thread's history with it). */
  messageWritten?(row: MessageRow): void;
}

/**
 * Executes runs inside the thread's Durable Object: the agent loop of model calls and tool rounds.
 * Each step is checkpointed as it ends; if this instance dies, the watchdog alarm finds the run
 * active with no executor and resumes it from the last checkpoint (unfinished steps are discarded
 * and redone). Cancellation aborts the in-flight model call through an AbortController. Hosted tools
 * come from the registry (src/tools/registry.ts); `data` and `tools` are replaced in unit tests.
 */
export class RunExecutor {
  private readonly active = new Map<string, AbortController>();
  private readonly ports: ToolPorts;
  private readonly planner: CallPlanner;

  constructor(
    private readonly host: ExecutorHost,
    private readonly data: RunData = d1RunData(host.db, host.files),
    private readonly tools: readonly HostedTool[] = HOSTED_TOOLS,
  ) {
    this.ports = {
      db: host.db,
      retrieval: host.retrieval,
      files: host.files,
      code: host.code,
      sql: host.sql,
      hostedCalls: host.store,
      emit: (runId, event, data) => host.hub.publish(runId, event, data),
      mcp: host.mcp,
    };
    this.planner = new CallPlanner({ store: host.store, data: this.data, tools, ports: this.ports, models: host.models, defaultPromptBudget: host.defaultPromptBudget });
  }

  /** What acting on MCP approval decisions needs of this executor (src/durable/approval-decisions.ts). */
  private get decisionHost(): DecisionHost {
    return { events: this.host, store: this.host.store, tools: this.tools, ports: this.ports, apply: (s, e) => this.apply(s, e), fail: (s, c, m) => this.fail(s, c, m) };
  }

  /** What ending a failed model call needs of this executor (src/durable/model-turn-host.ts). */
  private get errorHost(): ModelErrorHost {
    return { host: this.host, apply: (s, e) => this.apply(s, e), fail: (s, c, m) => this.fail(s, c, m), usageOf: (s) => this.usageOf(s) };
  }

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

  /** Applies a state event (src/durable/run-events.ts), wakes long polls and logs a run's end. */
  apply(stored: StoredRun, event: RunEvent, internal?: RunInternal): StoredRun | null {
    const next = applyRunEvent(this.host, stored, event, internal);
    if (!next) return null;
    this.host.onRunChanged(next.run);
    logRunEnd(next.run, next.internal.projectId, callStatsFor(this.active.get(next.run.id)?.signal));
    return next;
  }

  /**
   * `history`: the thread's messages as createRun read them (with the assistant, in one D1 batch),
   * used by the first model call instead of reading them again. Without it (a resume after an
   * eviction, tool outputs, a requeued retry) every call reads the thread afresh. `prefetch`: the
   * first call's request, sent ahead (prefetchFirstCall); adopted or discarded by the first call.
   */
  async execute(runId: string, history?: MessageRow[], prefetch?: ModelPrefetch): Promise<void> {
    if (this.active.has(runId)) return prefetch?.discard();
    const controller = new AbortController();
    this.active.set(runId, controller);
    try {
      await this.loop(runId, controller.signal, history, prefetch);
    } catch (err) {
      console.error(`run ${runId}: executor error`, err);
      const stored = this.host.store.get(runId);
      if (stored) {
        // Whatever the failed turn left open ends with the run: no message stays in_progress.
        await endUnfinishedSteps({ ...this.host, data: this.data }, stored.run.id, { status: 'failed', message: GENERIC_FAILURE }).catch((e: unknown) =>
          console.error(`run ${runId}: ending unfinished steps`, e),
        );
        this.fail(stored, 'server_error', GENERIC_FAILURE);
      }
    } finally {
      this.active.delete(runId);
      // Not adopted (the run ended before its first call, or the call's request differed): aborted.
      prefetch?.discard();
    }
  }

  private async loop(runId: string, signal: AbortSignal, history?: MessageRow[], prefetch?: ModelPrefetch): Promise<void> {
    let stored = this.host.store.get(runId);
    if (!stored) return;
    if (stored.run.status === 'cancelling') return void this.apply(stored, { type: 'cancelled', usage: this.usageOf(stored) });
    if (stored.run.status === 'queued') stored = this.apply(stored, { type: 'start' }) ?? undefined;
    if (!stored || stored.run.status !== 'in_progress') return;
    if (stored.internal.mcpDecisions) {
      // The client answered MCP approval requests: their calls run (or are denied) before the model goes on.
      if (!(await actOnDecisions(this.decisionHost, stored, signal))) return;
      stored = this.host.store.get(runId);
      if (!stored || stored.run.status !== 'in_progress') return;
    }
    await discardUnfinishedSteps({ store: this.host.store, data: this.data }, stored);
    // One model call per iteration; function calls end the loop in requires_action.
    while (await this.modelCall(stored, signal, history, prefetch)) {
      history = undefined;
      prefetch = undefined;
      stored = this.host.store.get(runId);
      if (!stored || stored.run.status !== 'in_progress') return;
    }
  }

  /** A new run's first model request, sent ahead from a guess of its inputs (src/durable/call-plan.ts). */
  prefetchFirstCall(run: Run, projectId: string, history: MessageRow[]): Promise<ModelPrefetch | null> {
    return this.planner.prefetchFirstCall(run, projectId, history);
  }

  /** Runs one model call; returns true when the loop should call the model again. */
  private async modelCall(stored: StoredRun, signal: AbortSignal, history?: MessageRow[], prefetch?: ModelPrefetch): Promise<boolean> {
    const { run, internal } = stored;
    let plan: Awaited<ReturnType<CallPlanner['plan']>>;
    try {
      plan = await this.planner.plan(stored, signal, history);
    } catch (err) {
      if (signal.aborted) throw err;
      // An MCP server whose tools cannot be listed (or whose secrets cannot be opened) fails the run, named.
      if (err instanceof McpListError || err instanceof McpSecretsError) return void this.fail(stored, 'server_error', err.message), false;
      throw err;
    }
    if ('stop' in plan) {
      if (plan.stop === 'no_model') this.fail(stored, 'invalid_prompt', `No model provider is configured for model '${run.model}'.`);
      else this.apply(stored, { type: 'incomplete', reason: plan.stop === 'prompt' ? 'max_prompt_tokens' : 'max_completion_tokens', usage: this.usageOf(stored) });
      return false;
    }
    const { model, request, maxTokens, offered } = plan;
    const turn = new ModelTurn(run, internal.projectId, turnSink(this.host, this.data, run, internal.projectId), offered.byFunction, (text) =>
      messageOutputsFor(this.tools, run.id, text, this.ports),
    );
    try {
      const limit = callLimit(signal, this.host.callTimeoutMs());
      try {
        // The request sent ahead (a new run's first call) when it is this very request.
        const chunks = prefetch?.adopt(request, limit.signal) ?? model.stream(request, limit.signal);
        for await (const chunk of chunks) {
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
      return onModelError(this.errorHost, stored, turn, err, signal), false;
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
    if (!result.usageRecorded) await this.data.recordModelCall(internal.projectId, run, result);
    if (result.hostedCalls.length > 0 && result.toolStep) {
      let step = result.toolStep;
      try {
        step = await answerHostedCalls(offered, step, result.hostedCalls, signal);
        this.host.store.saveStep(step);
      } catch (err) {
        return onModelError(this.errorHost, stored, turn, err, signal, step), false;
      }
      // Calls waiting for approval (extension, docs/mcp-assistants.md) wait with the function calls.
      const approvals = approvalRequests(step, this.tools);
      if (approvals.length === 0 && result.calls.length === 0) {
        // Only hosted calls, all answered: the step is done and the model is called again with the results.
        const include = includesResultContent(internal.include);
        endStepAndPublish(stepEventsOf(this.host, run.id), step, { status: 'completed' }, { shown: (done) => presentStep(done, include, this.tools) });
        this.host.store.saveInternal(run.id, next);
        return true;
      }
      this.requireAction(stored, step, result.calls, next, approvals);
      return false;
    }
    if (result.calls.length > 0 && result.toolStep) {
      this.requireAction(stored, result.toolStep, result.calls, next);
      return false;
    }
    if (truncated) this.apply(stored, { type: 'incomplete', reason: 'max_completion_tokens', usage: next.usage }, next);
    else this.apply(stored, { type: 'complete', usage: next.usage }, next);
    return false;
  }

  private requireAction(stored: StoredRun, step: RunStep, calls: FunctionToolCall[], internal: RunInternal, approvals: RequiredActionCall[] = []): void {
    // `requires_action` expires ten minutes after it starts (OpenAI's expires_at).
    const waiting: StoredRun = { ...stored, run: { ...stored.run, expires_at: unixSeconds() + RUN_TTL_SECONDS } };
    const action = requiredActionOf(step, calls, approvals);
    if (this.apply(waiting, { type: 'require_action', action }, internal)) void this.host.armWatchdog();
  }

  fail(stored: StoredRun, code: ChatErrorKind | LastErrorCode, message: string): void {
    this.apply(stored, { type: 'fail', code, message, usage: this.usageOf(stored) });
  }

  /** A terminal run reports the tokens of every model call it made. */
  usageOf(stored: StoredRun) {
    return stored.internal.usage;
  }

}
