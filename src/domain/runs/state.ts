import type { LastErrorCode, RequiredAction, Run, RunStatus, Usage } from './types';

/**
 * The run state machine (docs/run-lifecycle.md), pure: `transition(run, event, now)` returns the next run
 * or the reason the event is illegal. Terminal states never change. Timestamps follow OpenAI:
 * `started_at` on in_progress, `<state>_at` on each terminal state, `expires_at` null once terminal,
 * `required_action` only while requires_action.
 */
export type RunEvent =
  | { type: 'start' }
  | { type: 'require_action'; action: RequiredAction }
  | { type: 'outputs_submitted' }
  | { type: 'complete'; usage: Usage }
  | { type: 'incomplete'; reason: 'max_completion_tokens' | 'max_prompt_tokens'; usage: Usage }
  | { type: 'fail'; code: LastErrorCode; message: string; usage?: Usage | null }
  | { type: 'cancel_requested' }
  | { type: 'cancelled'; usage?: Usage | null }
  | { type: 'expire' };

export type Transition = { ok: true; run: Run } | { ok: false; reason: string };

/** The statuses each event is accepted in (docs/run-lifecycle.md's table is checked against it). */
export const ALLOWED: Record<RunEvent['type'], readonly RunStatus[]> = {
  start: ['queued'],
  require_action: ['in_progress'],
  outputs_submitted: ['requires_action'],
  complete: ['in_progress'],
  incomplete: ['in_progress'],
  fail: ['queued', 'in_progress', 'requires_action', 'cancelling'],
  cancel_requested: ['queued', 'in_progress', 'requires_action'],
  cancelled: ['cancelling'],
  expire: ['queued', 'in_progress', 'requires_action', 'cancelling'],
};

/** Every status a run can have, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = [
  'queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired',
];

/**
 * The statuses no event leaves (derived from ALLOWED): the run is over. The others are active and
 * hold the thread's run lock (docs/run-lifecycle.md).
 */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((s) => !Object.values(ALLOWED).some((from) => from.includes(s)));
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((s) => !TERMINAL_RUN_STATUSES.includes(s));

/**
 * The statuses the SDK's poll() keeps polling on (docs/openai-behaviour.md §6.3): the active ones in
 * which the run moves on by itself, that is every active status but the one waiting for the client.
 */
export const POLLED_RUN_STATUSES: readonly RunStatus[] = ACTIVE_RUN_STATUSES.filter((s) => s !== 'requires_action');

export const isTerminal = (status: RunStatus): boolean => TERMINAL_RUN_STATUSES.includes(status);

export function canApply(run: Run, event: RunEvent['type']): boolean {
  return ALLOWED[event].includes(run.status);
}

export function transition(run: Run, event: RunEvent, now: number): Transition {
  if (!canApply(run, event.type)) {
    return { ok: false, reason: `Cannot apply '${event.type}' to a run with status '${run.status}'.` };
  }
  const ended = (status: RunStatus, patch: Partial<Run>): Run => ({
    ...run,
    ...patch,
    status,
    expires_at: null,
    required_action: null,
  });
  switch (event.type) {
    case 'start':
      return { ok: true, run: { ...run, status: 'in_progress', started_at: run.started_at ?? now } };
    case 'require_action':
      return { ok: true, run: { ...run, status: 'requires_action', required_action: event.action } };
    case 'outputs_submitted':
      return { ok: true, run: { ...run, status: 'queued', required_action: null } };
    case 'complete':
      return { ok: true, run: ended('completed', { completed_at: now, usage: event.usage }) };
    case 'incomplete':
      return { ok: true, run: ended('incomplete', { incomplete_details: { reason: event.reason }, usage: event.usage }) };
    case 'fail':
      return {
        ok: true,
        run: ended('failed', { failed_at: now, last_error: { code: event.code, message: event.message }, usage: event.usage ?? run.usage }),
      };
    case 'cancel_requested':
      return { ok: true, run: { ...run, status: 'cancelling' } };
    case 'cancelled':
      return { ok: true, run: ended('cancelled', { cancelled_at: now, usage: event.usage ?? run.usage }) };
    case 'expire':
      return { ok: true, run: ended('expired', {}) };
  }
}
