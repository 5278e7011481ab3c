// OpenAICompatibleModel's failures as ChatModelErrors (kind, retryable, retry-after) for upstream
// HTTP errors, a malformed stream and an unreachable upstream; and the retry-after header parsing.
import { describe, expect, it } from 'vitest';
import { OpenAICompatibleModel, retryAfterMs } from '../../../src/adapters/models/openai-compatible';
import { ChatModelError } from '../../../src/domain/ports';
import { failure, request, useScriptedModel } from './openai-compatible-helpers';

const fx = useScriptedModel();

describe('OpenAICompatibleModel', () => {
  it('maps 429 to a retryable rate_limit_exceeded with retry-after-ms', async () => {
    fx.upstream.push({
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '2' },
      body: { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    const err = await failure(fx.model.stream(request()));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err).toMatchObject({ kind: 'rate_limit_exceeded', retryable: true, status: 429, retryAfterMs: 1500 });
    expect((err as Error).message).toContain('Rate limit reached for gpt-4o-mini');
  });

  it('reads retry-after in seconds when retry-after-ms is absent', async () => {
    fx.upstream.push({ status: 429, headers: { 'retry-after': '3' } });
    expect(await failure(fx.model.stream(request()))).toMatchObject({ kind: 'rate_limit_exceeded', retryAfterMs: 3000 });
  });

  it('maps 500 and 408 to a retryable server_error', async () => {
    fx.upstream.push({ status: 500 }, { status: 408 });
    expect(await failure(fx.model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 500 });
    expect(await failure(fx.model.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true, status: 408 });
  });

  it('maps 400 to a non-retryable invalid_prompt carrying the upstream message', async () => {
    fx.upstream.push({
      status: 400,
      body: { error: { message: "Invalid value for 'tool_choice'.", type: 'invalid_request_error', param: 'tool_choice', code: null } },
    });
    const err = await failure(fx.model.stream(request()));
    expect(err).toMatchObject({ kind: 'invalid_prompt', retryable: false, status: 400 });
    expect((err as Error).message).toContain("Invalid value for 'tool_choice'.");
  });

  it('maps a malformed stream to a non-retryable server_error', async () => {
    fx.upstream.push({ malformed: true });
    const err = await failure(fx.model.stream(request()));
    expect(err).toBeInstanceOf(ChatModelError);
    expect(err).toMatchObject({ kind: 'server_error', retryable: false });
  });

  it('maps a network failure to a retryable server_error', async () => {
    const dead = new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:1/v1' });
    expect(await failure(dead.stream(request()))).toMatchObject({ kind: 'server_error', retryable: true });
  });
});

describe('retryAfterMs', () => {
  it('parses retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250.5' }))).toBe(251);
    expect(retryAfterMs(new Headers({ 'retry-after': '20' }))).toBe(20_000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': date }))).toBeGreaterThan(8_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
