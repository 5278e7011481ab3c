import type { Database } from '../db/client';
import { insertUsageEvent } from '../db/usage';
import { usageEventFor, type ModelCallOutcome } from '../domain/usage/record';
import type { Run } from '../domain/runs/types';

/**
 * The executor's one call per model call: a single D1 insert (a few ms against a model call of
 * seconds), aggregated only when usage is queried. Awaited so the row exists when the run's status
 * moves on (usage read after a run completes includes it); a failed write is logged and never fails
 * the run.
 */
export async function recordModelCall(db: Database, projectId: string, run: Run, outcome: ModelCallOutcome): Promise<void> {
  try {
    await insertUsageEvent(db, usageEventFor(projectId, run, outcome, Math.floor(Date.now() / 1000)));
  } catch (err) {
    console.error(`run ${run.id}: recording usage failed`, err);
  }
}
