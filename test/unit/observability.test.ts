import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatModelError, type ChatChunk, type ChatModel } from '../../src/domain/ports';
import type { Run } from '../../src/domain/runs/types';
import { callStatsFor, instrumentModel } from '../../src/observability/instrumented-model';
import { logRunEnd, redactSecrets } from '../../src/observability/log';

const lines = () => (console.log as unknown as ReturnType<typeof vi.fn>).mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
afterEach(() => vi.restoreAllMocks());

function model(chunks: ChatChunk[], fail?: Error): ChatModel {
  return {
    async *stream() {
      yield* chunks;
      if (fail) throw fail;
    },
  };
}

const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'SECRET PROMPT TEXT' }] };

describe('structured logs', () => {
  it('one line per failed upstream call: provider, model, status, code; no content, no key', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const failing = instrumentModel('openai', model([], new ChatModelError('server_error', 'The upstream rejected the API key (HTTP 401: Incorrect API key provided: sk-abc123456789).', false, 401)));
    await expect(async () => {
      for await (const _ of failing.stream(request, new AbortController().signal)) void _;
    }).rejects.toThrow(ChatModelError);
    const [line] = lines();
    expect(line).toMatchObject({ event: 'upstream.call_failed', provider: 'openai', model: 'gpt-4o', status: 401, error_code: 'server_error', retryable: false });
    expect(JSON.stringify(line)).not.toContain('sk-abc123456789');
    expect(JSON.stringify(line)).not.toContain('SECRET PROMPT TEXT');
  });

  it('a run-end line with what the pass cost, only for final statuses', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const signal = new AbortController().signal;
    const m = instrumentModel('anthropic', model([{ type: 'tool_call', index: 0, id: 'call_1', name: 'f' }, { type: 'tool_call', index: 0, argumentsDelta: '{}' }, { type: 'finish', reason: 'tool_calls' }]));
    for await (const _ of m.stream(request, signal)) void _;
    const run = { id: 'run_1', thread_id: 'thread_1', assistant_id: 'asst_1', model: 'claude-x', status: 'requires_action', created_at: Math.floor(Date.now() / 1000), usage: null, last_error: null, incomplete_details: null } as unknown as Run;
    logRunEnd(run, 'proj_1', callStatsFor(signal));
    expect(lines()).toEqual([]);
    logRunEnd({ ...run, status: 'failed', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }, last_error: { code: 'server_error', message: 'key sk-live-abcdef1234 rejected' } }, 'proj_1', callStatsFor(signal));
    expect(lines()[0]).toMatchObject({
      event: 'run.end', run_id: 'run_1', project_id: 'proj_1', assistant_id: 'asst_1', model: 'claude-x', provider: 'anthropic',
      status: 'failed', model_calls: 1, tool_calls: 1, prompt_tokens: 5, completion_tokens: 2, error_code: 'server_error', error: 'key [redacted] rejected',
    });
  });

  it('redacts key-shaped strings and bearer tokens', () => {
    expect(redactSecrets('Bearer abc.def and sk-ant-api03-xyzxyz')).toBe('Bearer [redacted] and [redacted]');
  });
});
