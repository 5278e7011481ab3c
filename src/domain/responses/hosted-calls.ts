import { citationsIn, queriesOf, type Passage } from '../retrieval/file-search-tool';
import { mcpItemEvents, type McpItem } from './mcp';
import type { FileSearchCallItem, FileSearchResult, HostedCallItem } from './types';

/**
 * Hosted tools' calls as Responses output items and events (docs/responses.md "Hosted tools"): the server
 * answers them itself, so instead of a `function_call` item the response shows the tool's own item, as
 * OpenAI's document describes it (FileSearchToolCall: `id`, `type`, `status`, `queries` required; `results`
 * only with `include: ["file_search_call.results"]`).
 */

/** The include value that shows a file_search call's results (OpenAI's ResponseIncludable). */
export const FILE_SEARCH_RESULTS_INCLUDE = 'file_search_call.results';

/** A model's call of a hosted tool's function, collected by the projection instead of being shown. */
export interface HostedFunctionCall {
  callId: string;
  name: string;
  arguments: string;
}

/**
 * The events between `output_item.added` and `output_item.done` of a hosted call, by item type: the
 * progress events sent before the call runs, and the one sent when it ended.
 */
const PROGRESS: Partial<Record<HostedCallItem['type'], { before: string[]; done: string }>> = {
  file_search_call: { before: ['in_progress', 'searching'], done: 'completed' },
};

/**
 * The events of a hosted item between `output_item.added` and `output_item.done`: those sent before the
 * call runs (with extra fields, e.g. an MCP call's arguments) and the one sent when it ended (by how it
 * ended: `completed` or `failed`; none for an item that is not a call, e.g. an MCP approval request).
 */
export function hostedItemEvents(item: HostedCallItem): { before: Array<{ type: string; fields?: Record<string, unknown> }>; done: (ended: HostedCallItem) => string | null } {
  if (item.type === 'mcp_list_tools' || item.type === 'mcp_call' || item.type === 'mcp_approval_request') {
    const events = mcpItemEvents(item);
    return { before: events.before, done: (ended) => events.done(ended as McpItem) };
  }
  const p = PROGRESS[item.type]!;
  return { before: p.before.map((e) => ({ type: `response.${item.type}.${e}` })), done: () => `response.${item.type}.${p.done}` };
}

/** A file_search call as it starts: its queries known, status `in_progress`, no results yet. */
export function fileSearchCallStarted(id: string, args: string): FileSearchCallItem {
  return { type: 'file_search_call', id, status: 'in_progress', queries: queriesOf(args), results: null };
}

/** The call once searched: `completed`, its results shown only when `include` asked for them. */
export function fileSearchCallDone(item: FileSearchCallItem, results: FileSearchResult[], include: readonly string[]): FileSearchCallItem {
  return { ...item, status: 'completed', results: include.includes(FILE_SEARCH_RESULTS_INCLUDE) ? results : null };
}

/** OpenAI's `file_citation` annotation of the Responses API (FileCitationBody). */
export interface ResponseFileCitation {
  type: 'file_citation';
  file_id: string;
  filename: string;
  index: number;
}

/**
 * The `file_citation` annotations of an answer: each citation marker (`【search:n†file】`, the same markers
 * and resolution as the Assistants tool, src/domain/retrieval/file-search-tool.ts) that names a passage of
 * the response's searches; `index` is the marker's position in the text (the marker stays in the text,
 * since its deltas were already streamed).
 */
export function responseFileCitations(text: string, passages: ReadonlyArray<ReadonlyArray<Passage>>): ResponseFileCitation[] {
  return citationsIn(text, passages).map((c) => {
    const search = /【(\d+):(\d+)†/.exec(c.text)!;
    const passage = passages[Number(search[1])]![Number(search[2])]!;
    return { type: 'file_citation', file_id: c.file_citation.file_id, filename: passage.filename, index: c.start_index };
  });
}
