import { insertUsageEvent } from '../../db/usage';
import { unixSeconds } from '../../domain/ids';
import type { ResponseObject } from '../../domain/responses/types';
import type { Env } from '../../env';
import { services } from '../../services';
import type { ResponseState } from './storage';

/**
 * The response's model call in `usage_events` (endpoint `responses`), counted by the usage and costs
 * routes like a run's call (docs/usage.md). Written once, when the call ends; a failed write is logged.
 */
export async function recordUsage(env: Env, state: ResponseState, response: ResponseObject): Promise<void> {
  const usage = response.usage;
  try {
    await insertUsageEvent(services(env).db, {
      projectId: state.projectId,
      endpoint: 'responses',
      apiKeyId: state.apiKeyId,
      model: response.model,
      createdAt: unixSeconds(),
      inputTokens: usage?.input_tokens ?? 0,
      cachedTokens: usage?.input_tokens_details.cached_tokens ?? 0,
      outputTokens: usage?.output_tokens ?? 0,
      functionCalls: response.output.filter((o) => o.type === 'function_call').length,
      fileSearchCalls: response.output.filter((o) => o.type === 'file_search_call').length,
      codeInterpreterCalls: response.output.filter((o) => o.type === 'code_interpreter_call').length,
    });
  } catch (err) {
    console.error(`response ${response.id}: recording usage failed`, err);
  }
}
