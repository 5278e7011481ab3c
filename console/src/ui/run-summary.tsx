// A run's status, timings and token usage at a glance.
import type { Run } from '../api/types';
import { duration, time } from './common';

export function RunSummary({ run }: { run: Run }) {
  const end = run.completed_at ?? run.failed_at ?? run.cancelled_at;
  return (
    <div class="run-summary" data-run-id={run.id}>
      <div>
        <span class={`badge ${run.status}`} data-run-status={run.status}>
          {run.status}
        </span>{' '}
        <span class="muted">{run.id}</span>
      </div>
      <dl>
        <dt>Model</dt>
        <dd>{run.model}</dd>
        <dt>Created</dt>
        <dd>{time(run.created_at)}</dd>
        <dt>Duration</dt>
        <dd>{duration(run.started_at ?? run.created_at, end)}</dd>
        <dt>Tokens</dt>
        <dd class="usage">{run.usage ? `${run.usage.prompt_tokens} in · ${run.usage.completion_tokens} out · ${run.usage.total_tokens} total` : '—'}</dd>
      </dl>
      {run.last_error ? <div class="error">{`${run.last_error.code}: ${run.last_error.message}`}</div> : null}
    </div>
  );
}
