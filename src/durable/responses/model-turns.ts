import { services } from '../../services';
import { ChatModelError } from '../../domain/ports';
import type { ResponseProjection } from '../../domain/responses/projection';
import { choiceAfterHostedCalls } from '../../domain/responses/request';
import { ToolCallBudget, withoutFunctions } from '../../domain/responses/tool-call-budget';
import type { ResponseStreamEvent } from '../../domain/responses/types';
import type { Env } from '../../env';
import { callLimit, type CallLimit } from '../call-limit';
import type { ModelPrefetch } from '../model-prefetch';
import { answerHosted } from './hosted-answers';
import { ResponseHostedTools, hostedTurnMessages, type McpStart } from './hosted-tools';
import { MAX_HOSTED_TURNS } from './limits';
import { runMcpPreamble } from './mcp-steps';
import type { ResponseState } from './storage';

/**
 * The limit of the model call in progress (MODEL_CALL_TIMEOUT_SECONDS, as runs): an upstream trickling
 * keep-alives forever would otherwise hold the response in progress with its execution alive. Each
 * model call has its own; hosted calls between them have theirs (e.g. a code execution's).
 */
export class CallLimits {
  current: CallLimit;

  constructor(
    private readonly signal: AbortSignal,
    private readonly ms: number,
  ) {
    this.current = callLimit(signal, ms);
  }

  next(): void {
    this.current.dispose();
    this.current = callLimit(this.signal, this.ms);
  }

  dispose(): void {
    this.current.dispose();
  }
}

/** What the model turns of one response execution work with. */
export interface ModelTurns {
  env: Env;
  projectId: string;
  state: ResponseState;
  projection: ResponseProjection;
  /** The request's MCP headers and approvals (memory only). */
  mcp?: McpStart;
  /** The first model request, already sent (a conversation turn's guess): adopted if it is this one. */
  prefetch?: ModelPrefetch;
  /** The response's own signal (cancel, deletion). */
  signal: AbortSignal;
  limits: CallLimits;
  emit: (events: ResponseStreamEvent[]) => void;
}

/**
 * Calls the model until the response's output is complete, projecting every chunk into events: its
 * hosted tools prepared (MCP servers listed, approvals run), then the model called again after each turn
 * of hosted calls with their outputs, as runs do (docs/responses.md "Hosted tools"), at most
 * MAX_HOSTED_TURNS times. Throws what ends the response otherwise (an upstream error, a limit, abort).
 */
export async function runModelTurns(t: ModelTurns): Promise<void> {
  const { state, projection, limits, emit } = t;
  const model = services(t.env).models.resolve(state.request.model);
  if (!model) throw new ChatModelError('invalid_prompt', `The model '${state.request.model}' does not exist or you do not have access to it.`, false);
  const hosted = await ResponseHostedTools.prepare(t.env, t.projectId, state.response, state.include ?? [], limits.current.signal, t.mcp);
  const approved = await runMcpPreamble(hosted, projection, t.mcp?.approvals ?? [], emit, limits.current.signal);
  let request = hosted.withMcpFunctions(state.request);
  if (approved.length > 0) request = { ...request, messages: [...request.messages, ...approved] };
  projection.useHosted(hosted.options);
  const budget = new ToolCallBudget(state.response.max_tool_calls);
  for (let turn = 0; ; turn++) {
    if (turn > 0) limits.next();
    const limit = limits.current;
    const shown = projection.response.output.length;
    // The first call adopts the request sent ahead when it is this very request (model-prefetch.ts).
    const stream = (turn === 0 ? t.prefetch?.adopt(request, limit.signal) : null) ?? model.stream(request, limit.signal);
    for await (const chunk of stream) {
      if (limit.signal.aborted) break;
      emit(projection.push(chunk));
    }
    if (limit.signal.aborted) throw limit.signal.reason;
    const { calls, events } = projection.takeHostedCalls();
    emit(events);
    if (calls.length === 0) return;
    if (turn >= MAX_HOSTED_TURNS) throw new ChatModelError('server_error', `The model kept calling hosted tools after ${MAX_HOSTED_TURNS} turns.`, false);
    limit.dispose();
    // Past max_tool_calls the model's further calls are ignored: not run, not shown; it reads why.
    const processed = budget.take(calls.length);
    const outputs = [
      ...(await answerHosted(hosted, projection, calls.slice(0, processed), emit, t.signal)),
      ...calls.slice(processed).map(() => budget.ignoredOutput()),
    ];
    // A turn that also called the client's functions, or asked to approve an MCP call, ends the
    // response: the client answers those.
    if (projection.response.output.slice(shown).some((o) => o.type === 'function_call' || o.type === 'mcp_approval_request')) return;
    request = { ...request, messages: [...request.messages, ...hostedTurnMessages(calls, outputs)], toolChoice: choiceAfterHostedCalls(request.toolChoice) };
    if (budget.spent) request = withoutFunctions(request, hosted.options.functions);
  }
}
