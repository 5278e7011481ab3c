import type { RunStep } from '../domain/runs/types';
import type { RunRecords } from './run-store';

/** The tool-call step waiting for outputs: the run's last tool step still in progress. */
export function pendingToolStep(store: Pick<RunRecords, 'stepsOf'>, runId: string): RunStep | undefined {
  return store
    .stepsOf(runId)
    .filter((s) => s.type === 'tool_calls' && s.status === 'in_progress')
    .at(-1);
}
