import type { ChatRequest } from '../ports';

/**
 * `max_tool_calls` of a response (OpenAI's CreateResponse: "the maximum number of total calls to built-in
 * tools that can be processed in a response … across all built-in tool calls, not per individual tool.
 * Any further attempts to call a tool by the model will be ignored"). Function tools are the client's and
 * do not count. Pure; the response runner applies it (src/durable/responses/response-runner.ts).
 */
export class ToolCallBudget {
  private used = 0;

  constructor(private readonly max: number | null) {}

  /** How many of a turn's `count` hosted calls are processed; the rest are ignored. */
  take(count: number): number {
    const run = this.max === null ? count : Math.max(0, Math.min(count, this.max - this.used));
    this.used += run;
    return run;
  }

  get spent(): boolean {
    return this.max !== null && this.used >= this.max;
  }

  /** What the model reads for an ignored call (it asked; nothing was run). */
  ignoredOutput(): string {
    return `This tool call was not processed: the response reached its limit of ${this.max} built-in tool calls (max_tool_calls).`;
  }
}

/**
 * The next model request once the budget is spent: the hosted tools' functions are no longer offered, so
 * the model answers with what it has; a `tool_choice` naming one of them becomes `auto` (or goes with the
 * last tool).
 */
export function withoutFunctions(request: ChatRequest, names: ReadonlySet<string>): ChatRequest {
  const tools = (request.tools ?? []).filter((t) => !names.has(t.function.name));
  const { tools: _tools, toolChoice, parallelToolCalls, ...rest } = request;
  if (tools.length === 0) return rest;
  const named = typeof toolChoice === 'object' && names.has(toolChoice.function.name);
  return { ...rest, tools, toolChoice: named ? 'auto' : toolChoice, ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }) };
}
