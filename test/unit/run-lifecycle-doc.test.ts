import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newRun } from '../../src/domain/runs/create';
import { ALLOWED, transition, type RunEvent } from '../../src/domain/runs/state';
import type { Run, RunStatus } from '../../src/domain/runs/types';
import type { AssistantObject } from '../../src/db/assistants';

// docs/run-lifecycle.md's "Allowed transitions" table is what readers trust about the state machine;
// this keeps it equal to ALLOWED (which events each status accepts) and to transition()'s result.

/** The table's rows: event → { from statuses, to status }. */
function documentedTransitions(): Map<string, { from: string[]; to: string }> {
  const doc = readFileSync(new URL('../../docs/run-lifecycle.md', import.meta.url), 'utf8');
  const section = doc.split('### Allowed transitions')[1];
  if (!section) throw new Error('docs/run-lifecycle.md has no "### Allowed transitions" section');
  const rows = new Map<string, { from: string[]; to: string }>();
  const names = (cell: string) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '');
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const [eventCell, fromCell, toCell, ...extra] = line.split('|').slice(1, -1).map((c) => c.trim());
    if (eventCell === undefined || fromCell === undefined || toCell === undefined || extra.length) continue;
    const [event] = names(eventCell);
    const [to] = names(toCell);
    if (!event || !to) continue; // the header and separator rows
    expect(rows.has(event), `event ${event} listed twice`).toBe(false);
    rows.set(event, { from: names(fromCell), to });
  }
  return rows;
}

const assistant: AssistantObject = {
  id: 'asst_1', object: 'assistant', created_at: 1, name: null, description: null, model: 'gpt-4o',
  instructions: '', tools: [], tool_resources: {}, metadata: {}, temperature: 1, top_p: 1, response_format: 'auto', reasoning_effort: null,
};
const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
const sample: Record<RunEvent['type'], RunEvent> = {
  start: { type: 'start' },
  require_action: { type: 'require_action', action: { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: [] } } },
  outputs_submitted: { type: 'outputs_submitted' },
  complete: { type: 'complete', usage },
  incomplete: { type: 'incomplete', reason: 'max_completion_tokens', usage },
  fail: { type: 'fail', code: 'server_error', message: 'x' },
  cancel_requested: { type: 'cancel_requested' },
  cancelled: { type: 'cancelled' },
  expire: { type: 'expire' },
};
const STATUSES: RunStatus[] = ['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired'];
const runIn = (status: RunStatus): Run => ({ ...newRun('thread_1', assistant, { assistant_id: 'asst_1' }, 1_000), status });

describe('docs/run-lifecycle.md allowed-transitions table', () => {
  const table = documentedTransitions();

  it('lists exactly the events of ALLOWED, each accepted in exactly the statuses ALLOWED holds', () => {
    const documented = Object.fromEntries([...table].map(([event, row]) => [event, [...row.from].sort()]));
    const code = Object.fromEntries(Object.entries(ALLOWED).map(([event, from]) => [event, [...from].sort()]));
    expect(documented).toEqual(code);
  });

  it('names the status transition() leads to, and every pair the table leaves out is refused', () => {
    for (const [event, row] of table) {
      for (const status of STATUSES) {
        const t = transition(runIn(status), sample[event as RunEvent['type']], 2_000);
        if (row.from.includes(status)) expect(t.ok && t.run.status, `${event} from ${status}`).toBe(row.to);
        else expect(t.ok, `${event} from ${status}`).toBe(false);
      }
    }
  });
});
