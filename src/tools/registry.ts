import { RESULT_CONTENT_INCLUDE } from '../domain/retrieval/file-search-tool';
import type { RequiredActionCall, RunStep, ToolCall } from '../domain/runs/types';
import { codeInterpreter } from './code-interpreter';
import { fileSearch } from './file-search';
import { mcpTool } from './mcp';
import type { HostedTool, MessageOutputs, ToolPorts } from './hosted-tool';

/**
 * Every hosted tool, in the order their functions are offered to the model. Adding a tool is one
 * folder under src/tools/ implementing HostedTool and one line here (docs/architecture.md §4.2).
 */
export const HOSTED_TOOLS: readonly HostedTool[] = [codeInterpreter, fileSearch, mcpTool];

/** The order a turn's hosted calls are answered in: tools marked `answersFirst`, then the rest. */
export function inAnswerOrder<T extends { tool: HostedTool }>(entries: readonly T[]): T[] {
  return [...entries.filter((e) => e.tool.answersFirst), ...entries.filter((e) => !e.tool.answersFirst)];
}

/** The function a `tool_choice` naming a hosted tool (`{ type: 'file_search' }`) forces, by tool type. */
export function hostedFunctionNames(tools: readonly HostedTool[] = HOSTED_TOOLS): ReadonlyMap<string, string> {
  return new Map(tools.filter((t) => t.functionName !== '').map((t) => [t.type, t.functionName]));
}

/**
 * What a finished assistant text gets from every hosted tool: annotations ordered by position
 * (`file_citation`, `file_path`) and the images the run's code displayed (docs/openai-behaviour.md §5.4).
 */
export function messageOutputsFor(tools: readonly HostedTool[], runId: string, text: string, ports: ToolPorts): MessageOutputs {
  const parts = inAnswerOrder(tools.map((tool) => ({ tool }))).map(({ tool }) => tool.messageOutputs?.(runId, text, ports) ?? { annotations: [], imageFileIds: [] });
  return {
    annotations: parts.flatMap((p) => p.annotations).sort((a, b) => a.start_index - b.start_index),
    imageFileIds: parts.flatMap((p) => p.imageFileIds),
  };
}

/** A step as served: each hosted call as its tool presents it (e.g. file_search content only when `include[]` asked). */
export function presentStep(step: RunStep, includeContent: boolean, tools: readonly HostedTool[] = HOSTED_TOOLS): RunStep {
  if (includeContent || step.step_details.type !== 'tool_calls') return step;
  const calls = step.step_details.tool_calls.map((c): ToolCall => tools.find((t) => t.type === c.type)?.present?.(c, includeContent) ?? c);
  return { ...step, step_details: { type: 'tool_calls', tool_calls: calls } };
}

/** The step's calls left waiting for the client's approval, as `required_action` lists them (in step order). */
export function approvalRequests(step: RunStep, tools: readonly HostedTool[] = HOSTED_TOOLS): RequiredActionCall[] {
  if (step.step_details.type !== 'tool_calls') return [];
  return step.step_details.tool_calls.flatMap((c) => {
    const request = tools.find((t) => t.type === c.type)?.approvalRequest?.(c);
    return request ? [request] : [];
  });
}

/** Whether a run's `include[]` asked for hosted results' content in its steps (OpenAI's one value). */
export function includesResultContent(include: readonly string[] | undefined): boolean {
  return (include ?? []).includes(RESULT_CONTENT_INCLUDE);
}
