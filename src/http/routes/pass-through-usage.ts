import type { Env } from '../../env';
import { logEvent } from '../../observability/log';

export interface PassThroughUsage {
  projectId: string;
  endpoint: 'chat.completions' | 'embeddings';
  provider: string;
  model: string;
  /** As the provider reported it; undefined when it did not (a stream without include_usage). */
  usage: { prompt_tokens: number; completion_tokens?: number; total_tokens: number } | undefined;
}

/**
 * Usage of `/v1/chat/completions` and `/v1/embeddings` calls. Every pass-through call ends here exactly
 * once: this is the one place to count it (today a structured log line for Workers Logs; the usage
 * table, when there is one, is written from here too).
 */
export function recordPassThroughUsage(_env: Env, record: PassThroughUsage): void {
  logEvent('pass_through.usage', {
    project_id: record.projectId,
    endpoint: record.endpoint,
    provider: record.provider,
    model: record.model,
    prompt_tokens: record.usage?.prompt_tokens ?? null,
    completion_tokens: record.usage?.completion_tokens ?? null,
    total_tokens: record.usage?.total_tokens ?? null,
  });
}
