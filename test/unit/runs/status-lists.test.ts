import { describe, expect, it } from 'vitest';
import { ACTIVE_RUN_STATUSES, isTerminal, POLLED_RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../../../src/domain/runs/state';

/** The status lists are derived from the state machine's ALLOWED table, not written out again. */
describe('run status lists', () => {
  it('are the terminal, active and polled statuses OpenAI documents', () => {
    expect(TERMINAL_RUN_STATUSES).toEqual(['cancelled', 'failed', 'completed', 'incomplete', 'expired']);
    expect(ACTIVE_RUN_STATUSES).toEqual(['queued', 'in_progress', 'requires_action', 'cancelling']);
    // The SDK's poll() keeps polling on these (docs/openai-behaviour.md §6.3).
    expect(POLLED_RUN_STATUSES).toEqual(['queued', 'in_progress', 'cancelling']);
    expect(isTerminal('expired')).toBe(true);
    expect(isTerminal('requires_action')).toBe(false);
  });
});
