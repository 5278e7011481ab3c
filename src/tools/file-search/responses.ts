import { newId } from '../../domain/ids';
import type { Passage } from '../../domain/retrieval/file-search-tool';
import { formatPassages } from '../../domain/retrieval/file-search-tool';
import { fileSearchCallDone, fileSearchCallStarted, responseFileCitations } from '../../domain/responses/hosted-calls';
import type { FileSearchCallItem } from '../../domain/responses/types';
import { waitWhileIndexing } from '../../retrieval/indexing-wait';
import type { ResponsesHosting } from '../hosted-tool';
import { activeStores, searchForCall, type SearchConfig } from './answer';

type ResponseFileSearchConfig = SearchConfig & { vector_store_ids: string[] };

/**
 * file_search in the Responses API: the tool names its stores (`vector_store_ids`); each call is searched
 * with the runs' code (`searchForCall`) and its passages are shown under the same citation markers, which
 * become the answer's `file_citation` annotations (docs/responses.md "Hosted tools").
 */
export const fileSearchResponses: ResponsesHosting = {
  async prepare(config, context, ports, signal) {
    const tool = config as ResponseFileSearchConfig;
    const storeIds = await activeStores(ports.db(), context.projectId, [...new Set(tool.vector_store_ids)]);
    if (storeIds.length > 0) await waitWhileIndexing(ports.db(), storeIds, signal);
    /** Each search's passages, in call order: `【search:n†file】` resolves against them. */
    const searches: Passage[][] = [];
    return {
      start: (call) => fileSearchCallStarted(newId('fs_'), call.arguments),
      async answer(call, item) {
        const { hits } = storeIds.length > 0 ? await searchForCall(ports.retrieval(), storeIds, tool, context.model, call.arguments) : { hits: [] };
        const passages: Passage[] = hits.map((h) => ({ fileId: h.fileId, filename: h.filename, text: h.text }));
        const output = formatPassages(searches.length, passages);
        searches.push(passages);
        const results = hits.map((h) => ({ file_id: h.fileId, filename: h.filename, score: h.score, text: h.text, attributes: h.attributes }));
        return { item: fileSearchCallDone(item as FileSearchCallItem, results, context.include), output };
      },
      annotate: (text) => responseFileCitations(text, searches),
    };
  },
};
