import { Hono } from 'hono';
import { listAssistants } from '../../db/assistants';
import type { Database } from '../../db/client';
import { listFiles } from '../../db/files';
import type { ListParams, Page } from '../../db/pagination';
import { getProjectRow, toProjectObject } from '../../db/projects';
import { listThreads } from '../../db/threads';
import { listVectorStoreFiles } from '../../db/vector-store-files';
import { listVectorStores } from '../../db/vector-stores';
import type { ThreadExport } from '../../domain/export/format';
import type { Env } from '../../env';
import { dbOf, type AppEnv } from '../context';
import { notFound } from '../errors';
import { requireAdmin } from '../middleware';
import { pathId } from '../validation';

/**
 * `GET /v1/organization/projects/{id}/export` (admin key): the whole project as JSON Lines, streamed
 * so a large project never has to fit in memory: the project, then its assistants, files (metadata;
 * bytes stay in R2 and are fetched with GET /v1/files/{id}/content), vector stores with their files,
 * and every thread as a thread export document (docs/export-format.md). One `{"type","data"}` object
 * per line; a thread that cannot be exported gives an `error` line instead of ending the stream.
 */
export const projectExportRoutes = new Hono<AppEnv>();

const PAGE = 100;

/** Every item of a project-scoped list, page by page through the one pagination query. */
async function* everything<T extends { id: string }>(list: (params: ListParams) => Promise<Page<T>>): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const page = await list({ limit: PAGE, order: 'asc', ...(after !== undefined ? { after } : {}) });
    yield* page.data;
    if (!page.hasMore || page.data.length === 0) return;
    after = page.data.at(-1)!.id;
  }
}

async function* projectLines(env: Env, db: Database, projectId: string, project: unknown): AsyncGenerator<unknown> {
  yield { type: 'project', data: project };
  for await (const a of everything((p) => listAssistants(db, projectId, p))) yield { type: 'assistant', data: a };
  for await (const f of everything((p) => listFiles(db, projectId, p))) yield { type: 'file', data: f };
  for await (const vs of everything((p) => listVectorStores(db, projectId, p))) {
    yield { type: 'vector_store', data: vs };
    for await (const f of everything((p) => listVectorStoreFiles(db, vs.id, p))) yield { type: 'vector_store_file', data: f };
  }
  for await (const t of everything((p) => listThreads(db, projectId, p, { metadata: {} }))) {
    const result = await env.THREADS.get(env.THREADS.idFromName(t.id)).exportThread(projectId, t.id);
    const r = result as { ok: true; value: ThreadExport } | { ok: false; error: { message: string; code: string | null } };
    yield r.ok ? { type: 'thread', data: r.value } : { type: 'error', data: { thread_id: t.id, message: r.error.message, code: r.error.code } };
  }
}

projectExportRoutes.get('/organization/projects/:project_id/export', requireAdmin, async (c) => {
  const id = pathId(c, 'project_id', 'proj_');
  const db = dbOf(c);
  const row = await getProjectRow(db, id);
  if (!row) throw notFound('project', id);
  const lines = projectLines(c.env, db, id, toProjectObject(row));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
      } catch (err) {
        // Headers are sent: the failure ends the stream with an error line the reader can see.
        console.error(`[${c.get('requestId')}] project export ${id}:`, err);
        controller.enqueue(encoder.encode(`${JSON.stringify({ type: 'error', data: { message: 'The export failed part way; retry it.', code: 'server_error' } })}\n`));
        controller.close();
      }
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="${id}.jsonl"`,
      'x-request-id': c.get('requestId'),
    },
  });
});
