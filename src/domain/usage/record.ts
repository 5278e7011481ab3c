import { PYTHON_FUNCTION } from '../code/python-tool';
import { FILE_SEARCH_FUNCTION } from '../retrieval/file-search-tool';
import type { Run } from '../runs/types';

/** One model call's usage row (D1 `usage_events`, written by src/durable/record-usage.ts). */
export interface UsageEvent {
  projectId: string;
  threadId: string;
  runId: string;
  assistantId: string;
  model: string;
  /** Unix seconds when the model call ended. */
  createdAt: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  functionCalls: number;
  fileSearchCalls: number;
  codeInterpreterCalls: number;
}

/** What one model call of a run produced, as the executor knows it when the call ends. */
export interface ModelCallOutcome {
  usage: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  /** Function calls the run must answer (`requires_action`). */
  calls: readonly unknown[];
  /** Calls of hosted tools (file_search, code_interpreter's `python`), answered by the run itself. */
  hostedCalls: readonly { name: string }[];
}

/** The usage row of one model call: tokens and tool calls by type (pure; unit-tested). */
export function usageEventFor(projectId: string, run: Pick<Run, 'id' | 'thread_id' | 'assistant_id' | 'model'>, outcome: ModelCallOutcome, at: number): UsageEvent {
  return {
    projectId,
    threadId: run.thread_id,
    runId: run.id,
    assistantId: run.assistant_id,
    model: run.model,
    createdAt: at,
    inputTokens: outcome.usage.prompt_tokens,
    cachedTokens: Math.min(outcome.usage.cached_tokens ?? 0, outcome.usage.prompt_tokens),
    outputTokens: outcome.usage.completion_tokens,
    functionCalls: outcome.calls.length,
    fileSearchCalls: outcome.hostedCalls.filter((c) => c.name === FILE_SEARCH_FUNCTION).length,
    codeInterpreterCalls: outcome.hostedCalls.filter((c) => c.name === PYTHON_FUNCTION).length,
  };
}
