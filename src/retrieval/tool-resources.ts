import { getFileRow } from '../db/files';
import type { Database } from '../db/client';
import { getThreadRow, updateThread, type ThreadObjectJson } from '../db/threads';
import { getVectorStoreRow, insertVectorStore } from '../db/vector-stores';
import { invalidInput, unknownObject } from '../domain/errors';
import type { ToolResources } from '../contract/common';
import { resolveChunking } from '../contract/vector-stores';
import { attachFiles } from './stores';

type FileSearchResources = NonNullable<NonNullable<ToolResources>['file_search']>;

/** OpenAI: vector stores created by thread helpers expire after 7 days without activity. */
const THREAD_STORE_EXPIRY = { anchor: 'last_active_at' as const, days: 7 };

/**
 * `tool_resources.file_search.vector_stores` (assistant or thread create/modify) is OpenAI's
 * "create a vector store for me": the store is created with its files (indexed through the queue)
 * and the resources come back holding its id in `vector_store_ids`. Exactly one of the two forms.
 */
export async function resolveToolResources(
  db: Database,
  queue: Queue,
  projectId: string,
  resources: ToolResources | undefined,
  owner: 'assistant' | 'thread' = 'assistant',
): Promise<ToolResources | undefined> {
  const fs = resources?.file_search;
  if (fs && fs.vector_store_ids !== undefined && fs.vector_stores !== undefined) {
    throw invalidInput(
      "Invalid 'tool_resources.file_search': only one of 'vector_store_ids' or 'vector_stores' may be provided.",
      'tool_resources.file_search',
      'invalid_value',
    );
  }
  await checkToolResourceIds(db, projectId, resources);
  if (!resources || !fs) return resources;
  if (!fs.vector_stores) return resources;
  const ids: string[] = [];
  for (const spec of fs.vector_stores) {
    for (const fileId of spec.file_ids ?? []) await requireFile(db, projectId, fileId);
    const store = await insertVectorStore(db, projectId, { metadata: spec.metadata ?? {}, ...(owner === 'thread' ? { expires_after: THREAD_STORE_EXPIRY } : {}) });
    const chunking = resolveChunking(spec.chunking_strategy);
    await attachFiles(db, queue, projectId, store.id, (spec.file_ids ?? []).map((fileId) => ({ fileId, chunking, attributes: null })));
    ids.push(store.id);
  }
  const { vector_stores: _created, ...rest } = fs;
  return { ...resources, file_search: { ...(rest as FileSearchResources), vector_store_ids: ids } };
}

async function requireFile(db: Database, projectId: string, fileId: string, param = 'file_id'): Promise<void> {
  if (!(await getFileRow(db, projectId, fileId))) throw unknownObject('file', fileId, param);
}

/**
 * The ids a `tool_resources` names must be the project's own files and vector stores, checked when
 * it is written (OpenAI answers 404 "No file found with id ..." / "No vector store found with id
 * ..."); another project's id is as unknown as a made-up one.
 */
async function checkToolResourceIds(db: Database, projectId: string, resources: ToolResources | undefined): Promise<void> {
  for (const fileId of resources?.code_interpreter?.file_ids ?? []) {
    await requireFile(db, projectId, fileId, 'tool_resources.code_interpreter.file_ids');
  }
  for (const storeId of resources?.file_search?.vector_store_ids ?? []) {
    if (!(await getVectorStoreRow(db, projectId, storeId))) {
      throw unknownObject('vector store', storeId, 'tool_resources.file_search.vector_store_ids');
    }
  }
}

type ContentPart = { type: string; image_file?: { file_id: string } };

/**
 * The files a message names must be the project's own, checked before the message is written: its
 * attachments and the images of its `image_file` parts.
 */
export async function checkAttachments(
  db: Database,
  projectId: string,
  messages: { attachments?: { file_id: string }[] | null; content?: string | ContentPart[] | null }[],
): Promise<void> {
  for (const m of messages) {
    for (const a of m.attachments ?? []) await requireFile(db, projectId, a.file_id);
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content) if (part.type === 'image_file' && part.image_file) await requireFile(db, projectId, part.image_file.file_id);
  }
}

/**
 * Files attached to messages for `file_search` go into the thread's own vector store, created on
 * first use and recorded in the thread's `tool_resources` (OpenAI's behaviour), so runs search them.
 * Returns the thread as stored when that changed it (its `tool_resources` now name the new store), else null.
 */
export async function indexAttachments(
  db: Database,
  queue: Queue,
  projectId: string,
  threadId: string,
  messages: { attachments?: { file_id: string; tools: { type: string }[] }[] | null }[],
): Promise<ThreadObjectJson | null> {
  const fileIds = [
    ...new Set(messages.flatMap((m) => (m.attachments ?? []).filter((a) => a.tools.some((t) => t.type === 'file_search')).map((a) => a.file_id))),
  ];
  if (fileIds.length === 0) return null;
  const thread = await getThreadRow(db, projectId, threadId);
  if (!thread) return null;
  const resources = (thread.toolResources ?? {}) as NonNullable<ToolResources>;
  let storeId = resources.file_search?.vector_store_ids?.[0];
  let updated: ThreadObjectJson | null = null;
  if (!storeId) {
    storeId = (await insertVectorStore(db, projectId, { name: `Vector store for ${threadId}`, expires_after: THREAD_STORE_EXPIRY })).id;
    updated = (await updateThread(db, projectId, threadId, { toolResources: { ...resources, file_search: { vector_store_ids: [storeId] } } })) ?? null;
  }
  const chunking = resolveChunking(undefined);
  await attachFiles(db, queue, projectId, storeId, fileIds.map((fileId) => ({ fileId, chunking, attributes: null })));
  return updated;
}
