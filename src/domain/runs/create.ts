import type { AssistantTool } from '../../contract/common';
import type { RunCreateParams, ThreadCreateAndRunParams, ToolChoice } from '../../contract/runs';
import { newId, unixSeconds } from '../ids';
import type { Run } from './types';

/** How long a run may stay active before it expires (OpenAI: created_at + 600 s). */
export const RUN_TTL_SECONDS = 600;

type RunParams = (RunCreateParams | ThreadCreateAndRunParams) & { additional_instructions?: string | null };

/**
 * What a run takes from its assistant: these fields of the API's AssistantObject
 * (src/db/assistants.ts builds it), declared here so the domain does not import src/db.
 */
export interface RunAssistant {
  id: string;
  model: string;
  instructions: string | null;
  tools: AssistantTool[];
  tool_resources: unknown;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
  reasoning_effort: string | null;
}

/** A rule the request broke, reported with the offending `param` (400 invalid_request_error). */
export interface RunParamProblem {
  message: string;
  param: string;
}

/**
 * The run as created: the assistant's settings overridden by the run's (OpenAI's precedence), the
 * run's `additional_instructions` appended to the effective instructions, status `queued`.
 */
export function newRun(threadId: string, assistant: RunAssistant, p: RunParams, now: number = Date.now()): Run {
  const created = unixSeconds(now);
  const base = p.instructions ?? assistant.instructions ?? '';
  const extra = p.additional_instructions ?? '';
  const instructions = base && extra ? `${base}\n\n${extra}` : base || extra;
  const truncation = p.truncation_strategy ?? { type: 'auto' as const, last_messages: null };
  return {
    id: newId('run_', now),
    object: 'thread.run',
    created_at: created,
    thread_id: threadId,
    assistant_id: assistant.id,
    status: 'queued',
    required_action: null,
    last_error: null,
    expires_at: created + RUN_TTL_SECONDS,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: p.model ?? assistant.model,
    instructions,
    tools: p.tools ?? assistant.tools,
    metadata: p.metadata ?? {},
    usage: null,
    temperature: p.temperature ?? assistant.temperature ?? 1,
    top_p: p.top_p ?? assistant.top_p ?? 1,
    max_prompt_tokens: p.max_prompt_tokens ?? null,
    max_completion_tokens: p.max_completion_tokens ?? null,
    truncation_strategy: { type: truncation.type, last_messages: truncation.last_messages ?? null },
    tool_choice: p.tool_choice ?? 'auto',
    parallel_tool_calls: p.parallel_tool_calls ?? true,
    response_format: p.response_format ?? assistant.response_format ?? 'auto',
    reasoning_effort: p.reasoning_effort ?? assistant.reasoning_effort ?? null,
    tool_resources: ('tool_resources' in p ? p.tool_resources : null) ?? assistant.tool_resources ?? {},
  };
}

/** Cross-field rules OpenAI enforces on run creation. */
export function checkRunParams(run: Run): RunParamProblem | null {
  if (run.truncation_strategy.type === 'last_messages' && run.truncation_strategy.last_messages === null) {
    return {
      message: "Invalid 'truncation_strategy': 'last_messages' is required when type is 'last_messages'.",
      param: 'truncation_strategy.last_messages',
    };
  }
  const choice = run.tool_choice as ToolChoice;
  if (typeof choice === 'object' && choice !== null) {
    if (choice.type === 'function') {
      const name = choice.function?.name;
      if (!name) return { message: "Missing required parameter: 'tool_choice.function'.", param: 'tool_choice.function' };
      if (!run.tools.some((t) => t.type === 'function' && t.function.name === name)) {
        return { message: `Invalid 'tool_choice': no function named '${name}' in the run's tools.`, param: 'tool_choice.function.name' };
      }
    } else if (!run.tools.some((t) => t.type === choice.type)) {
      return { message: `Invalid 'tool_choice': the run has no '${choice.type}' tool.`, param: 'tool_choice.type' };
    }
  }
  if (choice === 'required' && run.tools.length === 0) {
    return { message: "Invalid 'tool_choice': 'required' needs at least one tool.", param: 'tool_choice' };
  }
  return null;
}
