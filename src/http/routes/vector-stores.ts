import { Hono } from 'hono';
import {
  fileCountsOf,
  getVectorStoreRow,
  insertVectorStore,
  isExpired,
  listVectorStores,
  toVectorStoreObject,
  touchVectorStore,
  updateVectorStore,
  type VectorStoreRow,
} from '../../db/vector-stores';
import { RankingOptionError } from '../../domain/retrieval/ranking-options';
import { QueryRewriteError, rewriteQueries } from '../../retrieval/query-rewrite';
import { StageTimings } from '../../observability/stage-timings';
import { prefetchQueryEmbeddings, searchStores } from '../../retrieval/search';
import { attachFiles, deleteStore } from '../../retrieval/stores';
import { dbOf, projectOf, type AppContext, type AppEnv } from '../context';
import { ApiError, invalidRequest, notFound } from '../errors';
import { listEnvelope, parseListQuery } from '../pagination';
import { resolveChunking, VectorStoreCreateParams, VectorStoreSearchParams, VectorStoreUpdateParams } from '../../contract/vector-stores';
import { parseBody, pathId } from '../validation';

/** `client.vectorStores` (v4 ≤ 4.86: `client.beta.vectorStores`): CRUD and search. */
export const vectorStoresRoutes = new Hono<AppEnv>();

/** The store named in the path, in the caller's project. */
export async function requireStore(c: AppContext): Promise<VectorStoreRow> {
  const id = pathId(c, 'vector_store_id', 'vs_');
  const row = await getVectorStoreRow(dbOf(c), projectOf(c), id);
  if (!row) throw notFound('vector store', id);
  return row;
}

/** Writing to or searching an expired store is refused (OpenAI: "Vector store 'vs_…' has expired"). */
export function requireActive(row: VectorStoreRow): void {
  if (isExpired(row)) throw invalidRequest(`Vector store '${row.id}' has expired.`, 'vector_store_id', 'vector_store_expired');
}

export async function storeObject(c: AppContext, row: VectorStoreRow) {
  return toVectorStoreObject(row, (await fileCountsOf(dbOf(c), [row.id])).get(row.id));
}

vectorStoresRoutes.post('/vector_stores', async (c) => {
  const p = await parseBody(c, VectorStoreCreateParams);
  const db = dbOf(c);
  const row = await insertVectorStore(db, projectOf(c), p);
  if (p.file_ids?.length) {
    const chunking = resolveChunking(p.chunking_strategy);
    const entries = p.file_ids.map((fileId) => ({ fileId, chunking, attributes: null }));
    try {
      await attachFiles(db, c.env.INGEST_QUEUE, projectOf(c), row.id, entries);
    } catch (err) {
      // No half-created store: an unknown file id leaves nothing behind.
      await deleteStore(c.var.services.retrieval, projectOf(c), row.id);
      throw err;
    }
  }
  return c.json(await storeObject(c, row));
});

vectorStoresRoutes.get('/vector_stores', async (c) => {
  return c.json(listEnvelope(await listVectorStores(dbOf(c), projectOf(c), parseListQuery(c.req.query()))));
});

vectorStoresRoutes.get('/vector_stores/:vector_store_id', async (c) => c.json(await storeObject(c, await requireStore(c))));

vectorStoresRoutes.post('/vector_stores/:vector_store_id', async (c) => {
  const row = await requireStore(c);
  const p = await parseBody(c, VectorStoreUpdateParams);
  return c.json(await storeObject(c, await updateVectorStore(dbOf(c), row, p)));
});

vectorStoresRoutes.delete('/vector_stores/:vector_store_id', async (c) => {
  const row = await requireStore(c);
  await deleteStore(c.var.services.retrieval, projectOf(c), row.id);
  return c.json({ id: row.id, object: 'vector_store.deleted', deleted: true });
});

vectorStoresRoutes.post('/vector_stores/:vector_store_id/search', async (c) => {
  const timings = new StageTimings();
  // The store lookup and the query's embedding (deployed: a D1 round trip and a Workers AI call)
  // overlap; a missing or expired store is still the answer when the body is invalid too.
  const store = timings.time('store', () => requireStore(c));
  store.catch(() => undefined); // awaited below
  const p = await parseBody(c, VectorStoreSearchParams).catch(async (err: unknown) => {
    requireActive(await store);
    throw err;
  });
  const original = Array.isArray(p.query) ? p.query : [p.query];
  const services = c.var.services.retrievalTimed(timings);
  const ranking = { ranker: p.ranking_options?.ranker, hybrid_search: p.ranking_options?.hybrid_search, search_mode: p.search_mode };
  // A store that turns out missing or expired has cost one embedding call.
  const queryVectors = p.rewrite_query ? null : prefetchQueryEmbeddings(services, { queries: original, ...ranking });
  const row = await store;
  requireActive(row);
  const queries = p.rewrite_query ? await rewriteForSearch(c, original) : original;
  const { hits, mode } = await timings.time('search', () => searchStores(services, [row.id], {
    queries,
    maxResults: p.max_num_results ?? 10,
    filters: p.filters,
    scoreThreshold: p.ranking_options?.score_threshold,
    ...ranking,
    ...(queryVectors ? { queryVectors } : {}),
  })).catch((err: unknown) => {
    if (err instanceof RankingOptionError) throw invalidRequest(err.message, err.param);
    throw err;
  });
  c.executionCtx.waitUntil(touchVectorStore(services.db, row).catch(() => undefined));
  // How results were found: the search mode that ran (`hybrid`, `vector` or `keyword`).
  c.header('x-retrieval-mode', mode);
  c.header('server-timing', timings.header());
  return c.json({
    object: 'vector_store.search_results.page',
    // With rewrite_query, the rewritten queries (what was searched), as OpenAI echoes them.
    search_query: queries,
    data: hits.map((h) => ({
      file_id: h.fileId,
      filename: h.filename,
      score: h.score,
      attributes: h.attributes ?? {},
      content: [{ type: 'text', text: h.text }],
      // Opt-in only: OpenAI's result item has exactly the fields above (docs/openai-behaviour.md).
      ...(p.ranking_details ? { ranking_details: h.details } : {}),
    })),
    has_more: false,
    next_page: null,
  });
});

/** `rewrite_query`: the configured model rewrites each query; no model is a 400, a failing one a 502. */
async function rewriteForSearch(c: AppContext, queries: string[]): Promise<string[]> {
  const { config, models } = c.var.services;
  try {
    return await rewriteQueries(models, config.queryRewriteModel, queries, c.req.raw.signal);
  } catch (err) {
    if (!(err instanceof QueryRewriteError)) throw err;
    if (err.kind === 'unavailable') throw invalidRequest(err.message, 'rewrite_query');
    throw new ApiError(502, err.message, 'server_error');
  }
}
