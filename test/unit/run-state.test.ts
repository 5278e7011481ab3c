import { describe, expect, it } from 'vitest';
import { newRun, checkRunParams } from '../../src/domain/runs/create';
import { transition, type RunEvent } from '../../src/domain/runs/state';
import type { Run } from '../../src/domain/runs/types';
import type { AssistantObject } from '../../src/db/assistants';

const assistant: AssistantObject = {
  id: 'asst_1', object: 'assistant', created_at: 1, name: null, description: null, model: 'gpt-4o',
  instructions: 'Be brief.', tools: [{ type: 'function', function: { name: 'f' } }], tool_resources: {}, metadata: {},
  temperature: 0.5, top_p: 1, response_format: 'auto', reasoning_effort: null,
};

const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
const run = (status: Run['status']): Run => ({ ...newRun('thread_1', assistant, { assistant_id: 'asst_1' }, 1_000_000), status });

describe('newRun', () => {
  it('takes the assistant settings, overridden by the run, with additional instructions appended', () => {
    const r = newRun('thread_1', assistant, { assistant_id: 'asst_1', model: 'm2', additional_instructions: 'Use French.' }, 1_000_000);
    expect(r).toMatchObject({
      status: 'queued', model: 'm2', instructions: 'Be brief.\n\nUse French.', temperature: 0.5, top_p: 1,
      expires_at: 1000 + 600, tool_choice: 'auto', parallel_tool_calls: true,
      truncation_strategy: { type: 'auto', last_messages: null },
    });
    expect(r.id).toMatch(/^run_/);
    expect(newRun('t', assistant, { assistant_id: 'a', instructions: 'Other.' }).instructions).toBe('Other.');
  });

  it('checks tool_choice and truncation against the run', () => {
    const named = newRun('t', assistant, { assistant_id: 'a', tool_choice: { type: 'function', function: { name: 'nope' } } });
    expect(checkRunParams(named)?.param).toBe('tool_choice.function.name');
    const fs = newRun('t', assistant, { assistant_id: 'a', tool_choice: { type: 'file_search' } });
    expect(checkRunParams(fs)?.param).toBe('tool_choice.type');
    const trunc = newRun('t', assistant, { assistant_id: 'a', truncation_strategy: { type: 'last_messages' } });
    expect(checkRunParams(trunc)?.param).toBe('truncation_strategy.last_messages');
    expect(checkRunParams(newRun('t', assistant, { assistant_id: 'a' }))).toBeNull();
  });
});

describe('transition', () => {
  const ok = (r: Run, e: RunEvent) => {
    const t = transition(r, e, 2000);
    if (!t.ok) throw new Error(t.reason);
    return t.run;
  };

  it('walks the happy path with OpenAI timestamps', () => {
    const started = ok(run('queued'), { type: 'start' });
    expect(started).toMatchObject({ status: 'in_progress', started_at: 2000 });
    const done = ok(started, { type: 'complete', usage });
    expect(done).toMatchObject({ status: 'completed', completed_at: 2000, expires_at: null, usage });
  });

  it('sets required_action only while requires_action', () => {
    const action = { type: 'submit_tool_outputs' as const, submit_tool_outputs: { tool_calls: [] } };
    const waiting = ok(ok(run('queued'), { type: 'start' }), { type: 'require_action', action });
    expect(waiting.required_action).toEqual(action);
    const resumed = ok(waiting, { type: 'outputs_submitted' });
    expect(resumed).toMatchObject({ status: 'queued', required_action: null });
  });

  it('never changes a terminal run', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'expired', 'incomplete'] as const) {
      for (const type of ['start', 'cancel_requested', 'expire', 'outputs_submitted'] as const) {
        expect(transition(run(status), { type } as RunEvent, 1).ok).toBe(false);
      }
      expect(transition(run(status), { type: 'fail', code: 'server_error', message: 'x' }, 1).ok).toBe(false);
    }
  });

  it('cancels through cancelling', () => {
    const c = ok(run('in_progress'), { type: 'cancel_requested' });
    expect(c.status).toBe('cancelling');
    expect(ok(c, { type: 'cancelled' })).toMatchObject({ status: 'cancelled', cancelled_at: 2000, expires_at: null });
    expect(transition(run('in_progress'), { type: 'cancelled' }, 1).ok).toBe(false);
  });

  it('fails with last_error and expires', () => {
    expect(ok(run('in_progress'), { type: 'fail', code: 'rate_limit_exceeded', message: 'slow down' })).toMatchObject({
      status: 'failed', failed_at: 2000, last_error: { code: 'rate_limit_exceeded', message: 'slow down' },
    });
    expect(ok(run('requires_action'), { type: 'expire' })).toMatchObject({ status: 'expired', required_action: null });
  });
});
