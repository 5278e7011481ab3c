// Semantic search with the REAL local embedding model (scripts/embeddings-server: Universal Sentence
// Encoder lite, the default of `npm run dev`): a paraphrase sharing no word with its passage finds it,
// which keyword search (and the hashed-features stand-in the other tests use) cannot do. A second worker
// is started here with the real model as its embeddings upstream, as scripts/dev.mjs configures it.
import { fileURLToPath } from 'node:url';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorker } from '../../support/worker-runtime.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ADMIN = 'sk-admin-semantic-test-key-000001';

const PASSAGES: Record<string, string> = {
  'photosynthesis.txt': 'Plants turn sunlight into sugar. Leaves capture light and convert carbon dioxide and water into glucose and oxygen.',
  'volcano.txt': 'An eruption happens when molten rock rises through the crust and bursts out of the mountain as lava and ash.',
  'interest.txt': 'Compound interest means the bank pays you returns on your savings and also on the returns already earned.',
  'sleep.txt': 'Getting enough rest at night helps memory: the brain consolidates what was learned during the day.',
};

/** Each query shares no word (stopwords aside) with the passage it must find. */
const PARAPHRASES: Array<[string, string]> = [
  ['how does vegetation make food from solar energy', 'photosynthesis.txt'],
  ['what causes magma to explode from a peak', 'volcano.txt'],
  ['making money from previously accumulated profits in a deposit account', 'interest.txt'],
  ['why is slumber important for remembering things', 'sleep.txt'],
];

describe('semantic search with the local embedding model', () => {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let client: OpenAI;
  let storeId: string;

  beforeAll(async () => {
    worker = await startWorker(ROOT, ADMIN, {
      EMBEDDINGS_BASE_URL: inject('localEmbeddingsUrl'),
      EMBEDDINGS_MODEL: 'universal-sentence-encoder-lite',
      EMBEDDINGS_DIMENSIONS: '512',
    });
    client = new OpenAI({ baseURL: worker.baseURL, apiKey: ADMIN, maxRetries: 0 });
    const files = await Promise.all(Object.entries(PASSAGES).map(([name, text]) => toFile(Buffer.from(text), name)));
    const store = await client.vectorStores.create({ name: 'semantic' });
    storeId = store.id;
    const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files }, { pollIntervalMs: 100 });
    expect(batch.file_counts).toMatchObject({ completed: files.length, failed: 0 });
  }, 120_000);

  afterAll(async () => {
    await worker?.server.close();
  });

  it.each(PARAPHRASES)('"%s" finds %s (no shared keyword)', async (query, expected) => {
    const words = (t: string) => new Set(t.toLowerCase().match(/[a-z]+/g));
    const shared = [...words(query)].filter((w) => w.length > 3 && words(PASSAGES[expected]!).has(w));
    expect(shared, 'the paraphrase must not share a keyword with its passage').toEqual([]);
    const keyword = await client.vectorStores.search(storeId, { query, search_mode: 'keyword' } as never);
    expect(keyword.data.map((r) => r.filename)).not.toContain(expected);
    const semantic = await client.vectorStores.search(storeId, { query });
    expect(semantic.data[0]?.filename).toBe(expected);
    const vector = await client.vectorStores.search(storeId, { query, search_mode: 'vector' } as never);
    expect(vector.data[0]?.filename).toBe(expected);
  });
});
