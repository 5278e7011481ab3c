// Usage and costs from the admin usage API (GET /v1/organization/usage/completions and
// /v1/organization/costs, OpenAI's shapes: pages of daily buckets, each with grouped results), as a
// chart and a table. Needs the admin key; a server without the usage API answers 404 and the page
// says so.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, pageSize } from '../api/client';
import { ErrorBox } from '../ui/common';
import { BarChart } from '../ui/bar-chart';

interface Bucket<R> { start_time: number; end_time: number; results: R[] }
interface Page<R> { data: Array<Bucket<R>>; has_more: boolean; next_page: string | null }
type UsageResult = Record<string, unknown> & { input_tokens?: number; output_tokens?: number; num_model_requests?: number; project_id?: string | null; model?: string | null };
type CostResult = { amount?: { value: number; currency: string }; line_item?: string | null; project_id?: string | null };

const GROUPS = ['model', 'project_id'];
const DAY = 86_400;

/** Every page of a bucketed report, following next_page. */
async function buckets<R>(path: string, params: URLSearchParams): Promise<Array<Bucket<R>>> {
  const out: Array<Bucket<R>> = [];
  let page: string | null = null;
  for (let i = 0; i < 20; i++) {
    const qs = new URLSearchParams(params);
    if (page) qs.set('page', page);
    const res: Page<R> = await get<Page<R>>(`${path}?${qs}`);
    out.push(...res.data);
    if (!res.has_more || !res.next_page) break;
    page = res.next_page;
  }
  return out;
}

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
const NOT_SHOWN = new Set(['object', 'project_id', 'model', 'user_id', 'api_key_id', 'batch', 'assistant_id', 'service_tier']);

export function UsagePage() {
  const [days, setDays] = useState(7);
  const [usage, setUsage] = useState<Array<Bucket<UsageResult>> | null>(null);
  const [costs, setCosts] = useState<Array<Bucket<CostResult>> | null>(null);
  const [usageError, setUsageError] = useState<unknown>(null);
  const [costError, setCostError] = useState<unknown>(null);

  useEffect(() => {
    const start = Math.floor(Date.now() / 1000 / DAY - days + 1) * DAY;
    const params = new URLSearchParams({ start_time: String(start), bucket_width: '1d', limit: String(Math.min(days, pageSize(days))) });
    const usageParams = new URLSearchParams(params);
    // Arrays as `group_by[]=…`, as the official SDK (openai v7, admin.organization.usage) sends them.
    for (const g of GROUPS) usageParams.append('group_by[]', g);
    const costParams = new URLSearchParams(params);
    for (const g of ['project_id', 'line_item']) costParams.append('group_by[]', g);
    setUsageError(null);
    setCostError(null);
    buckets<UsageResult>('organization/usage/completions', usageParams).then(setUsage, (e) => (setUsage(null), setUsageError(e)));
    buckets<CostResult>('organization/costs', costParams).then(setCosts, (e) => (setCosts(null), setCostError(e)));
  }, [days]);

  const unavailable = (e: unknown) => e instanceof ApiError && e.status === 404;
  const rows: Array<UsageResult & { day: string }> = (usage ?? []).flatMap((b) => b.results.map((r) => ({ ...r, day: day(b.start_time) })));
  // Per assistant only when the server groups by it (OpenAI's usage API has no assistant dimension).
  const byAssistant = rows.some((r) => typeof r.assistant_id === 'string');
  const metrics = Array.from(new Set(rows.flatMap((r) => Object.entries(r).filter(([k, v]) => typeof v === 'number' && !NOT_SHOWN.has(k)).map(([k]) => k))));
  const tokensPerDay = (usage ?? []).map((b) => ({
    label: day(b.start_time),
    value: b.results.reduce((n, r) => n + (r.input_tokens ?? 0) + (r.output_tokens ?? 0), 0),
  }));
  const costRows = (costs ?? []).flatMap((b) => b.results.map((r) => ({ day: day(b.start_time), ...r })));

  return (
    <section class="usage">
      <header class="bar">
        <h2>Usage and costs</h2>
        <select aria-label="period" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          <option value="1">Today</option>
          <option value="7">7 days</option>
          <option value="30">30 days</option>
        </select>
      </header>
      <h3>Tokens per day</h3>
      {unavailable(usageError) ? (
        <p class="notice">Usage is not available on this server (GET /v1/organization/usage/completions answered 404).</p>
      ) : (
        <ErrorBox error={usageError} />
      )}
      {usage ? <BarChart data={tokensPerDay} label="tokens" /> : null}
      {usage ? (
        <table class="usage-table">
          <thead>
            <tr>
              <th>Day</th>
              <th>Project</th>
              <th>Model</th>
              {byAssistant ? <th>Assistant</th> : null}
              {metrics.map((m) => <th key={m}>{m}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.day}</td>
                <td>{String(r.project_id ?? '—')}</td>
                <td>{String(r.model ?? '—')}</td>
                {byAssistant ? <td>{String(r.assistant_id ?? '—')}</td> : null}
                {metrics.map((m) => <td key={m}>{String(r[m] ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {usage && rows.length === 0 ? <p class="muted">No usage in this period.</p> : null}
      <h3>Costs</h3>
      {unavailable(costError) ? <p class="notice">Costs are not available on this server (GET /v1/organization/costs answered 404).</p> : <ErrorBox error={costError} />}
      {costs ? (
        <table class="cost-table">
          <thead>
            <tr>
              <th>Day</th>
              <th>Project</th>
              <th>Line item</th>
              <th>Amount</th>
            </tr>
          </thead>
          <tbody>
            {costRows.map((r, i) => (
              <tr key={i}>
                <td>{r.day}</td>
                <td>{r.project_id ?? '—'}</td>
                <td>{r.line_item ?? '—'}</td>
                <td>{r.amount ? `${r.amount.value.toFixed(4)} ${r.amount.currency}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
