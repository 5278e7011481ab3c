import { McpListError } from '../domain/mcp/port';
import { McpSecretsError } from '../domain/runs/mcp-secrets';
import type { RunEvent } from '../domain/runs/state';
import type { LastErrorCode } from '../domain/runs/types';
import type { HostedTool, ToolPorts } from '../tools/hosted-tool';
import { includesResultContent, presentStep } from '../tools/registry';
import { RunExpiredError } from './call-limit';
import { offerTools } from './hosted-calls';
import { pendingToolStep } from './pending-step';
import { endStepAndPublish, stepEventsOf, type RunEventHost } from './run-events';
import type { RunRecords, StoredRun } from './run-store';

const GENERIC_FAILURE = 'Sorry, something went wrong.';

/** What acting on decisions needs of the executor. */
export interface DecisionHost {
  events: RunEventHost;
  store: RunRecords;
  tools: readonly HostedTool[];
  ports: ToolPorts;
  apply(stored: StoredRun, event: RunEvent): unknown;
  fail(stored: StoredRun, code: LastErrorCode, message: string): void;
}

/**
 * Acts on the client's MCP approval decisions (extension, docs/mcp-assistants.md; run-commands.ts
 * stored them with the run): approved calls run, denied ones end with the denial; the tool step
 * completes and the executor's loop calls the model. False when the run ended here (cancelled,
 * expired, failed). If the object dies meanwhile, the watchdog's resume acts on them again.
 */
export async function actOnDecisions(host: DecisionHost, stored: StoredRun, signal: AbortSignal): Promise<boolean> {
  const { run, internal } = stored;
  const { mcpDecisions, ...rest } = internal;
  let step = pendingToolStep(host.store, run.id);
  if (!step || !mcpDecisions) {
    host.store.saveInternal(run.id, rest);
    return true;
  }
  const decisions = new Map(Object.entries(mcpDecisions));
  const events = stepEventsOf(host.events, run.id);
  try {
    const offered = await offerTools(host.tools, run, internal.projectId, host.ports, signal);
    for (const { offer } of offered.offers) if (offer.decide) step = await offer.decide(step, decisions, signal);
  } catch (err) {
    // Expired: the watchdog already ended the run and its steps.
    if (signal.aborted && signal.reason instanceof RunExpiredError) return false;
    if (signal.aborted) {
      endStepAndPublish(events, step, { status: 'cancelled' });
      const now = host.store.get(run.id);
      if (now) host.apply(now, { type: 'cancelled', usage: now.internal.usage });
      return false;
    }
    const message = err instanceof McpListError || err instanceof McpSecretsError ? err.message : GENERIC_FAILURE;
    if (message === GENERIC_FAILURE) console.error(`run ${run.id}: MCP approvals failed`, err);
    endStepAndPublish(events, step, { status: 'failed', message });
    host.fail(stored, 'server_error', message);
    return false;
  }
  host.store.saveStep(step);
  const include = includesResultContent(internal.include);
  endStepAndPublish(events, step, { status: 'completed' }, { shown: (done) => presentStep(done, include, host.tools) });
  host.store.saveInternal(run.id, rest);
  return true;
}
