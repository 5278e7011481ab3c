import type { ChatMessage, ChatRequest, ChatResponseFormat, ChatToolChoice, ChatToolDefinition } from '../ports';
import type { Run } from './types';

/**
 * The hosted tools offered for one model call (src/tools/registry.ts decides): their function
 * definitions, in the order the model sees them, and the function each hosted tool type stands for
 * (a `tool_choice` naming the tool forces that function).
 */
export interface HostedOffer {
  definitions: ChatToolDefinition[];
  functionFor: ReadonlyMap<string, string>;
}

const NO_HOSTED: HostedOffer = { definitions: [], functionFor: new Map() };

/**
 * The model request for one call of a run. Hosted tools come first, as functions the run answers
 * itself (offered only when the run can use them); function tools are offered as Chat Completions tools;
 * `tool_choice`, `parallel_tool_calls`, `response_format`, sampling and `reasoning_effort` pass
 * through (OpenAI's run fields map one to one onto Chat Completions').
 */
export function chatRequestFor(
  run: Run,
  messages: ChatMessage[],
  maxTokens?: number,
  hosted: HostedOffer = NO_HOSTED,
): ChatRequest {
  const tools: ChatToolDefinition[] = [...hosted.definitions];
  for (const tool of run.tools) {
    if (tool.type === 'function' && tool.function) {
      const { name, description, parameters, strict } = tool.function;
      tools.push({
        type: 'function',
        function: {
          name,
          ...(description !== undefined ? { description } : {}),
          // A tool without `parameters` takes none (OpenAI accepts it; some upstreams need the object).
          parameters: parameters ?? { type: 'object', properties: {} },
          ...(strict !== undefined && strict !== null ? { strict } : {}),
        },
      });
    }
  }
  const request: ChatRequest = {
    model: run.model,
    messages,
    temperature: run.temperature,
    topP: run.top_p,
    reasoningEffort: run.reasoning_effort,
  };
  if (tools.length > 0) {
    request.tools = tools;
    const choice = toolChoiceFor(run.tool_choice, hosted.functionFor);
    const offered = (name: string) => tools.some((t) => t.function.name === name);
    request.toolChoice = typeof choice === 'object' && !offered(choice.function.name) ? 'auto' : choice;
    request.parallelToolCalls = run.parallel_tool_calls;
  }
  const format = responseFormatFor(run.response_format);
  if (format) request.responseFormat = format;
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  return request;
}

function toolChoiceFor(choice: unknown, functionFor: ReadonlyMap<string, string>): ChatToolChoice {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  const named = choice as { type?: string; function?: { name: string } } | null;
  if (named?.type === 'function' && named.function) return { type: 'function', function: { name: named.function.name } };
  const hostedFunction = named?.type ? functionFor.get(named.type) : undefined;
  if (hostedFunction) return { type: 'function', function: { name: hostedFunction } };
  return 'auto';
}

function responseFormatFor(format: unknown): ChatResponseFormat | undefined {
  if (format === null || format === undefined || format === 'auto') return undefined;
  return format as ChatResponseFormat;
}
