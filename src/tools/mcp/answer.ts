import { callErrorText } from '../../domain/mcp/port';
import { parseToolArguments } from '../../domain/mcp/tool-config';
import { deniedText, isPending, withError, withOutput, type ApprovalDecision } from '../../domain/runs/mcp-step';
import type { McpToolCall, Run, RunStep, ToolCall } from '../../domain/runs/types';
import { withAnswers, type HostedCall, type ToolPorts } from '../hosted-tool';
import type { McpSession } from './session';

type Ports = Pick<ToolPorts, 'hostedCalls' | 'emit' | 'mcp'>;

/**
 * Runs one MCP call and records it: the step entry's `output` or `error`, a `thread.run.step.delta`
 * carrying it, and what the model reads next (hosted_calls: the output, or the error as text). A
 * failure of the call (server down, too slow, the tool's own error) is the call's `error`, never the
 * run's; only the run's signal aborting (cancel, expiry) throws.
 */
async function callOne(run: Run, step: RunStep, call: McpToolCall, session: McpSession, ports: Ports, signal: AbortSignal): Promise<McpToolCall> {
  const name = functionNameOf(call, session);
  const fn = session.functions.get(name);
  let answered: McpToolCall;
  if (!fn) {
    answered = withError(call, `The MCP server '${call.mcp.server_label}' no longer offers the tool '${call.mcp.name}'.`);
  } else {
    const parsed = parseToolArguments(call.mcp.arguments);
    if ('problem' in parsed) {
      answered = withError(call, parsed.problem);
    } else {
      const outcome = await ports.mcp.client().callTool(fn.target, fn.tool.name, parsed.args, signal);
      if (signal.aborted) throw signal.reason;
      answered = outcome.error ? withError(call, callErrorText(outcome.error)) : withOutput(call, outcome.output);
    }
  }
  return record(run, step, answered, name, ports);
}

function record(run: Run, step: RunStep, answered: McpToolCall, functionName: string, ports: Ports): McpToolCall {
  const { output, error } = answered.mcp;
  ports.hostedCalls.insertHostedCall({
    callId: answered.id,
    runId: run.id,
    name: functionName,
    arguments: answered.mcp.arguments,
    output: error !== null ? `Error: ${error}` : (output ?? ''),
    passages: [],
  });
  const details = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  const index = details.findIndex((c) => c.id === answered.id);
  ports.emit(run.id, 'thread.run.step.delta', {
    id: step.id,
    object: 'thread.run.step.delta',
    delta: { step_details: { type: 'tool_calls', tool_calls: [{ index, type: 'mcp', mcp: { output, error } }] } },
  });
  return answered;
}

/**
 * The function the model called for a call (the step entry names the server's tool): what the next
 * prompt shows the model. A tool no longer offered keeps the Responses naming.
 */
function functionNameOf(call: McpToolCall, session: McpSession): string {
  for (const [name, fn] of session.functions) if (fn.serverLabel === call.mcp.server_label && fn.tool.name === call.mcp.name) return name;
  return `${call.mcp.server_label}__${call.mcp.name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** Answers a turn's MCP calls that need no approval; the others stay pending for `required_action`. */
export async function answerCalls(
  run: Run,
  step: RunStep,
  calls: HostedCall[],
  session: McpSession,
  needsApproval: (call: McpToolCall) => boolean,
  ports: Ports,
  signal: AbortSignal,
): Promise<RunStep> {
  const answered = new Map<string, ToolCall>();
  const entries = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  for (const hosted of calls) {
    const call = entries.find((c): c is McpToolCall => c.id === hosted.id && c.type === 'mcp');
    if (!call || needsApproval(call)) continue;
    answered.set(call.id, await callOne(run, step, call, session, ports, signal));
  }
  return withAnswers(step, answered);
}

/** Acts on the client's decisions: an approved call runs, a denied one ends with the denial as its error. */
export async function decideCalls(
  run: Run,
  step: RunStep,
  decisions: ReadonlyMap<string, ApprovalDecision>,
  session: McpSession,
  ports: Ports,
  signal: AbortSignal,
): Promise<RunStep> {
  const answered = new Map<string, ToolCall>();
  const entries = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  for (const call of entries) {
    if (call.type !== 'mcp' || !isPending(call as McpToolCall)) continue;
    const decision = decisions.get(call.id);
    if (!decision) continue;
    const mcp = call as McpToolCall;
    answered.set(call.id, decision.approve ? await callOne(run, step, mcp, session, ports, signal) : record(run, step, withError(mcp, deniedText(decision)), functionNameOf(mcp, session), ports));
  }
  return withAnswers(step, answered);
}
