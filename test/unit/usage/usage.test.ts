// Pure parts of usage and costs: bucket paging, price lookup and cost lines, the per-call usage row.
import { describe, expect, it } from 'vitest';
import { bucketPage, decodeCursor } from '../../../src/domain/usage/buckets';
import { costLines, sumLines } from '../../../src/domain/usage/costs';
import { priceOf, priceTable, tokenCosts } from '../../../src/domain/usage/prices';
import { usageEventFor } from '../../../src/domain/usage/record';

describe('bucketPage', () => {
  it('splits the range from start_time and pages with a cursor', () => {
    const first = bucketPage({ start: 1000, end: 1000 + 250 }, 60, 3, 0);
    expect(first.starts).toEqual([1000, 1060, 1120]);
    expect(first.end).toBe(1180);
    expect(first.nextPage).toBe('page_3');
    const second = bucketPage({ start: 1000, end: 1250 }, 60, 3, decodeCursor(first.nextPage!)!);
    expect(second.starts).toEqual([1180, 1240]);
    expect(second.end).toBe(1250);
    expect(second.nextPage).toBeNull();
  });

  it('returns no buckets past the end and refuses foreign cursors', () => {
    expect(bucketPage({ start: 0, end: 60 }, 60, 5, 4).starts).toEqual([]);
    expect(decodeCursor('page_x')).toBeNull();
    expect(decodeCursor('1')).toBeNull();
  });
});

describe('prices', () => {
  it('prices by exact name, else by the longest prefix, and overrides win', () => {
    const table = priceTable({ 'gpt-4o': { input: 9, output: 9 } });
    expect(priceOf(table, 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, cached_input: 0.075, output: 0.6 });
    expect(priceOf(table, 'gpt-4o-2024-11-20')).toEqual({ input: 9, output: 9 });
    expect(priceOf(table, 'llama-3')).toBeUndefined();
  });

  it('charges cached input at its own price, or the input price when none is given', () => {
    expect(tokenCosts({ input: 2, cached_input: 1, output: 4 }, { input: 1_000_000, cached: 500_000, output: 250_000 })).toEqual({
      input: 1,
      cachedInput: 0.5,
      output: 1,
    });
    expect(tokenCosts({ input: 2, output: 4 }, { input: 1_000_000, cached: 1_000_000, output: 0 }).cachedInput).toBe(2);
  });

  it('turns usage rows into cost lines and names unpriced models', () => {
    const row = { bucket: 0, input_tokens: 1_000_000, cached_tokens: 0, output_tokens: 1_000_000, requests: 1, function_calls: 0, file_search_calls: 0, code_interpreter_calls: 0, code_interpreter_sessions: 0 };
    const { lines, unpriced } = costLines(
      [{ ...row, model: 'gpt-4o-mini', project_id: 'proj_a' }, { ...row, model: 'mystery', project_id: 'proj_b' }],
      priceTable(undefined),
    );
    expect(unpriced).toEqual(['mystery']);
    expect(sumLines(lines, { project: true, lineItem: false })).toEqual([
      { bucket: 0, project_id: 'proj_a', line_item: null, value: 0.75 },
      { bucket: 0, project_id: 'proj_b', line_item: null, value: 0 },
    ]);
  });
});

describe('usageEventFor', () => {
  it('counts tool calls by type', () => {
    const run = { id: 'run_1', thread_id: 'thread_1', assistant_id: 'asst_1', model: 'gpt-4o' };
    const row = usageEventFor('proj_1', run, {
      usage: { prompt_tokens: 10, completion_tokens: 2 },
      calls: [{}, {}],
      hostedCalls: [{ name: 'file_search' }, { name: 'python' }, { name: 'file_search' }],
    }, 123);
    expect(row).toEqual({
      projectId: 'proj_1', threadId: 'thread_1', runId: 'run_1', assistantId: 'asst_1', model: 'gpt-4o', createdAt: 123,
      inputTokens: 10, cachedTokens: 0, outputTokens: 2, functionCalls: 2, fileSearchCalls: 2, codeInterpreterCalls: 1,
    });
  });
});
