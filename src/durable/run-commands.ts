import { runBatch, type Database } from '../db/client';
import { insertMessageStatements, type MessageRow } from '../db/messages';
import { withAddedMessages, type RunStart } from './run-start';
import { newMessageRow } from '../domain/messages';
import { checkRunParams, newRun } from '../domain/runs/create';
import type { ModelPrefetch } from './model-prefetch';
import { canApply } from '../domain/runs/state';
import { ZERO_USAGE } from '../domain/runs/steps';
import type { FunctionToolCall, RequiredActionCall, Run, RunStep } from '../domain/runs/types';
import type { RunCreateParams, RunSubmitToolOutputsParams } from '../contract/runs';
import type { RunExecutor } from './executor';
import { fail, ok, type Result } from './result';
import type { RunStore } from './run-store';
import { activeResponseId } from './conversations';
import { activeRunId } from './storage';
import { pendingToolStep } from './pending-step';
import { includesResultContent, presentStep } from '../tools/registry';
import { endStepAndPublish, stepEventsOf } from './run-events';
import type { StreamHub } from './stream-hub';

/** What the run commands need from the thread object. */
export interface RunCommandHost {
  threadId: string;
  projectId: string;
  sql: SqlStorage;
  store: RunStore;
  hub: StreamHub;
  executor: RunExecutor;
  db: () => Database;
  /** Sends the run's durable dispatch message (run queue). */
  dispatch(run: Run, attempt: number): Promise<void>;
  armWatchdog(): Promise<void>;
  /** A message row written to D1 here (the object's RunStartCache follows the history). */
  messageWritten?(row: MessageRow): void;
}

export interface StreamedRun {
  run: Run;
  stream?: ReadableStream<Uint8Array>;
}

const invalid = (message: string, param: string | null = null, code: string | null = null): Result<never> => ({
  ok: false,
  error: { status: 400, message, type: 'invalid_request_error', param, code },
});

/**
 * Creates a run under the thread's write lock: the one-active-run check and the insert happen with
 * no other write to this thread in between (OpenAI: "Thread x already has an active run y." is a 400).
 */
export async function createRun(
  host: RunCommandHost,
  { assistant, history }: RunStart,
  params: RunCreateParams,
  opts: { stream: boolean; include?: string[]; prelude?: { event: string; data: unknown }[]; mcpSealed?: Record<string, string>; prefetch?: ModelPrefetch },
): Promise<Result<StreamedRun>> {
  const active = activeRunId(host.sql);
  if (active) return fail(400, `Thread ${host.threadId} already has an active run ${active}.`);
  // A response continuing the thread as a conversation holds it like a run (docs/conversations.md §3).
  const responding = activeResponseId(host.sql);
  if (responding) return fail(400, `Thread ${host.threadId} already has an active response ${responding}.`);
  const run = newRun(host.threadId, assistant, params);
  const problem = checkRunParams(run);
  if (problem) return invalid(problem.message, problem.param, 'invalid_value');
  const extra = (params.additional_messages ?? []).map((m) => newMessageRow(host.projectId, host.threadId, m));
  if (extra.length > 0) {
    const db = host.db();
    await runBatch(db, insertMessageStatements(db, extra));
    for (const row of extra) host.messageWritten?.(row);
  }
  // The run's `mcp` secrets, sealed: its own tools' when it names tools, else its assistant's.
  const mcpSealed = params.tools ? (opts.mcpSealed ?? {}) : assistant.mcp_sealed_secrets;
  host.store.insert(run, { projectId: host.projectId, attempt: 0, retryAt: null, resumes: 0, usage: ZERO_USAGE, include: opts.include ?? [], mcpSealed });
  const stream = opts.stream ? host.hub.subscribe(run.id, opts.prelude) : undefined;
  host.hub.publish(run.id, 'thread.run.created', run);
  host.hub.publish(run.id, 'thread.run.queued', run);
  // The history read with the assistant (plus the messages just added) is the first model call's.
  await startRun(host, run, history && withAddedMessages(history, extra), opts.prefetch);
  return ok({ run, stream });
}

/**
 * Starts executing at once in this object, and also sends the run's dispatch through the queue.
 * Measured (npm run bench): waiting for the local queue hop put 2-30 ms before every run's first
 * token. The queue message stays the durable dispatch: its consumer's hand-off is idempotent (a run
 * already executing or finished is left alone), so it only acts if this executor died before the
 * run ended; the watchdog alarm backs both up.
 */
async function startRun(host: RunCommandHost, run: Run, history?: MessageRow[], prefetch?: ModelPrefetch): Promise<void> {
  void host.executor.execute(run.id, history, prefetch);
  await host.armWatchdog();
  // Not awaited: the reply does not wait for the queue (a failed send is logged; the alarm covers it).
  void host.dispatch(run, 0);
}

const quoteIds = (ids: string[]) => `[${ids.map((id) => `'${id}'`).join(', ')}]`;

export { pendingToolStep } from './pending-step';

/** Every pending call id answered exactly once, or OpenAI's 400 (docs/openai-behaviour.md §4). */
export async function submitToolOutputs(
  host: RunCommandHost,
  runId: string,
  params: RunSubmitToolOutputsParams,
  opts: { stream: boolean },
): Promise<Result<StreamedRun>> {
  const stored = host.store.get(runId);
  if (!stored) return fail(404, `No run found with id '${runId}'.`);
  if (stored.run.status !== 'requires_action') return invalid(`Runs in status "${stored.run.status}" do not accept tool outputs.`);
  const step = pendingToolStep(host.store, runId);
  const all = step && step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  // The calls required_action lists: functions, and (extension) MCP calls waiting for approval.
  const required = stored.run.required_action?.submit_tool_outputs.tool_calls ?? [];
  const expected = required.map((c) => c.id);
  const got = params.tool_outputs.map((o) => o.tool_call_id);
  const complete = got.length === expected.length && new Set(got).size === got.length && expected.every((id) => got.includes(id));
  if (!step || !complete) return invalid(`Expected tool outputs for call_ids ${quoteIds(expected)}, got ${quoteIds(got)}`);
  const problem = answerProblem(required, params);
  if (problem) return invalid(problem, 'tool_outputs', 'invalid_value');

  const outputs = new Map(params.tool_outputs.map((o) => [o.tool_call_id, o]));
  const answered: RunStep = {
    ...step,
    step_details: {
      type: 'tool_calls',
      tool_calls: all.map((c) => (c.type === 'function' ? { ...c, function: { ...(c as FunctionToolCall).function, output: outputs.get(c.id)!.output! } } : c)),
    },
  };
  const decisions = Object.fromEntries(
    params.tool_outputs.flatMap((o) => (o.approve === undefined ? [] : [[o.tool_call_id, { approve: o.approve, ...(o.reason !== undefined ? { reason: o.reason } : {}) }] as const])),
  );
  const stream = opts.stream ? host.hub.subscribe(runId) : undefined;
  const includeContent = includesResultContent(stored.internal.include);
  const internal = { ...stored.internal, attempt: 0, retryAt: null };
  if (Object.keys(decisions).length > 0) {
    // MCP approvals: the step stays in progress until the executor has run (or denied) the calls.
    host.store.saveStep(answered);
    internal.mcpDecisions = decisions;
  } else {
    endStepAndPublish(stepEventsOf(host, runId), answered, { status: 'completed' }, { shown: (done) => presentStep(done, includeContent) });
  }
  const next = host.executor.apply(stored, { type: 'outputs_submitted' }, internal);
  if (!next) return fail(500, 'The run changed while its tool outputs were being submitted.');
  await startRun(host, next.run);
  return ok({ run: next.run, stream });
}

/** A function call answered with `approve`, or an MCP approval request with `output`: OpenAI-shaped 400 text. */
function answerProblem(required: RequiredActionCall[], params: RunSubmitToolOutputsParams): string | null {
  const kinds = new Map(required.map((c) => [c.id, c.type]));
  for (const o of params.tool_outputs) {
    const kind = kinds.get(o.tool_call_id);
    if (kind === 'function' && o.output === undefined) return `Invalid 'tool_outputs': tool call '${o.tool_call_id}' is a function call; answer it with 'output'.`;
    if (kind === 'mcp' && o.approve === undefined) return `Invalid 'tool_outputs': tool call '${o.tool_call_id}' is an MCP approval request; answer it with 'approve' (true or false).`;
  }
  return null;
}

/**
 * Cancel: `cancelling` is persisted at once; a model call in flight is aborted and the executor ends
 * the run `cancelled`; with nothing in flight the run is ended here. The reply shows `cancelling`.
 */
export function cancelRun(host: RunCommandHost, runId: string): Result<Run> {
  const stored = host.store.get(runId);
  if (!stored) return fail(404, `No run found with id '${runId}'.`);
  if (!canApply(stored.run, 'cancel_requested')) return invalid(`Cannot cancel run with status '${stored.run.status}'.`);
  const cancelling = host.executor.apply(stored, { type: 'cancel_requested' });
  if (!cancelling) return fail(500, 'The run changed while it was being cancelled.');
  if (!host.executor.abort(runId)) {
    const step = pendingToolStep(host.store, runId);
    if (step) endStepAndPublish(stepEventsOf(host, runId), step, { status: 'cancelled' });
    host.executor.apply(cancelling, { type: 'cancelled', usage: host.executor.usageOf(cancelling) });
  }
  return ok(cancelling.run);
}
