import type { ChatMessage, ChatRequest, ChatResponseFormat, ChatToolChoice, ChatToolDefinition } from '../ports';
import { FILE_SEARCH_FUNCTION, fileSearchToolDefinition } from '../retrieval/file-search-tool';
import { PYTHON_FUNCTION, pythonToolDefinition } from '../code/python-tool';
import type { Run } from './types';

/**
 * The model request for one call of a run. Function tools are offered as Chat Completions tools;
 * `tool_choice`, `parallel_tool_calls`, `response_format`, sampling and `reasoning_effort` pass
 * through (OpenAI's run fields map one to one onto Chat Completions').
 */
export function chatRequestFor(
  run: Run,
  messages: ChatMessage[],
  maxTokens?: number,
  hosted: { fileSearch: boolean; codeInterpreterTimeoutSeconds?: number } = { fileSearch: false },
): ChatRequest {
  const tools: ChatToolDefinition[] = [];
  // code_interpreter is the `python` function, run by the executor in the thread's sandbox.
  if (hosted.codeInterpreterTimeoutSeconds !== undefined && run.tools.some((t) => t.type === 'code_interpreter')) {
    tools.push(pythonToolDefinition(hosted.codeInterpreterTimeoutSeconds));
  }
  // file_search is answered by the executor; offered only when the run has vector stores to search.
  if (hosted.fileSearch && run.tools.some((t) => t.type === 'file_search')) {
    tools.push(fileSearchToolDefinition());
  }
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
    const choice = toolChoiceFor(run.tool_choice);
    const offered = (name: string) => tools.some((t) => t.function.name === name);
    request.toolChoice = typeof choice === 'object' && !offered(choice.function.name) ? 'auto' : choice;
    request.parallelToolCalls = run.parallel_tool_calls;
  }
  const format = responseFormatFor(run.response_format);
  if (format) request.responseFormat = format;
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  return request;
}

function toolChoiceFor(choice: unknown): ChatToolChoice {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  const named = choice as { type?: string; function?: { name: string } } | null;
  if (named?.type === 'function' && named.function) return { type: 'function', function: { name: named.function.name } };
  if (named?.type === 'file_search') return { type: 'function', function: { name: FILE_SEARCH_FUNCTION } };
  if (named?.type === 'code_interpreter') return { type: 'function', function: { name: PYTHON_FUNCTION } };
  return 'auto';
}

function responseFormatFor(format: unknown): ChatResponseFormat | undefined {
  if (format === null || format === undefined || format === 'auto') return undefined;
  return format as ChatResponseFormat;
}
