import type { AppContext } from './context';
import { invalidRequest } from './errors';
import { RUN_STEP_INCLUDE } from '../contract/runs';

/** `include[]` (query): OpenAI defines one value, file-search result content in run steps. */
export function parseInclude(c: AppContext): string[] {
  const values = [...(c.req.queries('include[]') ?? []), ...(c.req.queries('include') ?? [])];
  for (const v of values) {
    if (v !== RUN_STEP_INCLUDE) {
      throw invalidRequest(`Invalid value: '${v}'. Supported values are: '${RUN_STEP_INCLUDE}'.`, 'include', 'invalid_value');
    }
  }
  return values;
}
