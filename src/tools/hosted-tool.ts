import type { Database } from '../db/client';
import type { ChatToolDefinition, CodeExecutor } from '../domain/ports';
import type { HostedCallItem } from '../domain/responses/types';
import type { ApprovalDecision } from '../domain/runs/mcp-step';
import type { RequiredActionCall, Run, RunStep, ToolCall } from '../domain/runs/types';
import type { McpHost } from './mcp/host';
import type { RetrievalServices } from '../retrieval/search';

/**
 * A hosted tool (OpenAI's `file_search`, `code_interpreter`): a tool the run answers itself. The
 * model sees it as a function; the run's steps show it as its own tool-call type. Each tool lives in
 * one folder under src/tools/ and is listed once in src/tools/registry.ts; the executor and the model
 * turn ask the registry and name no tool (docs/architecture.md §4.2).
 *
 * Pure parts (function definitions, argument parsing, annotation finding) stay in src/domain so they
 * are unit-tested without bindings; a tool reaches storage and services only through `ToolPorts`.
 */
export interface HostedTool {
  /** The tool's `type` in `run.tools`, in `tool_choice` and in the step's `tool_calls`. */
  readonly type: 'file_search' | 'code_interpreter' | 'mcp';
  /**
   * The name of the function the model calls for it (what a `tool_choice` naming the tool forces);
   * '' for a tool whose functions each offer names (`mcp`: one per allowed server tool).
   */
  readonly functionName: string;
  /**
   * Answered before the other tools' calls of the same turn. file_search numbers its citation markers
   * by the run's hosted calls recorded so far, so its calls are recorded first (as they always were).
   */
  readonly answersFirst?: boolean;
  /** Whether the tool is offered for this model call of `run`, and how; null when it is not. */
  offer(run: Run, projectId: string, ports: ToolPorts, signal: AbortSignal): Promise<ToolOffer | null>;
  /** The step-details shapes of one of its calls. */
  readonly step: ToolStepShape;
  /**
   * A call of its left pending by `answer` because it waits for the client's approval (extension,
   * docs/mcp-assistants.md): the entry `required_action` lists for it; null for any other call.
   */
  approvalRequest?(call: ToolCall): RequiredActionCall | null;
  /** What a finished assistant text gets from the run's calls of this tool (annotations, images). */
  messageOutputs?(runId: string, text: string, ports: ToolPorts): MessageOutputs;
  /**
   * A call as served (step objects and events): `includeContent` says whether `include[]` asked for
   * the results' content (OpenAI's one `include[]` value, RESULT_CONTENT_INCLUDE).
   */
  present?(call: ToolCall, includeContent: boolean): ToolCall;
  /** The tool in the Responses API, when it is served there (docs/responses.md "Hosted tools"). */
  readonly responses?: ResponsesHosting;
}

/**
 * A hosted tool in a response: the response's `tools[]` entry of its `type` configures it; its calls are
 * answered with the same code as in runs and shown as the tool's own output item.
 */
export interface ResponsesHosting {
  /** Prepares the tool for one response's execution; null when it has nothing to offer. */
  prepare(config: unknown, context: ResponseToolContext, ports: ResponseToolPorts, signal: AbortSignal): Promise<ResponseToolSession | null>;
}

export interface ResponseToolContext {
  projectId: string;
  model: string;
  /** The response's `include` (e.g. `file_search_call.results`). */
  include: readonly string[];
}

/** What a response's hosted tools may use (a response has no thread object, so no `sql` nor `hostedCalls`). */
export type ResponseToolPorts = Pick<ToolPorts, 'db' | 'retrieval' | 'files' | 'code'>;

/**
 * The tool for one response's execution: it keeps what its calls showed the model (for citations).
 * A tool of many functions (an `mcp` server, src/tools/mcp/responses.ts) is not in HOSTED_TOOLS' one
 * function per tool: it may first do work shown as an item (`prelude`) and then answer several functions;
 * the response's hosted tools (src/durable/responses/hosted-tools.ts) ask it for them.
 */
export interface ResponseToolSession {
  /** The call's output item as it starts (`in_progress`). */
  start(call: HostedCall): HostedCallItem;
  /**
   * Runs the call: the item as answered and the tool output the model reads next. `awaitsApproval`: the
   * item asks the client to approve the call, which did not run; the response ends after this turn.
   */
  answer(call: HostedCall, item: HostedCallItem, signal: AbortSignal): Promise<{ item: HostedCallItem; output: string; awaitsApproval?: boolean }>;
  /** Work before the first model call, shown as its own item (an MCP server's `mcp_list_tools`). */
  readonly prelude?: { start(): HostedCallItem; run(item: HostedCallItem, signal: AbortSignal): Promise<HostedCallItem> } | null;
  /** The annotations a finished answer's text gets from this response's calls. */
  annotate(text: string): unknown[];
}

/** The tool as offered for one model call: its function and how its calls are answered. */
export interface ToolOffer {
  /** The function definitions sent to the model (one, but `mcp` offers one per allowed server tool). */
  definitions: ChatToolDefinition[];
  /**
   * Answers the turn's calls of this tool (in call order) and returns the tool step with their
   * results; records what the model reads next (hosted_calls). Throws when the tool is unavailable.
   * A call waiting for approval is left pending (see HostedTool.approvalRequest).
   */
  answer(step: RunStep, calls: HostedCall[], signal: AbortSignal): Promise<RunStep>;
  /** The step shapes of this offer's calls, when they depend on the offer (`mcp`: which server a function is). */
  step?: ToolStepShape;
  /** Acts on the client's approval decisions for the step's pending calls of this tool (by call id). */
  decide?(step: RunStep, decisions: ReadonlyMap<string, ApprovalDecision>, signal: AbortSignal): Promise<RunStep>;
}

/** One call the model made of a hosted tool. */
export interface HostedCall {
  id: string;
  name: string;
  arguments: string;
}

/** How a call appears in `step_details.tool_calls` (docs/openai-behaviour.md §2.6). */
export interface ToolStepShape {
  /**
   * The call's first `thread.run.step.delta` entry (after `index`), e.g. `{ id, type, file_search: {} }`;
   * `name` is the function the model called (tools with several functions tell them apart by it).
   */
  start(id: string, name: string): Record<string, unknown>;
  /** Streams the call's arguments as step deltas (e.g. `code_interpreter.input`); absent: nothing is streamed. */
  argumentStream?(): (fragment: string) => Record<string, unknown> | null;
  /** The call in the tool step once the model's turn ended, before it is answered. */
  pending(id: string, args: string, name: string): ToolCall;
}

export interface MessageOutputs {
  /** `file_citation`, `file_path`, …: ordered by position by the caller. */
  annotations: { start_index: number }[];
  /** Images to show after the text (`image_file` parts). */
  imageFileIds: string[];
}

/** What the tools may use, built by the executor from its host (src/durable/executor.ts). */
export interface ToolPorts {
  db: () => Database;
  retrieval: () => RetrievalServices;
  /** File bytes (R2). */
  files: R2Bucket;
  /** The code sandbox and its per-execution time limit, or null when none is configured. */
  code: () => { executor: CodeExecutor; timeoutSeconds: number } | null;
  /** The thread object's SQLite (`sandbox_outputs`). */
  sql: SqlStorage;
  /** What the model was shown for the run's hosted calls (the thread object's `hosted_calls`). */
  hostedCalls: HostedCallLog;
  /** Publishes an event on the run's stream (e.g. `thread.run.step.delta` with code outputs). */
  emit(runId: string, event: string, data: unknown): void;
  /** Remote MCP servers for `mcp` tools (src/tools/mcp/host.ts). */
  mcp: McpHost;
}

export interface HostedCallRecord {
  callId: string;
  runId: string;
  name: string;
  arguments: string;
  output: string;
  passages: { fileId: string; filename: string; text: string }[];
}

export interface HostedCallLog {
  insertHostedCall(call: HostedCallRecord): void;
  /** The run's hosted calls in call order. */
  hostedCallsOf(runId: string): HostedCallRecord[];
}

/** The step's tool calls with the answered ones replaced. */
export function withAnswers(step: RunStep, answered: ReadonlyMap<string, ToolCall>): RunStep {
  const details = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  return { ...step, step_details: { type: 'tool_calls', tool_calls: details.map((c) => answered.get(c.id) ?? c) } };
}
