import type { ChatToolDefinition } from '../ports';
import type { RankingRequest, SearchMode } from './ranking-options';

/**
 * The file_search tool as the model sees it: a function the executor answers itself. Passages come
 * back numbered `【<search>:<n>†<filename>】`, OpenAI's citation marker, and the model is asked to
 * cite with exactly that marker; the markers in the final answer become `file_citation` annotations.
 */
export const FILE_SEARCH_FUNCTION = 'file_search';

/** The one `include[]` value: file-search result content in run steps (a wire constant of the contract). */
export { RUN_STEP_INCLUDE as RESULT_CONTENT_INCLUDE } from '../../contract/runs';

export function fileSearchToolDefinition(name = FILE_SEARCH_FUNCTION): ChatToolDefinition {
  return {
    type: 'function',
    function: {
      name,
      description:
        'Search the files the user and the assistant provided for passages relevant to the request. Use it whenever the answer may be in those files. ' +
        'Each passage starts with a marker like 【0:1†report.pdf】; when you use a passage, cite it by writing that exact marker right after the statement it supports.',
      parameters: {
        type: 'object',
        properties: {
          queries: {
            type: 'array',
            items: { type: 'string' },
            description: 'One or more search queries (rephrase the request; include key terms and names).',
          },
        },
        required: ['queries'],
      },
    },
  };
}

/** The queries of a file_search call; a malformed argument string is searched as one query. */
export function queriesOf(args: string): string[] {
  try {
    const parsed = JSON.parse(args) as { queries?: unknown; query?: unknown };
    const list = Array.isArray(parsed.queries) ? parsed.queries : typeof parsed.query === 'string' ? [parsed.query] : [];
    const queries = list.filter((q): q is string => typeof q === 'string' && q.trim() !== '').map((q) => q.trim());
    if (queries.length > 0) return queries.slice(0, 5);
  } catch {
    // fall through: use the raw text
  }
  return args.trim() ? [args.trim().slice(0, 1000)] : [];
}

export interface Passage {
  fileId: string;
  filename: string;
  text: string;
}

/**
 * The passages of a run's file_search calls, in call order: `【<search>:<n>†…】` numbers searches
 * among the run's file_search calls only, so the calls of other hosted tools (answered after
 * file_search in a turn, yet earlier in call order) never shift a marker.
 */
export function searchPassages<T extends { name: string; passages: Passage[] }>(calls: readonly T[]): Passage[][] {
  return calls.filter((c) => c.name === FILE_SEARCH_FUNCTION).map((c) => c.passages);
}

export const citationMarker = (search: number, n: number, filename: string) => `【${search}:${n}†${filename}】`;

/** The tool output the model reads: each passage under its citation marker. */
export function formatPassages(search: number, passages: Passage[]): string {
  if (passages.length === 0) return 'No relevant passages were found in the provided files.';
  return passages.map((p, n) => `${citationMarker(search, n, p.filename)}\n${p.text}`).join('\n\n');
}

export interface FileCitation {
  type: 'file_citation';
  text: string;
  start_index: number;
  end_index: number;
  file_citation: { file_id: string };
}

const MARKER = /【(\d+):(\d+)†[^】]*】/g;

/**
 * The `file_citation` annotations of a final answer: every marker that names a passage the run
 * retrieved, with `start_index`/`end_index` spanning exactly the marker in `value` (OpenAI keeps the
 * marker in the text and points the annotation at it). `passages[search][n]` resolves a marker.
 */
export function citationsIn(value: string, passages: ReadonlyArray<ReadonlyArray<Passage>>): FileCitation[] {
  const out: FileCitation[] = [];
  for (const m of value.matchAll(MARKER)) {
    const passage = passages[Number(m[1])]?.[Number(m[2])];
    if (!passage) continue;
    // JS string indices are UTF-16 code units, like OpenAI's offsets into `value`.
    out.push({
      type: 'file_citation',
      text: m[0],
      start_index: m.index,
      end_index: m.index + m[0].length,
      file_citation: { file_id: passage.fileId },
    });
  }
  return out;
}

/**
 * The ranking part of an assistant's `file_search` tool config as search options: `ranker`,
 * `hybrid_search` weights and the `search_mode` extension (the schema has validated them).
 */
export function toolRanking(config: unknown): RankingRequest {
  const c = (config ?? {}) as { ranking_options?: { ranker?: string; hybrid_search?: RankingRequest['hybrid_search'] }; search_mode?: SearchMode };
  return { ranker: c.ranking_options?.ranker, hybrid_search: c.ranking_options?.hybrid_search, search_mode: c.search_mode };
}
