import type { AssistantTool } from '../contract/common';
import { uniqueFunctionNames } from '../contract/common';
import { invalidRequest } from './errors';

/** Cross-field rules on `tools` that a schema cannot express. */
export function checkTools(tools: readonly AssistantTool[] | null | undefined, param = 'tools'): void {
  const duplicate = uniqueFunctionNames(tools, param);
  if (duplicate) throw invalidRequest(duplicate, param, 'invalid_value');
}
