// POST /v1/vector_stores/{id}/search answers nothing from a store the lookup refuses (src/http/routes/vector-stores.ts):
// an expired store answers OpenAI's 400 and another project's store a 404, even though both hold a chunk
// a search would find.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { database } from '../../src/db/client';
import { insertChunks } from '../../src/db/chunks';
import { insertVectorStore } from '../../src/db/vector-stores';
import { newId } from '../../src/domain/ids';
import { api, marker } from './support';

/** The admin key's project (migrations/0001_default_project.sql). */
const DEFAULT_PROJECT = 'proj_default';

/** A store in `project` holding one chunk with `word`, as ingestion leaves it (FTS5 indexes it by trigger). */
async function storeWithChunk(project: string, word: string): Promise<string> {
  const db = database(env.DB);
  const row = await insertVectorStore(db, project, { name: 'refusals' });
  await insertChunks(db, [{ projectId: project, vectorStoreId: row.id, fileId: newId('file-'), chunkIndex: 0, text: `The ${word} is kept here.`, tokens: 6, claim: 0 }]);
  return row.id;
}

describe('vector store search refusals', () => {
  it('an expired store is a 400 vector_store_expired, with no results', async () => {
    const word = marker('expired').replace(/\W/g, '');
    const storeId = await storeWithChunk(DEFAULT_PROJECT, word);
    const live = await api('POST', `/vector_stores/${storeId}/search`, { query: word, search_mode: 'keyword' });
    expect(live.status).toBe(200);
    expect(live.body.data).toHaveLength(1); // the chunk is findable: the refusal below is not an empty store
    await env.DB.prepare('UPDATE vector_stores SET expires_at = 1000 WHERE id = ?').bind(storeId).run();
    const expired = await api('POST', `/vector_stores/${storeId}/search`, { query: word, search_mode: 'keyword' });
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({ code: 'vector_store_expired', param: 'vector_store_id', message: `Vector store '${storeId}' has expired.` });
    expect(expired.body.data).toBeUndefined();
  });

  it("another project's store is a 404, with no results", async () => {
    const word = marker('theirs').replace(/\W/g, '');
    const storeId = await storeWithChunk(newId('proj_'), word);
    const res = await api('POST', `/vector_stores/${storeId}/search`, { query: word, search_mode: 'keyword' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(`No vector store found with id '${storeId}'.`);
    expect(res.body.data).toBeUndefined();
  });
});
