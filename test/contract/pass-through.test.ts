// The whole OpenAI client through one base URL: chat.completions (plain and streamed) and embeddings with
// the same key as the Assistants calls, on every SDK major, routed to the configured upstreams (the
// scripted Chat Completions upstream and the embeddings upstream of global setup).
import { describe, expect, inject, it } from 'vitest';
import { expectNoStreamErrors } from '../support/clients.js';
import { pushScripts, upstreamRequests } from '../support/upstream-control.js';
import { expectApiError, newProject, uniq } from './fixtures.js';
import OpenAIv7 from 'openai-v7';
import { makeClients } from '../support/clients.js';

type AnyClient = {
  chat: { completions: { create(body: unknown): Promise<any> } };
  embeddings: { create(body: unknown): Promise<any> };
};

async function clients() {
  const p = await newProject('pass-through');
  const { v7 } = makeClients({ baseURL: inject('baseURL'), apiKey: p.apiKey });
  return { p, all: { v7: v7 as unknown as AnyClient, v6: p.v6 as unknown as AnyClient, v4: p.v4 as unknown as AnyClient } };
}

describe.each(['v7', 'v6', 'v4'] as const)('pass-through with SDK %s', (major) => {
  it('chat.completions.create answers with the upstream completion, the request forwarded as sent', async () => {
    const { all } = await clients();
    const m = uniq(`cc-${major}`);
    await pushScripts(m, { text: 'Forwarded fine.', usage: { prompt_tokens: 7, completion_tokens: 3 } });
    const completion = await all[major].chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `hi ${m}` }], temperature: 0.2 });
    expect(completion).toMatchObject({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Forwarded fine.' }, finish_reason: 'stop' }] });
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3 });
    const [req] = await upstreamRequests(m);
    expect(req).toMatchObject({ path: '/v1/chat/completions', body: { model: 'gpt-4o', temperature: 0.2, messages: [{ role: 'user', content: `hi ${m}` }] } });
  });

  it('chat.completions.create with stream: true yields the upstream chunks, then usage when asked', async () => {
    const { all } = await clients();
    const m = uniq(`ccs-${major}`);
    await pushScripts(m, { text: 'Streamed through.', chunkSize: 4 });
    const stream = await all[major].chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `hi ${m}` }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream as AsyncIterable<{ choices: Array<{ delta?: { content?: string } }>; usage?: unknown }>) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Streamed through.');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    await expectNoStreamErrors();
  });

  it('embeddings.create returns the upstream vectors, in the SDK default (base64) and as floats', async () => {
    const { all } = await clients();
    const input = ['the cat sat on the mat', 'quarterly revenue grew'];
    const byDefault = await all[major].embeddings.create({ model: 'text-embedding-3-small', input });
    const floats = await all[major].embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    expect(floats).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) } });
    expect(floats.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    const dims = floats.data[0].embedding.length;
    expect(dims).toBeGreaterThan(0);
    // Whatever the SDK asked for, it decodes to the same vectors (float32 precision).
    for (const [i, d] of (byDefault.data as Array<{ embedding: number[] }>).entries()) {
      expect(d.embedding).toHaveLength(dims);
      d.embedding.forEach((x, j) => expect(x).toBeCloseTo(floats.data[i].embedding[j], 5));
    }
  });
});

describe('pass-through errors', () => {
  it('an upstream that rejects the key is a 502 naming the upstream and the setting, in OpenAI\'s envelope', async () => {
    const { p } = await clients();
    const m = uniq('cc-401');
    await pushScripts(m, { status: 401, body: { error: { message: 'Incorrect API key provided: sk-up***st.', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    await expectApiError(p.v6.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: m }] }), {
      status: 502,
      type: 'server_error',
      code: 'upstream_error',
      message: /^The OpenAI-compatible upstream http:\/\/127\.0\.0\.1:\d+\/v1 rejected the API key \(HTTP 401: Incorrect API key provided: sk-up\*\*\*st\.\)\. Check UPSTREAM_OPENAI_API_KEY\.$/,
    });
  });

  it('an upstream 400 keeps its status and message', async () => {
    const { p } = await clients();
    const m = uniq('cc-400');
    await pushScripts(m, { status: 400, body: { error: { message: "Invalid value for 'temperature'.", type: 'invalid_request_error' } } });
    await expectApiError(p.v6.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: m }] }), {
      status: 400,
      message: /Invalid value for 'temperature'\./,
    });
  });

  it('bad input and a missing key get OpenAI-shaped errors; a request from an upstream call is refused (508)', async () => {
    const { p } = await clients();
    await expectApiError(p.v6.chat.completions.create({ model: 'gpt-4o', messages: [] } as never), { status: 400, param: /messages/ });
    await expectApiError(p.v6.embeddings.create({ model: 'text-embedding-3-small', input: 42 } as never), { status: 400, param: /input/ });
    const anonymous = new OpenAIv7({ baseURL: inject('baseURL'), apiKey: 'sk-not-a-key', maxRetries: 0 });
    await expectApiError(anonymous.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }), { status: 401 });
    const looped = await p.raw('/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-assistants-edge-upstream-call': '1' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(looped.status).toBe(508);
    expect(((await looped.json()) as { error: { code: string } }).error.code).toBe('upstream_loop');
  });
});
