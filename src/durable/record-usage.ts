import { runBatch, type Database } from '../db/client';
import { saveMessage, saveMessageStatement, type MessageRow } from '../db/messages';
import { insertUsageEvent, insertUsageStatement } from '../db/usage';
import { usageEventFor, type ModelCallOutcome } from '../domain/usage/record';
import type { Run } from '../domain/runs/types';

const usageRowOf = (projectId: string, run: Run, outcome: ModelCallOutcome) => usageEventFor(projectId, run, outcome, Math.floor(Date.now() / 1000));

/**
 * The executor's one call per model call: a single D1 insert (a few ms against a model call of
 * seconds), aggregated only when usage is queried. Awaited so the row exists when the run's status
 * moves on (usage read after a run completes includes it); a failed write is logged and never fails
 * the run.
 */
export async function recordModelCall(db: Database, projectId: string, run: Run, outcome: ModelCallOutcome): Promise<void> {
  try {
    await insertUsageEvent(db, usageRowOf(projectId, run, outcome));
  } catch (err) {
    console.error(`run ${run.id}: recording usage failed`, err);
  }
}

/**
 * A model call that ends with a message: the message's final save and the call's usage row in ONE
 * D1 batch (one round trip after the model's last byte instead of two; docs/run-lifecycle.md
 * §"Hot path"), both durable before the run's next transition. A batch is atomic, so if it fails
 * the message is saved alone (its failure fails the run, as before) and the usage failure is only
 * logged, as recordModelCall does.
 */
export async function saveMessageAndRecordCall(db: Database, row: MessageRow, projectId: string, run: Run, outcome: ModelCallOutcome): Promise<void> {
  try {
    await runBatch(db, [saveMessageStatement(db, row), insertUsageStatement(db, usageRowOf(projectId, run, outcome))]);
  } catch (err) {
    console.error(`run ${run.id}: saving the message with its usage failed; saving the message alone`, err);
    await saveMessage(db, row);
  }
}
