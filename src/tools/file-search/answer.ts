import { inArray } from 'drizzle-orm';
import { inProject } from '../../db/project-scope';
import type { Database } from '../../db/client';
import { vectorStores } from '../../db/schema';
import { getThreadRow } from '../../db/threads';
import { isExpired, touchVectorStore } from '../../db/vector-stores';
import { formatPassages, queriesOf, searchPassages, toolRanking, type Passage } from '../../domain/retrieval/file-search-tool';
import type { AssistantTool } from '../../contract/common';
import type { Run, RunStep, ToolCall } from '../../domain/runs/types';
import type { Filter } from '../../contract/filter-types';
import { searchStores, type RetrievalServices, type SearchHit } from '../../retrieval/search';
import { withAnswers, type HostedCall, type HostedCallLog } from '../hosted-tool';

type FileSearchToolConfig = NonNullable<Extract<AssistantTool, { type: 'file_search' }>['file_search']>;

const resourceIds = (resources: unknown): string[] => {
  const ids = (resources as { file_search?: { vector_store_ids?: unknown } } | null)?.file_search?.vector_store_ids;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
};

/** The file_search tool of the run, if it has one. */
export function fileSearchTool(run: Run): FileSearchToolConfig | null {
  const tool = run.tools.find((t) => t.type === 'file_search');
  return tool ? (tool.file_search ?? {}) : null;
}

/**
 * The vector stores a run searches: the assistant's (or createAndRun's) `tool_resources` and the
 * thread's, those that exist in the project and have not expired.
 */
export async function runVectorStores(db: Database, run: Run, projectId: string): Promise<string[]> {
  if (!fileSearchTool(run)) return [];
  const thread = await getThreadRow(db, projectId, run.thread_id);
  return activeStores(db, projectId, [...new Set([...resourceIds(run.tool_resources), ...resourceIds(thread?.toolResources)])]);
}

/** The stores of `ids` that exist in the project and have not expired; searching them is activity. */
export async function activeStores(db: Database, projectId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(vectorStores)
    .where(inProject(vectorStores, projectId, inArray(vectorStores.id, ids)));
  const active = rows.filter((r) => !isExpired(r));
  // Being part of a run is activity (OpenAI's `last_active_at`): it moves the expiry too.
  for (const r of active) await touchVectorStore(db, r);
  return active.map((r) => r.id);
}


/** A file_search tool's search settings, as an assistant's `file_search` or a response's tool holds them. */
export interface SearchConfig {
  max_num_results?: number;
  ranking_options?: { ranker?: string; score_threshold?: number; hybrid_search?: { embedding_weight: number; text_weight: number } };
  search_mode?: 'hybrid' | 'vector' | 'keyword';
  filters?: Filter | null;
}

/**
 * One file_search call searched: its queries (from the model's arguments) over the stores, with the tool's
 * settings. Runs and responses answer their calls with it.
 */
export async function searchForCall(services: RetrievalServices, storeIds: string[], config: SearchConfig, model: string, args: string): Promise<{ queries: string[]; hits: SearchHit[] }> {
  const queries = queriesOf(args);
  // OpenAI's defaults: 20 results for gpt-4* and newer models, 5 for gpt-3.5.
  const maxResults = config.max_num_results ?? (model.startsWith('gpt-3.5') ? 5 : 20);
  const scoreThreshold = config.ranking_options?.score_threshold ?? 0;
  if (queries.length === 0) return { queries, hits: [] };
  const filters = config.filters ?? undefined;
  const { hits } = await searchStores(services, storeIds, { queries, maxResults, scoreThreshold, ...(filters ? { filters } : {}), ...toolRanking(config) });
  return { queries, hits };
}

/**
 * Answers the turn's file_search calls: searches the run's stores, records what the model will read
 * (hosted_calls) and puts the results in the tool step, as OpenAI's `file_search` tool call with its
 * `ranking_options` and `results`.
 */
export async function answerFileSearch(
  services: RetrievalServices,
  store: HostedCallLog,
  run: Run,
  step: RunStep,
  calls: HostedCall[],
  storeIds: string[],
): Promise<RunStep> {
  const config = fileSearchTool(run) ?? {};
  const threshold = config.ranking_options?.score_threshold ?? 0;
  let searchIndex = searchPassages(store.hostedCallsOf(run.id)).length;
  const answered = new Map<string, ToolCall>();
  for (const call of calls) {
    const { hits } = await searchForCall(services, storeIds, config, run.model, call.arguments);
    const passages: Passage[] = hits.map((h) => ({ fileId: h.fileId, filename: h.filename, text: h.text }));
    store.insertHostedCall({ callId: call.id, runId: run.id, name: call.name, arguments: call.arguments, output: formatPassages(searchIndex, passages), passages });
    searchIndex += 1;
    answered.set(call.id, {
      id: call.id,
      type: 'file_search',
      file_search: {
        ranking_options: { ranker: config.ranking_options?.ranker === 'auto' || !config.ranking_options?.ranker ? 'default_2024_08_21' : config.ranking_options.ranker, score_threshold: threshold },
        results: hits.map((h) => ({ file_id: h.fileId, file_name: h.filename, score: h.score, content: [{ type: 'text', text: h.text }] })),
      },
    });
  }
  return withAnswers(step, answered);
}

