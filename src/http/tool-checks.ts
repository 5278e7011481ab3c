import type { AssistantTool, ToolResources } from './schemas/common';
import { uniqueFunctionNames } from './schemas/common';
import { invalidRequest } from './errors';

/** Cross-field rules on `tools` that a schema cannot express. */
export function checkTools(tools: readonly AssistantTool[] | null | undefined, param = 'tools'): void {
  const duplicate = uniqueFunctionNames(tools, param);
  if (duplicate) throw invalidRequest(duplicate, param, 'invalid_value');
}

/**
 * `tool_resources.file_search`: exactly one of `vector_store_ids` / `vector_stores`. Creating a
 * vector store inline (`vector_stores`) needs the vector-store pipeline, which this server does not
 * have yet: it is refused clearly rather than silently ignored.
 */
export function checkToolResources(resources: ToolResources | undefined): void {
  const fs = resources?.file_search;
  if (!fs) return;
  if (fs.vector_store_ids !== undefined && fs.vector_stores !== undefined) {
    throw invalidRequest(
      "Invalid 'tool_resources.file_search': only one of 'vector_store_ids' or 'vector_stores' may be provided.",
      'tool_resources.file_search',
      'invalid_value',
    );
  }
  if (fs.vector_stores !== undefined) {
    throw invalidRequest(
      "Creating a vector store through 'tool_resources.file_search.vector_stores' is not supported yet; create it with POST /v1/vector_stores and pass its id in 'vector_store_ids'.",
      'tool_resources.file_search.vector_stores',
      'unsupported_parameter',
    );
  }
}
