import { newId, unixSeconds } from '../ids';
import type { Run, RunStep, ToolCall, Usage } from './types';

/** A new in-progress step of `run` (docs/openai-behaviour.md §2.6: `expired_at`, not `expires_at`). */
export function newStep(run: Run, details: RunStep['step_details'], now: number = Date.now()): RunStep {
  return {
    id: newId('step_', now),
    object: 'thread.run.step',
    created_at: unixSeconds(now),
    assistant_id: run.assistant_id,
    thread_id: run.thread_id,
    run_id: run.id,
    type: details.type,
    status: 'in_progress',
    step_details: details,
    last_error: null,
    expired_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    metadata: {},
    usage: null,
  };
}

export function messageCreationStep(run: Run, messageId: string, now?: number): RunStep {
  return newStep(run, { type: 'message_creation', message_creation: { message_id: messageId } }, now);
}

export function toolCallsStep(run: Run, now?: number): RunStep {
  return newStep(run, { type: 'tool_calls', tool_calls: [] }, now);
}

type StepEnd =
  | { status: 'completed'; usage?: Usage | null }
  | { status: 'failed'; error: { code: 'server_error' | 'rate_limit_exceeded'; message: string } }
  | { status: 'cancelled' }
  | { status: 'expired' };

/** Ends a step with OpenAI's per-status timestamp. */
export function endStep(step: RunStep, end: StepEnd, now: number = Date.now()): RunStep {
  const at = unixSeconds(now);
  switch (end.status) {
    case 'completed':
      return { ...step, status: 'completed', completed_at: at, usage: end.usage ?? step.usage };
    case 'failed':
      return { ...step, status: 'failed', failed_at: at, last_error: end.error };
    case 'cancelled':
      return { ...step, status: 'cancelled', cancelled_at: at };
    case 'expired':
      return { ...step, status: 'expired', expired_at: at };
  }
}

export function withToolCalls(step: RunStep, toolCalls: ToolCall[]): RunStep {
  return { ...step, step_details: { type: 'tool_calls', tool_calls: toolCalls } };
}

export const addUsage = (a: Usage, b: { prompt_tokens: number; completion_tokens: number }): Usage => ({
  prompt_tokens: a.prompt_tokens + b.prompt_tokens,
  completion_tokens: a.completion_tokens + b.completion_tokens,
  total_tokens: a.total_tokens + b.prompt_tokens + b.completion_tokens,
});

export const ZERO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
