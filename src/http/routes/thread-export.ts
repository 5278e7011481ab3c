import { Hono } from 'hono';
import { z } from 'zod';
import { foreignReferences, takenIds } from '../../db/id-checks';
import { toThreadObject } from '../../db/threads';
import { consistencyProblem, referencesOf, ThreadExportDoc, type ThreadExport } from '../../domain/export/format';
import { planImport } from '../../domain/export/remap';
import { dbOf, projectOf, threadStub, type AppEnv } from '../context';
import { ApiError, invalidRequest } from '../errors';
import { unwrap } from '../rpc';
import { parseBody, parseWith, pathId } from '../validation';

/**
 * Thread backup and restore (our extension; docs/export-format.md): `GET /v1/threads/{id}/export`
 * returns the thread as one JSON document, `POST /v1/threads/import` recreates it in the caller's
 * project. The whole document is validated before anything is written, and the write is all or
 * nothing (src/durable/thread-transfer.ts).
 */
export const threadExportRoutes = new Hono<AppEnv>();

threadExportRoutes.get('/threads/:thread_id/export', async (c) => {
  const id = pathId(c, 'thread_id', 'thread_');
  return c.json(unwrap<ThreadExport>(await threadStub(c, id).exportThread(projectOf(c), id)));
});

/** `ids=new` (default) draws new ids; `ids=keep` keeps every id, and is refused if any is taken. */
const ImportQuery = z.object({ ids: z.enum(['new', 'keep']).default('new') });

threadExportRoutes.post('/threads/import', async (c) => {
  const { ids } = parseWith(ImportQuery, c.req.query());
  const doc = (await parseBody(c, ThreadExportDoc)) as unknown as ThreadExport;
  const problem = consistencyProblem(doc);
  if (problem) throw invalidRequest(`Invalid export document: ${problem[0]}`, problem[1], 'invalid_value');
  const db = dbOf(c);
  const projectId = projectOf(c);
  // References are recomputed from the objects (the document's own lists are informational): every
  // file and vector store named must be this project's. Another project's ids are refused here.
  const refs = referencesOf(doc);
  const foreign = await foreignReferences(db, projectId, refs.fileIds, refs.vectorStoreIds);
  if (foreign.files.length > 0) {
    throw invalidRequest(`The export refers to files this project does not have: ${foreign.files.slice(0, 10).join(', ')}. Upload them first.`, 'file_ids', 'invalid_reference');
  }
  if (foreign.vectorStores.length > 0) {
    throw invalidRequest(`The export refers to vector stores this project does not have: ${foreign.vectorStores.slice(0, 10).join(', ')}.`, 'vector_store_ids', 'invalid_reference');
  }
  if (ids === 'keep') {
    const taken = await takenIds(db, doc.thread.id, doc.messages.map((m) => m.id));
    if (taken.length > 0) {
      throw new ApiError(409, `Cannot keep the ids of the export: '${taken[0]}' is already in use. Import with ids=new.`, 'invalid_request_error', 'ids', 'id_in_use');
    }
  }
  const plan = planImport(doc, projectId, ids === 'keep');
  unwrap(await threadStub(c, plan.threadId).importThread(plan));
  return c.json({
    object: 'thread.import',
    thread: toThreadObject(plan.thread),
    id_mapping: plan.mapping,
    counts: { messages: plan.messages.length, runs: plan.runs.length, run_steps: plan.steps.length, conversation_items: plan.items.length },
  });
});
