import { Hono } from 'hono';
import { z } from 'zod';
import { listThreads, recordRunStart } from '../../db/threads';
import type { Run } from '../../domain/runs/types';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { invalidRequest } from '../errors';
import { listEnvelope, ListQuery, queryInt } from '../pagination';
import { parseWith } from '../validation';

/**
 * `GET /v1/threads`: what OpenAI never offered an API key (threads were listable only in its
 * dashboard). OpenAI's list conventions (limit/order/after/before, src/http/pagination.ts) plus
 * filters: `metadata[key]=value` (repeatable, all must match), `created_after`/`created_before` (unix
 * seconds, inclusive) and `assistant_id` (the assistant of the thread's latest run).
 */
export const threadListRoutes = new Hono<AppEnv>();

const ThreadListQuery = ListQuery.extend({
  created_after: queryInt.pipe(z.int().min(0)).optional(),
  created_before: queryInt.pipe(z.int().min(0)).optional(),
  assistant_id: z.string().regex(/^asst_[A-Za-z0-9]+$/, 'must be an assistant id (asst_...)').optional(),
});

/** `metadata[key]=value` pairs of the query; keys follow OpenAI's metadata limits (64 characters). */
function metadataFilters(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith('metadata')) continue;
    const m = /^metadata\[([^\]"]{1,64})\]$/.exec(name);
    if (!m) throw invalidRequest(`Invalid query parameter '${name}': filter metadata as metadata[key]=value (key 1-64 characters, no '"' or ']').`, name, 'invalid_value');
    if (value.length > 512) throw invalidRequest(`Invalid '${name}': metadata values are at most 512 characters.`, name, 'string_above_max_length');
    out[m[1]!] = value;
  }
  return out;
}

threadListRoutes.get('/threads', async (c) => c.json(listEnvelope(await threadPage(c))));

/** The page `GET /threads` answers, also listed as conversations by `GET /conversations`. */
export async function threadPage(c: AppContext) {
  const query = c.req.query();
  const q = parseWith(ThreadListQuery, query);
  return listThreads(
    dbOf(c),
    projectOf(c),
    { limit: q.limit, order: q.order, ...(q.after !== undefined ? { after: q.after } : {}), ...(q.before !== undefined ? { before: q.before } : {}) },
    {
      metadata: metadataFilters(query),
      ...(q.created_after !== undefined ? { createdAfter: q.created_after } : {}),
      ...(q.created_before !== undefined ? { createdBefore: q.created_before } : {}),
      ...(q.assistant_id !== undefined ? { assistantId: q.assistant_id } : {}),
    },
  );
}

/**
 * The run-creation routes' one call: see recordRunStart (src/db/threads.ts). Nothing in the response
 * depends on it, so it runs after the response (`waitUntil`) instead of before a streamed run's first
 * byte. The run exists by now, so a failed write is logged rather than failing anything (a client
 * retrying would start a second run). Runs on one thread cannot overlap (the run lock), so the
 * thread's latest assistant is written in run order.
 */
export function noteRunCreated(c: AppContext, run: Run): void {
  const principal = c.get('principal');
  c.executionCtx.waitUntil(
    recordRunStart(dbOf(c), {
      projectId: principal.projectId,
      threadId: run.thread_id,
      runId: run.id,
      assistantId: run.assistant_id,
      apiKeyId: principal.kind === 'project' ? principal.keyId : null,
      createdAt: run.created_at,
    }).catch((err: unknown) => console.error(`[${c.get('requestId')}] run ${run.id}: recording its thread and key failed`, err)),
  );
}
