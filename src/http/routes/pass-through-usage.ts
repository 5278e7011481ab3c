import { insertUsageEvent } from '../../db/usage';
import { logEvent } from '../../observability/log';
import type { AppContext } from '../context';

export interface PassThroughUsage {
  endpoint: 'chat.completions' | 'embeddings' | 'responses';
  provider: string;
  model: string;
  /** As the provider reported it; undefined when it did not (a stream without include_usage). */
  usage: { prompt_tokens: number; completion_tokens?: number; total_tokens: number; prompt_tokens_details?: { cached_tokens?: number } | null } | undefined;
}

/**
 * Usage of `/v1/chat/completions`, `/v1/embeddings` and `/v1/responses/compact` calls. Every pass-through call ends here exactly
 * once: a structured log line for Workers Logs, and a `usage_events` row (endpoint = the route, no
 * thread/run/assistant, the calling key's id) so `/v1/organization/usage/completions` and the costs
 * count it like a run's model call (docs/usage.md). The row is written after the response, through
 * `waitUntil` (developers.cloudflare.com/workers/runtime-apis/context/#waituntil): the caller never waits
 * on D1, and a failed write is logged, never the call's failure. A call without reported usage (a stream
 * without `stream_options.include_usage`, as OpenAI sends none either) is still one request, 0 tokens.
 */
export function recordPassThroughUsage(c: AppContext, record: PassThroughUsage): void {
  const principal = c.get('principal');
  const usage = record.usage;
  const inputTokens = usage?.prompt_tokens ?? 0;
  logEvent('pass_through.usage', {
    project_id: principal.projectId,
    endpoint: record.endpoint,
    provider: record.provider,
    model: record.model,
    prompt_tokens: usage?.prompt_tokens ?? null,
    completion_tokens: usage?.completion_tokens ?? null,
    total_tokens: usage?.total_tokens ?? null,
  });
  const write = insertUsageEvent(c.var.services.db, {
    projectId: principal.projectId,
    endpoint: record.endpoint,
    apiKeyId: principal.kind === 'project' ? principal.keyId : null,
    model: record.model,
    createdAt: Math.floor(Date.now() / 1000),
    inputTokens,
    cachedTokens: Math.min(usage?.prompt_tokens_details?.cached_tokens ?? 0, inputTokens),
    outputTokens: usage?.completion_tokens ?? 0,
    functionCalls: 0,
    fileSearchCalls: 0,
    codeInterpreterCalls: 0,
  }).catch((err: unknown) => console.error(`${record.endpoint}: recording usage failed`, err));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No ExecutionContext (app.request in unit tests): the write simply runs on its own.
  }
}
