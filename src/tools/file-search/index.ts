import { citationsIn, FILE_SEARCH_FUNCTION, fileSearchToolDefinition, searchPassages } from '../../domain/retrieval/file-search-tool';
import type { ToolCall } from '../../domain/runs/types';
import { waitWhileIndexing } from '../../retrieval/indexing-wait';
import type { HostedTool } from '../hosted-tool';
import { answerFileSearch, runVectorStores } from './answer';
import { fileSearchResponses } from './responses';

/**
 * OpenAI's `file_search`: the `file_search` function, answered by searching the run's vector stores
 * (src/retrieval/search.ts); the markers the model cites become `file_citation` annotations.
 */
export const fileSearch: HostedTool = {
  type: 'file_search',
  functionName: FILE_SEARCH_FUNCTION,
  answersFirst: true,

  // Offered when the run has the tool and vector stores to search; files still being indexed are
  // waited for while they make progress (src/retrieval/indexing-wait.ts).
  async offer(run, projectId, ports, signal) {
    const storeIds = await runVectorStores(ports.db(), run, projectId);
    if (storeIds.length === 0) return null;
    await waitWhileIndexing(ports.db(), storeIds, signal);
    return {
      definitions: [fileSearchToolDefinition()],
      answer: (step, calls) => answerFileSearch(ports.retrieval(), ports.hostedCalls, run, step, calls, storeIds),
    };
  },

  step: {
    start: (id) => ({ id, type: 'file_search', file_search: {} }),
    pending: (id) => ({ id, type: 'file_search', file_search: {} }),
  },

  // Citations resolve against every passage the run's searches have shown the model.
  messageOutputs: (runId, text, ports) => ({
    annotations: citationsIn(text, searchPassages(ports.hostedCalls.hostedCallsOf(runId))),
    imageFileIds: [],
  }),

  // Result `content` only when `include[]` asked for it (OpenAI).
  present(call, includeContent) {
    if (includeContent || call.type !== 'file_search') return call;
    const fs = (call as { file_search?: { results?: { content?: unknown }[] } }).file_search;
    if (!fs?.results) return call;
    return { ...call, file_search: { ...fs, results: fs.results.map(({ content: _content, ...rest }) => rest) } } as ToolCall;
  },

  responses: fileSearchResponses,
};
