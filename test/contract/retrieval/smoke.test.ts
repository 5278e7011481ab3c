import { inject, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { makeClients } from '../../support/clients.js';
import { createProjectKey } from '../../support/tenancy.js';

describe('retrieval smoke', () => {
  it('uploads, indexes and searches', async () => {
    const key = await createProjectKey(inject('baseURL'), inject('adminKey'), 'retrieval-smoke');
    const { v6 } = makeClients({ baseURL: inject('baseURL'), apiKey: key.apiKey });
    const store = await v6.vectorStores.create({ name: 'docs' });
    const batch = await v6.vectorStores.fileBatches.uploadAndPoll(store.id, {
      files: [
        await toFile(Buffer.from('The capital of France is Paris. Paris hosts the Louvre museum.'), 'france.txt'),
        await toFile(Buffer.from('# Llamas\n\nLlamas are domesticated South American camelids used as pack animals.'), 'llamas.md'),
      ],
    });
    console.log(batch.status, batch.file_counts);
    expect(batch.file_counts.completed).toBe(2);
    const results = await v6.vectorStores.search(store.id, { query: 'Which museum is in Paris?' });
    console.log(JSON.stringify(results.data.map((r) => [r.filename, r.score])));
    expect(results.data[0]!.filename).toBe('france.txt');
  });
});
