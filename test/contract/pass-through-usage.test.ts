// Pass-through calls are counted in usage: a chat completion (plain and streamed with
// stream_options.include_usage) and an embeddings call made with a project key show up in
// /v1/organization/usage/completions (read with the SDK's generic `get`, as an app would) with the
// tokens the calls reported, under their model and the calling key's api_key_id, with no assistant.
// The rows are written after the response (waitUntil), so the test polls for them.
import { describe, expect, it } from 'vitest';
import { pushScripts } from '../support/upstream-control.js';
import { newProject, uniq } from './fixtures.js';

interface UsageResult {
  object: string;
  input_tokens: number;
  output_tokens: number;
  num_model_requests: number;
  project_id: string | null;
  api_key_id: string | null;
  model: string | null;
  assistant_id: string | null;
}
interface Page { object: 'page'; data: Array<{ results: UsageResult[] }> }

describe('pass-through usage', () => {
  it('chat.completions and embeddings calls are counted in /organization/usage/completions', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 60;
    const p = await newProject('pass-through-usage');
    const m = uniq('ptu');
    await pushScripts(m, { text: 'Counted.', usage: { prompt_tokens: 11, completion_tokens: 4 } });
    const plain = await p.v6.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hi ${m}` }] });
    expect(plain.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4 });

    const s = uniq('ptu-stream');
    await pushScripts(s, { text: 'Streamed and counted.', usage: { prompt_tokens: 13, completion_tokens: 5 } });
    const stream = await p.v6.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `hi ${s}` }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    expect(streamed).toBeDefined();

    const embedded = await p.v6.embeddings.create({ model: 'text-embedding-3-small', input: ['usage counts embeddings too', 'twice'] });
    expect(embedded.usage.prompt_tokens).toBeGreaterThan(0);

    const query = { start_time: t0, end_time: t0 + 3600, bucket_width: '1h', group_by: ['model', 'api_key_id', 'assistant_id'] };
    const results = async () => {
      const page = (await p.v6.get('/organization/usage/completions', { query })) as unknown as Page;
      expect(page.object).toBe('page');
      return page.data.flatMap((b) => b.results);
    };
    await expect.poll(async () => (await results()).length, { timeout: 10_000, interval: 200 }).toBe(2);
    const byModel = Object.fromEntries((await results()).map((r) => [r.model, r]));
    expect(byModel['gpt-4o-mini']).toMatchObject({
      object: 'organization.usage.completions.result',
      input_tokens: 11 + streamed!.prompt_tokens,
      output_tokens: 4 + streamed!.completion_tokens,
      num_model_requests: 2,
      api_key_id: p.keyId,
      assistant_id: null,
    });
    expect(byModel['text-embedding-3-small']).toMatchObject({
      input_tokens: embedded.usage.prompt_tokens,
      output_tokens: 0,
      num_model_requests: 1,
      api_key_id: p.keyId,
      assistant_id: null,
    });
    // Filtering by the calling key finds the same calls.
    const filtered = (await p.v6.get('/organization/usage/completions', { query: { ...query, group_by: [], api_key_ids: [p.keyId] } })) as unknown as Page;
    expect(filtered.data.flatMap((b) => b.results)).toMatchObject([{ num_model_requests: 3, input_tokens: 11 + streamed!.prompt_tokens + embedded.usage.prompt_tokens }]);
  });
});
