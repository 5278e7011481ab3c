// Usage and costs recorded as runs happen, read through OpenAI's administration usage API shape with the
// SDK's generic `get` (the admin API has no SDK resource): buckets whose tokens equal the runs' own
// `usage`, grouping by model / assistant / API key / project, bucket paging, project scoping, costs from
// the custom price table global setup gives the worker (PRICES), unpriced models reported.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { pushScripts } from '../support/upstream-control.js';
import { expectApiError, newProject, type TestProject } from './fixtures.js';

interface Bucket<R> { object: 'bucket'; start_time: number; end_time: number; results: R[] }
interface Page<R> { object: 'page'; data: Bucket<R>[]; has_more: boolean; next_page: string | null; unpriced_models?: string[] }
interface UsageResult {
  object: string;
  input_tokens: number;
  output_tokens: number;
  input_cached_tokens: number;
  num_model_requests: number;
  project_id: string | null;
  api_key_id: string | null;
  model: string | null;
  assistant_id: string | null;
  num_function_calls: number;
}
interface CostResult { object: string; amount: { value: number; currency: string }; line_item: string | null; project_id: string | null }

const marker = (label: string) => `[usage-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}]`;

describe('usage and costs', () => {
  let p: TestProject;
  let other: TestProject;
  let admin: OpenAI;
  let t0: number;
  const runUsage: { model: string; assistant: string; prompt: number; completion: number }[] = [];
  const get = <T>(client: OpenAI, path: string, query: Record<string, unknown>) => client.get(path, { query }) as unknown as Promise<T>;
  const range = () => ({ start_time: t0, end_time: t0 + 3600 });

  beforeAll(async () => {
    t0 = Math.floor(Date.now() / 1000) - 60;
    [p, other] = await Promise.all([newProject('usage'), newProject('usage-other')]);
    admin = new OpenAI({ baseURL: inject('baseURL'), apiKey: inject('adminKey'), maxRetries: 0 });
    const mini = await p.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    const priced = await p.v6.beta.assistants.create({ model: 'contract-priced-model' });
    const unpriced = await p.v6.beta.assistants.create({ model: 'contract-unpriced-model' });
    const tool = await p.v6.beta.assistants.create({
      model: 'gpt-4o-mini',
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
    });
    // Plain runs, one model call each.
    for (const [assistant, prompt, completion] of [[mini, 100, 20], [priced, 1000, 500], [unpriced, 7, 3]] as const) {
      const m = marker(assistant.model);
      await pushScripts(m, { text: 'ok', usage: { prompt_tokens: prompt, completion_tokens: completion } });
      const thread = await p.v6.beta.threads.create({ messages: [{ role: 'user', content: m }] });
      const run = await p.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
      expect(run.status).toBe('completed');
      expect(run.usage).toMatchObject({ prompt_tokens: prompt, completion_tokens: completion });
      runUsage.push({ model: assistant.model, assistant: assistant.id, prompt, completion });
    }
    // A function-calling run: two model calls, summed in the run's usage.
    const m = marker('fn');
    await pushScripts(
      m,
      { toolCalls: [{ name: 'lookup', arguments: '{}' }], usage: { prompt_tokens: 50, completion_tokens: 5 } },
      { text: 'done', usage: { prompt_tokens: 60, completion_tokens: 6 } },
    );
    const thread = await p.v6.beta.threads.create({ messages: [{ role: 'user', content: m }] });
    let run = await p.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: tool.id });
    expect(run.status).toBe('requires_action');
    const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
    run = await p.v6.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: call.id, output: '42' }] });
    expect(run.status).toBe('completed');
    expect(run.usage).toMatchObject({ prompt_tokens: 110, completion_tokens: 11 });
    runUsage.push({ model: 'gpt-4o-mini', assistant: tool.id, prompt: 110, completion: 11 });
  });

  it('sums every model call of the project into the bucket, equal to the runs\' usage', async () => {
    const page = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...range(), bucket_width: '1h' });
    expect(page).toMatchObject({ object: 'page', has_more: false, next_page: null });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ object: 'bucket', start_time: t0, end_time: t0 + 3600 });
    expect(page.data[0]!.results).toEqual([
      expect.objectContaining({
        object: 'organization.usage.completions.result',
        input_tokens: runUsage.reduce((s, r) => s + r.prompt, 0),
        output_tokens: runUsage.reduce((s, r) => s + r.completion, 0),
        input_cached_tokens: 0,
        num_model_requests: 5,
        num_function_calls: 1,
        project_id: null,
        model: null,
      }),
    ]);
  });

  it('groups by model, assistant and API key', async () => {
    const byModel = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...range(), bucket_width: '1h', group_by: ['model'] });
    const models = Object.fromEntries(byModel.data[0]!.results.map((r) => [r.model, [r.input_tokens, r.output_tokens, r.num_model_requests]]));
    expect(models).toEqual({
      'gpt-4o-mini': [210, 31, 3],
      'contract-priced-model': [1000, 500, 1],
      'contract-unpriced-model': [7, 3, 1],
    });
    const byAssistant = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...range(), bucket_width: '1h', group_by: ['assistant_id'] });
    const assistants = Object.fromEntries(byAssistant.data[0]!.results.map((r) => [r.assistant_id, r.input_tokens]));
    expect(assistants).toEqual(Object.fromEntries(runUsage.map((r) => [r.assistant, r.prompt])));
    const byKey = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...range(), bucket_width: '1h', group_by: ['api_key_id', 'project_id'] });
    expect(byKey.data[0]!.results).toEqual([expect.objectContaining({ api_key_id: p.keyId, project_id: p.projectId, input_tokens: 1217 })]);
    const filtered = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...range(), bucket_width: '1h', models: ['contract-priced-model'] });
    expect(filtered.data[0]!.results[0]).toMatchObject({ input_tokens: 1000, output_tokens: 500 });
  });

  it('pages through empty and full buckets with next_page', async () => {
    const query = { start_time: t0 - 300, end_time: t0 + 3600, bucket_width: '1m', limit: 3 };
    const first = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', query);
    expect(first.data.map((b) => b.start_time)).toEqual([t0 - 300, t0 - 240, t0 - 180]);
    expect(first.data.every((b) => b.results.length === 0)).toBe(true);
    expect(first.has_more).toBe(true);
    let total = 0;
    let buckets = first.data.length;
    let page = first;
    while (page.next_page) {
      page = await get<Page<UsageResult>>(p.v6, '/organization/usage/completions', { ...query, page: page.next_page });
      buckets += page.data.length;
      total += page.data.reduce((s, b) => s + b.results.reduce((x, r) => x + r.input_tokens, 0), 0);
    }
    expect(buckets).toBe(65);
    expect(total).toBe(1217);
  });

  it('confines a project key to its project; the admin key sees every project', async () => {
    const mine = await get<Page<UsageResult>>(other.v6, '/organization/usage/completions', { ...range(), project_ids: [p.projectId] });
    expect(mine.data.flatMap((b) => b.results)).toEqual([]);
    const byProject = await get<Page<UsageResult>>(admin, '/organization/usage/completions', { ...range(), bucket_width: '1h', group_by: ['project_id'] });
    const ours = byProject.data[0]!.results.find((r) => r.project_id === p.projectId);
    expect(ours).toMatchObject({ input_tokens: 1217, output_tokens: 534 });
    const named = await get<Page<UsageResult>>(admin, '/organization/usage/completions', { ...range(), bucket_width: '1h', project_ids: [p.projectId] });
    expect(named.data[0]!.results[0]).toMatchObject({ input_tokens: 1217 });
  });

  it('computes costs from the price table, line by line, and names unpriced models', async () => {
    const page = await get<Page<CostResult>>(p.v6, '/organization/costs', { ...range(), group_by: ['line_item'] });
    expect(page.unpriced_models).toEqual(['contract-unpriced-model']);
    const lines = Object.fromEntries(page.data[0]!.results.map((r) => [r.line_item, r.amount.value]));
    // PRICES (global setup): contract-priced-model at $1000 / $2000 per 1M input / output tokens.
    expect(lines['contract-priced-model, input']).toBeCloseTo((1000 * 1000) / 1e6, 10);
    expect(lines['contract-priced-model, output']).toBeCloseTo((500 * 2000) / 1e6, 10);
    // Built-in: gpt-4o-mini at $0.15 / $0.60.
    expect(lines['gpt-4o-mini, input']).toBeCloseTo((210 * 0.15) / 1e6, 12);
    expect(lines['gpt-4o-mini, output']).toBeCloseTo((31 * 0.6) / 1e6, 12);
    expect(lines['contract-unpriced-model, input']).toBe(0);
    expect(page.data[0]!.results.every((r) => r.object === 'organization.costs.result' && r.amount.currency === 'usd')).toBe(true);
    const total = await get<Page<CostResult>>(p.v6, '/organization/costs', range());
    expect(total.data[0]!.results).toHaveLength(1);
    expect(total.data[0]!.results[0]!.amount.value).toBeCloseTo(1 + 1 + (210 * 0.15 + 31 * 0.6) / 1e6, 10);
  });

  it('meters file and vector-store storage held, per project', async () => {
    interface StorageResult { object: string; usage_bytes: number; gb_days: number; project_id: string | null }
    await other.v6.files.create({ file: await toFile(Buffer.alloc(5000, 'x'), 'held.txt'), purpose: 'assistants' });
    for (const [path, object] of [['file_storage', 'organization.usage.file_storage.result'], ['vector_stores', 'organization.usage.vector_stores.result']] as const) {
      const page = await get<Page<StorageResult>>(p.v6, `/organization/usage/${path}`, { ...range(), bucket_width: '1h', group_by: ['project_id'] });
      expect(page).toMatchObject({ object: 'page', has_more: false });
      // p stores nothing: the other project's file is not in its figures.
      expect(page.data[0]!.results).toEqual([]);
      const all = await get<Page<StorageResult>>(admin, `/organization/usage/${path}`, { ...range(), bucket_width: '1h', group_by: ['project_id'] });
      for (const r of all.data[0]!.results) expect(r).toMatchObject({ object, project_id: expect.any(String) });
    }
  });

  it('counts a call recorded this very second when end_time is left out (the range ends after now)', async () => {
    // Queried right after the run ends, usually within the second its usage row was written: with the
    // range ending at floor(now) (exclusive) that row was left out until the next second.
    const fresh = await newProject('usage-now');
    const m = marker('now');
    await pushScripts(m, { text: 'ok', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const assistant = await fresh.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    const thread = await fresh.v6.beta.threads.create({ messages: [{ role: 'user', content: m }] });
    const run = await fresh.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 50 });
    expect(run.status).toBe('completed');
    const page = await get<Page<UsageResult>>(fresh.v6, '/organization/usage/completions', { start_time: Math.floor(Date.now() / 1000) - 3600, bucket_width: '1d' });
    const results = page.data.flatMap((b) => b.results);
    expect(results.map((r) => [r.input_tokens, r.output_tokens, r.num_model_requests])).toEqual([[9, 4, 1]]);
    expect(page.data.at(-1)!.end_time).toBeGreaterThan(Math.floor(Date.now() / 1000) - 5);
  });

  it('rejects malformed queries in OpenAI\'s envelope', async () => {
    const path = '/organization/usage/completions';
    await expectApiError(get(p.v6, path, {}), { status: 400, param: 'start_time' });
    await expectApiError(get(p.v6, path, { start_time: 'yesterday' }), { status: 400, param: 'start_time' });
    await expectApiError(get(p.v6, path, { start_time: t0, bucket_width: '2h' }), { status: 400, param: 'bucket_width' });
    await expectApiError(get(p.v6, path, { start_time: t0, group_by: ['user_id'] }), { status: 400, param: 'group_by' });
    await expectApiError(get(p.v6, path, { start_time: t0, bucket_width: '1d', limit: 32 }), { status: 400, param: 'limit' });
    await expectApiError(get(p.v6, path, { start_time: t0, end_time: t0 }), { status: 400, param: 'end_time' });
    await expectApiError(get(p.v6, path, { start_time: t0, page: 'bogus' }), { status: 400, param: 'page' });
    await expectApiError(get(p.v6, '/organization/costs', { start_time: t0, bucket_width: '1h' }), { status: 400, param: 'bucket_width' });
    const noKey = new OpenAI({ baseURL: inject('baseURL'), apiKey: 'sk-wrong', maxRetries: 0 });
    await expectApiError(get(noKey, path, { start_time: t0 }), { status: 401, code: 'invalid_api_key' });
  });
});
