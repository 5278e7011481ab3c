// Retrieval quality on the generated question set (corpus.ts): the same store searched three ways.
//   hybrid   POST /v1/vector_stores/{id}/search through the SDK: what the server answers.
//   keyword  the server's searchStores (src/retrieval/search.ts) with no embedder, run in Node
//            against the worker's D1: its keyword-only mode, the same code path.
//   vector   the vector index alone (LocalVectorIndex.query on the worker's D1, the query embedded
//            by the server's embeddings adapter against the same upstream), fused as one list, with
//            the chunks read back as searchStores does.
import OpenAI, { toFile } from 'openai';
import { LocalVectorIndex } from '../../src/adapters/vector-index/local';
import { chunksByIds } from '../../src/db/chunks';
import { database } from '../../src/db/client';
import { reciprocalRankFusion } from '../../src/domain/ranking';
import type { Embedder } from '../../src/domain/ports';
import { searchStores } from '../../src/retrieval/search';
import { buildCorpus, rankOf, score, type Ranked, type Scores } from './corpus';
import type { Question } from './corpus-domains';

export type Method = 'keyword' | 'vector' | 'hybrid';
export const METHODS: Method[] = ['keyword', 'vector', 'hybrid'];
export const KINDS: Question['kind'][] = ['exact', 'paraphrase', 'misspelled'];

export interface QualityResult {
  documents: number;
  chunks: number;
  bytes: number;
  /** Questions whose answer phrase is cut across chunks (not in any single chunk): left out. */
  unanswerable: number;
  overall: Record<Method, Scores>;
  byKind: Record<Question['kind'], Record<Method, Scores>>;
  /** Questions answered in the top 5 by both single methods, by one of them only, or by neither. */
  split: { both: number; keywordOnly: number; vectorOnly: number; neither: number };
}

const TOP = 10;

export async function measureQuality(client: OpenAI, DB: D1Database, embedder: Embedder): Promise<QualityResult> {
  const corpus = buildCorpus();
  const store = await client.vectorStores.create({ name: 'quality' });
  const uploaded = await Promise.all(corpus.map(async (d) => client.files.create({ file: await toFile(Buffer.from(d.text), d.filename), purpose: 'assistants' })));
  const batch = await client.vectorStores.fileBatches.createAndPoll(store.id, { file_ids: uploaded.map((f) => f.id) }, { pollIntervalMs: 100 });
  if (batch.file_counts.completed !== corpus.length) throw new Error(`quality corpus: ${JSON.stringify(batch.file_counts)}`);

  const db = database(DB);
  const index = new LocalVectorIndex(db);
  const chunkRows = (await DB.prepare('SELECT file_id AS fileId, text FROM chunks WHERE vector_store_id = ?').bind(store.id).all<Ranked>()).results;
  const questions = corpus.flatMap((d, i) => d.questions.map((q) => ({ ...q, fileId: uploaded[i]!.id })));
  const answerable = questions.filter((q) => chunkRows.some((c) => c.fileId === q.fileId && c.text.includes(q.answer)));

  const search: Record<Method, (q: string) => Promise<Ranked[]>> = {
    hybrid: async (q) => (await client.vectorStores.search(store.id, { query: q, max_num_results: TOP })).data.map((r) => ({ fileId: r.file_id, text: r.content.map((c) => c.text).join('') })),
    keyword: async (q) => (await searchStores({ db, embedder: null, index }, [store.id], { queries: [q], maxResults: TOP })).hits,
    vector: async (q) => {
      const [vector] = await embedder.embed([q]);
      const fused = reciprocalRankFusion([await index.query(store.id, vector!, 50)]).slice(0, TOP);
      const rows = new Map((await chunksByIds(db, fused.map((f) => Number(f.id)))).map((c) => [String(c.id), c]));
      return fused.filter((f) => rows.has(f.id)).map((f) => rows.get(f.id)!);
    },
  };
  const ranks = Object.fromEntries(METHODS.map((m) => [m, [] as number[]])) as Record<Method, number[]>;
  for (const q of answerable) for (const m of METHODS) ranks[m].push(rankOf(await search[m](q.question), q.fileId, q.answer));

  const top5 = (m: Method, i: number) => ranks[m][i]! > 0 && ranks[m][i]! <= 5;
  const split = { both: 0, keywordOnly: 0, vectorOnly: 0, neither: 0 };
  answerable.forEach((_, i) => {
    const k = top5('keyword', i), v = top5('vector', i);
    split[k && v ? 'both' : k ? 'keywordOnly' : v ? 'vectorOnly' : 'neither']++;
  });
  const pick = (kind?: Question['kind']) =>
    Object.fromEntries(METHODS.map((m) => [m, score(ranks[m].filter((_, i) => !kind || answerable[i]!.kind === kind))])) as Record<Method, Scores>;
  return {
    documents: corpus.length,
    chunks: chunkRows.length,
    bytes: corpus.reduce((n, d) => n + Buffer.byteLength(d.text), 0),
    unanswerable: questions.length - answerable.length,
    overall: pick(),
    byKind: Object.fromEntries(KINDS.map((k) => [k, pick(k)])) as QualityResult['byKind'],
    split,
  };
}
