// The file_search tool's ranking options in runs: the `search_mode` extension and
// `ranking_options.hybrid_search` weights change what the run's search finds (a misspelled query:
// keyword search finds nothing, vector search finds the passage through the stand-in embeddings'
// character trigrams), and unknown values are refused when the assistant is created (400).
import { afterAll, describe, expect, it } from 'vitest';
import type { RunStep } from 'openai/resources/beta/threads/runs/steps';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { runsApi } from '../runs/majors.js';
import { marker } from '../runs/run-support.js';
import { vsFixture } from './vs-support.js';

const AURORA = { name: 'aurora.txt', content: 'Project Aurora launches on 14 March 2031 from the Kourou spaceport aboard a Vega-C rocket.' };
const TYPO = 'projekt auorra lanches kouru';

afterAll(() => expectNoContractViolations());

type FsCall = { type: string; file_search: { results?: { file_name: string; score: number }[] } };
const fsCall = (s: RunStep) => (s.step_details.type === 'tool_calls' ? (s.step_details.tool_calls as unknown as FsCall[])[0]! : null);

async function resultsWith(fileSearch: Record<string, unknown>, label: string) {
  const fx = await vsFixture(`fs-opts-${label}`);
  const store = await fx.v6.vectorStores.create({ name: 'kb' });
  const batch = await fx.api('v6').batches.uploadAndPoll(store.id, [AURORA]);
  expect(batch.file_counts.completed).toBe(1);
  const assistant = await fx.v6.beta.assistants.create({
    model: 'gpt-4o-mini',
    tools: [{ type: 'file_search', file_search: fileSearch } as never],
    tool_resources: { file_search: { vector_store_ids: [store.id] } },
  });
  const m = marker(`fs-opts-${label}`);
  await pushScripts(m, { toolCalls: [{ name: 'file_search', arguments: JSON.stringify({ queries: [TYPO] }) }] }, { text: 'Done.' });
  const api = runsApi(fx, 'v6');
  const thread = await api.createThread({ messages: [{ role: 'user', content: `When does Aurora launch? ${m}` }] });
  const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
  expect(run.status).toBe('completed');
  const steps = await fx.v6.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
  return fsCall(steps.data[0]!)!.file_search.results!.map((r) => r.file_name);
}

describe('file_search tool ranking options in runs', () => {
  it('search_mode keyword finds nothing for a misspelled query; vector finds the passage', async () => {
    expect(await resultsWith({ search_mode: 'keyword' }, 'kw')).toEqual([]);
    expect(await resultsWith({ search_mode: 'vector' }, 'vec')).toEqual(['aurora.txt']);
  });

  it('hybrid_search weights: text only finds nothing, embeddings only find the passage', async () => {
    const weights = (embedding_weight: number, text_weight: number) => ({ ranking_options: { score_threshold: 0, hybrid_search: { embedding_weight, text_weight } } });
    expect(await resultsWith(weights(0, 1), 'text')).toEqual([]);
    expect(await resultsWith(weights(1, 0), 'emb')).toEqual(['aurora.txt']);
  });

  it.each([
    ["ranker 'none' (not a file_search tool ranker)", { ranking_options: { ranker: 'none', score_threshold: 0 } }],
    ['an unknown search_mode', { search_mode: 'semantic' }],
    ['a negative weight', { ranking_options: { score_threshold: 0, hybrid_search: { embedding_weight: -1, text_weight: 1 } } }],
    ['all-zero weights', { ranking_options: { score_threshold: 0, hybrid_search: { embedding_weight: 0, text_weight: 0 } } }],
  ])('400 for %s', async (_, fileSearch) => {
    const fx = await vsFixture('fs-opts-bad');
    const res = await fx.rawFetch('/assistants', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'openai-beta': 'assistants=v2' },
      body: JSON.stringify({ model: 'gpt-4o-mini', tools: [{ type: 'file_search', file_search: fileSearch }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});
