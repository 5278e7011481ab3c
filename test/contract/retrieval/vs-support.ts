// One call shape over both SDK majors for the vector-store contract tests. The differences of docs/openai-behaviour.md
// §6.7 live here: v4 (4.87+: `client.vectorStores`, out of beta) passes (vsId, fileId|batchId, ...)
// positionally and deletes with `del`; v6 passes (fileId|batchId, {vector_store_id, ...}) and `delete`.
// The poll helpers stay positional in both. Return values use the v6 types (same wire objects).
import { expect, inject } from 'vitest';
import { toFile } from 'openai';
import { toFile as toFileV4 } from 'openai-v4';
import type { FileObject } from 'openai/resources/files';
import type {
  VectorStore,
  VectorStoreCreateParams,
  VectorStoreDeleted,
  VectorStoreListParams,
  VectorStoreSearchParams,
  VectorStoreSearchResponse,
  VectorStoreUpdateParams,
} from 'openai/resources/vector-stores/vector-stores';
import type { FileContentResponse, FileCreateParams, FileListParams, VectorStoreFile, VectorStoreFileDeleted } from 'openai/resources/vector-stores/files';
import type { FileBatchCreateParams, VectorStoreFileBatch } from 'openai/resources/vector-stores/file-batches';
import { makeClients } from '../../support/clients.js';
import { createProjectKey } from '../../support/tenancy.js';

export type Major = 'v6' | 'v4';
export const MAJORS: Major[] = ['v6', 'v4'];

/** A file to upload: name and text (or bytes). */
export interface Doc { name: string; content: string | Uint8Array }
type Page<T> = { data: T[]; has_more: boolean };
export type SearchPage = { data: VectorStoreSearchResponse[]; body: { object: string; search_query: unknown; has_more: boolean; next_page: unknown } };
/** Poll quickly: these tests wait for ingestion, not for the SDK's 5 s default. */
const FAST = { pollIntervalMs: 50 };

export interface VsApi {
  major: Major;
  /** POST /files (purpose assistants) with the major's own multipart encoder. */
  uploadFile(doc: Doc): Promise<FileObject>;
  deleteFile(id: string): Promise<{ id: string; deleted: boolean; object: string }>;
  create(body: VectorStoreCreateParams): Promise<VectorStore>;
  retrieve(id: string): Promise<VectorStore>;
  update(id: string, body: VectorStoreUpdateParams): Promise<VectorStore>;
  list(q?: VectorStoreListParams): Promise<Page<VectorStore>> & AsyncIterable<VectorStore>;
  delete(id: string): Promise<VectorStoreDeleted>;
  search(id: string, body: VectorStoreSearchParams): Promise<SearchPage>;
  files: {
    create(vsId: string, body: FileCreateParams): Promise<VectorStoreFile>;
    createAndPoll(vsId: string, body: FileCreateParams, opts?: { pollIntervalMs?: number }): Promise<VectorStoreFile>;
    uploadAndPoll(vsId: string, doc: Doc): Promise<VectorStoreFile>;
    poll(vsId: string, fileId: string): Promise<VectorStoreFile>;
    retrieve(vsId: string, fileId: string): Promise<VectorStoreFile>;
    update(vsId: string, fileId: string, attributes: Record<string, string | number | boolean> | null): Promise<VectorStoreFile>;
    list(vsId: string, q?: FileListParams): Promise<Page<VectorStoreFile>> & AsyncIterable<VectorStoreFile>;
    delete(vsId: string, fileId: string): Promise<VectorStoreFileDeleted>;
    content(vsId: string, fileId: string): Promise<{ data: FileContentResponse[]; body: Record<string, unknown> }>;
  };
  batches: {
    create(vsId: string, body: FileBatchCreateParams): Promise<VectorStoreFileBatch>;
    createAndPoll(vsId: string, body: FileBatchCreateParams): Promise<VectorStoreFileBatch>;
    uploadAndPoll(vsId: string, docs: Doc[], fileIds?: string[]): Promise<VectorStoreFileBatch>;
    retrieve(vsId: string, batchId: string): Promise<VectorStoreFileBatch>;
    cancel(vsId: string, batchId: string): Promise<VectorStoreFileBatch>;
    listFiles(vsId: string, batchId: string, q?: FileListParams): Promise<Page<VectorStoreFile>>;
  };
}

const cast = <T>(x: unknown): T => x as T;
const bytes = (d: Doc) => Buffer.from(typeof d.content === 'string' ? new TextEncoder().encode(d.content) : d.content);

export function vsApi(clients: ReturnType<typeof makeClients>, major: Major): VsApi {
  if (major === 'v6') {
    const c = clients.v6;
    const vs = c.vectorStores;
    const up = async (d: Doc) => toFile(bytes(d), d.name);
    return {
      major,
      uploadFile: async (d) => c.files.create({ file: await up(d), purpose: 'assistants' }),
      deleteFile: (id) => c.files.delete(id),
      create: (body) => vs.create(body),
      retrieve: (id) => vs.retrieve(id),
      update: (id, body) => vs.update(id, body),
      list: (q) => cast(vs.list(q)),
      delete: (id) => vs.delete(id),
      search: async (id, body) => cast(await vs.search(id, body)),
      files: {
        create: (id, body) => vs.files.create(id, body),
        createAndPoll: (id, body, opts = FAST) => vs.files.createAndPoll(id, body, opts),
        uploadAndPoll: async (id, d) => vs.files.uploadAndPoll(id, await up(d), FAST),
        poll: (id, fid) => vs.files.poll(id, fid, FAST),
        retrieve: (id, fid) => vs.files.retrieve(fid, { vector_store_id: id }),
        update: (id, fid, attributes) => vs.files.update(fid, { vector_store_id: id, attributes }),
        list: (id, q) => cast(vs.files.list(id, q)),
        delete: (id, fid) => vs.files.delete(fid, { vector_store_id: id }),
        content: async (id, fid) => cast(await vs.files.content(fid, { vector_store_id: id })),
      },
      batches: {
        create: (id, body) => vs.fileBatches.create(id, body),
        createAndPoll: (id, body) => vs.fileBatches.createAndPoll(id, body, FAST),
        uploadAndPoll: async (id, docs, fileIds) => vs.fileBatches.uploadAndPoll(id, { files: await Promise.all(docs.map(up)), fileIds }, FAST),
        retrieve: (id, bid) => vs.fileBatches.retrieve(bid, { vector_store_id: id }),
        cancel: (id, bid) => vs.fileBatches.cancel(bid, { vector_store_id: id }),
        listFiles: async (id, bid, q) => cast(await vs.fileBatches.listFiles(bid, { vector_store_id: id, ...q })),
      },
    };
  }
  const c = clients.v4;
  const vs = c.vectorStores;
  const up = async (d: Doc) => toFileV4(bytes(d), d.name);
  return {
    major,
    uploadFile: async (d) => cast(await c.files.create({ file: await up(d), purpose: 'assistants' })),
    deleteFile: async (id) => cast(await c.files.del(id)),
    create: async (body) => cast(await vs.create(cast(body))),
    retrieve: async (id) => cast(await vs.retrieve(id)),
    update: async (id, body) => cast(await vs.update(id, cast(body))),
    list: (q) => cast(vs.list(cast(q ?? {}))),
    delete: async (id) => cast(await vs.del(id)),
    search: async (id, body) => cast(await vs.search(id, cast(body))),
    files: {
      create: async (id, body) => cast(await vs.files.create(id, cast(body))),
      createAndPoll: async (id, body, opts = FAST) => cast(await vs.files.createAndPoll(id, cast(body), opts)),
      uploadAndPoll: async (id, d) => cast(await vs.files.uploadAndPoll(id, await up(d), FAST)),
      poll: async (id, fid) => cast(await vs.files.poll(id, fid, FAST)),
      retrieve: async (id, fid) => cast(await vs.files.retrieve(id, fid)),
      update: async (id, fid, attributes) => cast(await vs.files.update(id, fid, cast({ attributes }))),
      list: (id, q) => cast(vs.files.list(id, cast(q ?? {}))),
      delete: async (id, fid) => cast(await vs.files.del(id, fid)),
      content: async (id, fid) => cast(await vs.files.content(id, fid)),
    },
    batches: {
      create: async (id, body) => cast(await vs.fileBatches.create(id, cast(body))),
      createAndPoll: async (id, body) => cast(await vs.fileBatches.createAndPoll(id, cast(body), FAST)),
      uploadAndPoll: async (id, docs, fileIds) =>
        cast(await vs.fileBatches.uploadAndPoll(id, { files: await Promise.all(docs.map(up)), fileIds }, FAST)),
      retrieve: async (id, bid) => cast(await vs.fileBatches.retrieve(id, bid)),
      cancel: async (id, bid) => cast(await vs.fileBatches.cancel(id, bid)),
      listFiles: async (id, bid, q) => cast(await vs.fileBatches.listFiles(id, bid, cast(q ?? {}))),
    },
  };
}

let n = 0;
/** A fresh project (own key) and both majors' clients; every test makes its own. */
export async function vsFixture(label: string) {
  const key = await createProjectKey(inject('baseURL'), inject('adminKey'), `${label}-${Date.now().toString(36)}-${n++}`);
  const clients = makeClients({ baseURL: inject('baseURL'), apiKey: key.apiKey });
  return { ...clients, key, api: (major: Major) => vsApi(clients, major) };
}

/** Files per status, as `file_counts` reports them. */
export const counts = (c: Partial<Record<'in_progress' | 'completed' | 'failed' | 'cancelled', number>>) => {
  const full = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, ...c };
  return { ...full, total: full.in_progress + full.completed + full.failed + full.cancelled };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Re-reads the store until no file is in progress (this waits for a condition; it asserts nothing about time). */
export async function settled(api: VsApi, id: string, timeoutMs = 20_000): Promise<VectorStore> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.retrieve(id);
    if (s.file_counts.in_progress === 0) return s;
    if (Date.now() > end) throw new Error(`vector store ${id} still indexing: ${JSON.stringify(s.file_counts)}`);
    await sleep(50);
  }
}

/** The search page's envelope checks shared by every search test (docs/openai-behaviour.md §2.7). */
export function expectSearchPage(page: SearchPage, queries: string[]): void {
  expect(page.body.object).toBe('vector_store.search_results.page');
  expect(page.body.search_query).toEqual(queries);
  expect(page.body.has_more).toBe(false);
  expect(page.body.next_page).toBeNull();
  for (const r of page.data) {
    expect(r.file_id).toMatch(/^file-/);
    expect(typeof r.filename).toBe('string');
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(r.content.length).toBeGreaterThan(0);
    for (const part of r.content) expect(part).toEqual({ type: 'text', text: expect.any(String) });
  }
}
