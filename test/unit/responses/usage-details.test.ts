import { describe, expect, it } from 'vitest';
import { ResponseProjection } from '../../../src/domain/responses/projection';
import { usageOf } from '../../../src/domain/responses/response-usage';
import { initialResponse } from '../../../src/domain/responses/request';
import { validateSchema } from '../../support/openapi';

describe('Response usage details', () => {
  it('reports the cached and reasoning tokens of the usage chunk', () => {
    let n = 0;
    const p = new ResponseProjection(initialResponse({ model: 'gpt-test' }, { id: 'resp_1', createdAt: 1_700_000_000, status: 'in_progress' }), { message: () => `msg_${++n}`, functionCall: () => `fc_${++n}` });
    p.start();
    p.push({ type: 'text', delta: 'Hi' });
    p.push({ type: 'usage', promptTokens: 1200, completionTokens: 80, cachedTokens: 1024, reasoningTokens: 48 });
    p.push({ type: 'finish', reason: 'stop' });
    p.finish(1_700_000_001);
    expect(p.response.usage).toEqual({
      input_tokens: 1200, input_tokens_details: { cached_tokens: 1024, cache_write_tokens: 0 },
      output_tokens: 80, output_tokens_details: { reasoning_tokens: 48 }, total_tokens: 1280,
    });
    expect(validateSchema('Response', p.response, 'responses')).toEqual([]);
  });

  it('never reports more cached / reasoning tokens than input / output tokens, and 0 when not reported', () => {
    expect(usageOf(10, 5, { cachedTokens: 50, reasoningTokens: 9 })).toMatchObject({ input_tokens_details: { cached_tokens: 10 }, output_tokens_details: { reasoning_tokens: 5 } });
    expect(usageOf(10, 5)).toMatchObject({ input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } });
  });
});
