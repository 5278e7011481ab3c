import { needsApproval } from '../../domain/mcp/tool-config';
import { approvalRequest, isPending, mcpCall } from '../../domain/runs/mcp-step';
import type { McpToolCall } from '../../domain/runs/types';
import type { HostedTool, ToolStepShape } from '../hosted-tool';
import { answerCalls, decideCalls } from './answer';
import { openSession, type McpSession } from './session';

/**
 * Remote MCP servers as tools of runs (extension, docs/mcp-assistants.md): each `mcp` entry of
 * `run.tools` offers its server's allowed tools as functions (`<server_label>__<tool>`); a call shows
 * in the step as `{ type: 'mcp', mcp: { server_label, name, arguments, output, error } }`. Calls that
 * `require_approval` puts on hold wait in `required_action` until the client approves or denies them.
 */
export const mcpTool: HostedTool = {
  type: 'mcp',
  functionName: '',

  async offer(run, projectId, ports, signal) {
    if (!run.tools.some((t) => t.type === 'mcp')) return null;
    const session = await openSession(run, projectId, ports.mcp, signal);
    if (session.definitions.length === 0) return null;
    const holds = (call: McpToolCall) => {
      const fn = [...session.functions.values()].find((f) => f.serverLabel === call.mcp.server_label && f.tool.name === call.mcp.name);
      return fn ? needsApproval(fn.entry.require_approval, fn.tool) : false;
    };
    return {
      definitions: session.definitions,
      step: stepShape(session),
      answer: (step, calls, callSignal) => answerCalls(run, step, calls, session, holds, ports, callSignal),
      decide: (step, decisions, callSignal) => decideCalls(run, step, decisions, session, ports, callSignal),
    };
  },

  // The offer's shape (stepShape) is used: only it knows which server a function stands for.
  step: stepShape(null),

  approvalRequest(call) {
    return call.type === 'mcp' && isPending(call as McpToolCall) ? approvalRequest(call as McpToolCall) : null;
  },
};

/** The step entries of one session's calls: the function name resolved to its server and tool. */
function stepShape(session: McpSession | null): ToolStepShape {
  const resolve = (name: string) => {
    const fn = session?.functions.get(name);
    return { label: fn?.serverLabel ?? '', tool: fn?.tool.name ?? name };
  };
  return {
    start(id, name) {
      const { label, tool } = resolve(name);
      return { id, type: 'mcp', mcp: { server_label: label, name: tool, arguments: '', output: null, error: null } };
    },
    // The arguments stream as `mcp.arguments` deltas, as a function's do.
    argumentStream: () => (fragment) => ({ type: 'mcp', mcp: { arguments: fragment } }),
    pending(id, args, name) {
      const { label, tool } = resolve(name);
      return mcpCall(id, label, tool, args);
    },
  };
}
