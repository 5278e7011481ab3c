import type { Run } from '../domain/runs/types';
import { TERMINAL_RUN_STATUSES } from '../domain/runs/state';

/**
 * Structured logs: one JSON object per line on stdout (console.log), which Workers Logs index field
 * by field when `[observability] enabled = true` (wrangler.toml; developers.cloudflare.com/workers/
 * observability/logs/workers-logs). Never a secret or message content: ids, names, counts, timings,
 * error codes, and upstream error messages with anything key-shaped removed.
 */
export type LogEvent = 'run.end' | 'run.prefetch_discarded' | 'response.prefetch_discarded' | 'upstream.call_failed' | 'pass_through.usage';

export function logEvent(event: LogEvent, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event, ...fields, time: new Date().toISOString() }));
}

/** Key-shaped strings (sk-..., sk-ant-..., Bearer tokens) out of a message before it is logged. */
export function redactSecrets(text: string): string {
  return text.replace(/\b(?:sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}

/** What the instrumented models (./instrumented-model.ts) saw during one execution of a run. */
export interface CallStats {
  provider: string;
  calls: number;
  upstreamMs: number;
  toolCalls: number;
}

const TERMINAL: ReadonlySet<Run['status']> = new Set(TERMINAL_RUN_STATUSES);

/**
 * The run-end line, called from the executor on every state change (it ignores non-final ones).
 * `stats` covers the model calls of the executor pass that ended the run (keyed by its abort signal).
 */
export function logRunEnd(run: Run, projectId: string, stats: CallStats | undefined): void {
  if (!TERMINAL.has(run.status)) return;
  logEvent('run.end', {
    run_id: run.id,
    thread_id: run.thread_id,
    project_id: projectId,
    assistant_id: run.assistant_id,
    model: run.model,
    provider: stats?.provider ?? null,
    status: run.status,
    // From creation to now (the line is written as the run ends); created_at has second resolution.
    duration_ms: Math.max(0, Date.now() - run.created_at * 1000),
    model_calls: stats?.calls ?? 0,
    upstream_ms: stats?.upstreamMs ?? 0,
    tool_calls: stats?.toolCalls ?? 0,
    prompt_tokens: run.usage?.prompt_tokens ?? 0,
    completion_tokens: run.usage?.completion_tokens ?? 0,
    error_code: run.last_error?.code ?? null,
    error: run.last_error ? redactSecrets(run.last_error.message) : null,
    incomplete_reason: run.incomplete_details?.reason ?? null,
  });
}
