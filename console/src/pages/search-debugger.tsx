// The vector-store search box as a retrieval debugger: each result with what every ranking stage
// computed for it (the `ranking_details` search extension, docs/openai-behaviour.md): keyword rank
// and BM25, vector rank and cosine similarity, fused rank and score (weighted reciprocal rank
// fusion), and the final score, plus the search mode that ran. A server without the extension
// refuses the field (strict validation, a 400 naming it): the search is then repeated without it and
// shows OpenAI's `score` only.
import { useState } from 'preact/hooks';
import { ApiError, raw } from '../api/client';
import { ErrorBox } from '../ui/common';

const enc = encodeURIComponent;

export interface RankingDetails {
  mode: string;
  ranker: string;
  keyword_rank: number | null;
  keyword_score: number | null;
  vector_rank: number | null;
  vector_score: number | null;
  fused_rank: number;
  fused_score: number;
  score: number;
}
interface SearchResult {
  file_id: string;
  filename: string;
  score: number;
  attributes: Record<string, unknown>;
  content: Array<{ text: string }>;
  ranking_details?: RankingDetails;
}

const num = (n: number | null | undefined, digits: number) => (n === null || n === undefined ? '–' : n.toFixed(digits));
const rank = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `#${n}`);

async function runSearch(store: string, body: Record<string, unknown>): Promise<Response> {
  const send = (b: Record<string, unknown>) =>
    raw('POST', `vector_stores/${enc(store)}/search`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  try {
    return await send({ ...body, ranking_details: true });
  } catch (err) {
    const param = err instanceof ApiError ? (err.body as { error?: { param?: string } } | null)?.error?.param : undefined;
    if (err instanceof ApiError && err.status === 400 && param === 'ranking_details') return send(body);
    throw err;
  }
}

export function SearchDebugger({ store }: { store: string }) {
  const [q, setQ] = useState('');
  const [max, setMax] = useState('10');
  const [ranker, setRanker] = useState('auto');
  const [mode, setMode] = useState('');
  const [result, setResult] = useState<{ mode: string; data: SearchResult[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const search = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await runSearch(store, { query: q, max_num_results: Number(max), ranking_options: { ranker }, ...(mode ? { search_mode: mode } : {}) });
      const page = (await res.json()) as { data: SearchResult[] };
      setResult({ mode: res.headers.get('x-retrieval-mode') ?? 'unknown', data: page.data });
    } catch (err) {
      setError(err);
    }
  };
  const detailed = result?.data.some((r) => r.ranking_details) ?? false;
  const scoreNote = ranker === 'none' ? 'fused score over its largest possible value' : 'relevance: cosine and query-term coverage, weighted';
  return (
    <div class="search-debugger">
      <h3>Search</h3>
      <form class="inline-form" onSubmit={search}>
        <input type="search" aria-label="search query" placeholder="query" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <input type="number" aria-label="max results" min={1} max={50} value={max} onInput={(e) => setMax(e.currentTarget.value)} />
        <select aria-label="ranker" value={ranker} onChange={(e) => setRanker(e.currentTarget.value)}>
          <option value="auto">auto</option>
          <option value="none">none</option>
        </select>
        <select aria-label="search mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
          <option value="">default mode</option>
          <option value="hybrid">hybrid</option>
          <option value="keyword">keyword</option>
          <option value="vector">vector</option>
        </select>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <>
          <p class="muted" data-search-summary>
            {`${result.data.length} results · retrieval mode: ${result.mode} · score: ${scoreNote}`}
            {detailed ? '' : ' · this server does not report per-stage scores'}
          </p>
          <table class="results" data-search-results>
            <thead>
              <tr>
                <th>#</th>
                <th>Score</th>
                <th>File</th>
                {detailed ? (
                  <>
                    <th title="rank in the BM25 keyword list">Keyword rank</th>
                    <th title="BM25 (higher is better)">BM25</th>
                    <th title="rank in the vector list">Vector rank</th>
                    <th title="cosine similarity of query and chunk">Cosine</th>
                    <th title="rank after reciprocal rank fusion">Fused rank</th>
                    <th title="weighted reciprocal rank fusion">Fused score</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {result.data.map((r, i) => {
                const d = r.ranking_details;
                return (
                  <tr key={i} data-search-result>
                    <td>{i + 1}</td>
                    <td>
                      <span class="score">{r.score.toFixed(3)}</span>
                    </td>
                    <td>
                      {r.filename} <span class="muted">{r.file_id}</span>
                      {Object.keys(r.attributes).length ? <span class="mono">{` ${JSON.stringify(r.attributes)}`}</span> : null}
                      {r.content.map((c, j) => (
                        <pre key={j} class="chunk">
                          {c.text}
                        </pre>
                      ))}
                    </td>
                    {d ? (
                      <>
                        <td data-col="keyword-rank">{rank(d.keyword_rank)}</td>
                        <td data-col="bm25">{num(d.keyword_score, 3)}</td>
                        <td data-col="vector-rank">{rank(d.vector_rank)}</td>
                        <td data-col="cosine">{num(d.vector_score, 3)}</td>
                        <td data-col="fused-rank">{rank(d.fused_rank)}</td>
                        <td data-col="fused-score">{num(d.fused_score, 5)}</td>
                      </>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
