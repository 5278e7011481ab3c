// CORS on the wire (the browser test drives the same through chromium): preflights answer 204
// without a key and echo the requested headers; every answer (success, error, SSE) carries
// Access-Control-Allow-Origin and exposes the headers the SDK reads.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { pushScripts } from '../support/upstream-control.js';
import { createProjectKey, type ProjectKey } from '../support/tenancy.js';

const ORIGIN = 'http://app.example.test';
const SDK_HEADERS = 'authorization,content-type,openai-beta,openai-project,x-stainless-lang,x-stainless-retry-count';

describe('CORS', () => {
  let key: ProjectKey;
  const url = (path: string) => `${inject('baseURL')}${path}`;
  beforeAll(async () => {
    key = await createProjectKey(inject('baseURL'), inject('adminKey'), 'cors');
  });

  it('answers a preflight with 204, without a key, echoing the requested headers', async () => {
    for (const path of ['/assistants', '/threads/thread_abc/runs', '/organization/usage/completions', '/no/such/route']) {
      const res = await fetch(url(path), {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': SDK_HEADERS },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toBe(SDK_HEADERS);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
    }
  });

  it('sets Access-Control-Allow-Origin and exposed headers on successes and errors', async () => {
    const ok = await fetch(url('/assistants'), { headers: { origin: ORIGIN, authorization: `Bearer ${key.apiKey}` } });
    expect(ok.status).toBe(200);
    const noKey = await fetch(url('/assistants'), { headers: { origin: ORIGIN } });
    expect(noKey.status).toBe(401);
    const missing = await fetch(url('/threads/thread_doesnotexist000000000000'), { headers: { origin: ORIGIN, authorization: `Bearer ${key.apiKey}` } });
    expect(missing.status).toBe(404);
    const unknownRoute = await fetch(url('/nothing-here'), { headers: { origin: ORIGIN, authorization: `Bearer ${key.apiKey}` } });
    expect(unknownRoute.status).toBe(404);
    for (const res of [ok, noKey, missing, unknownRoute]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(',');
      expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'openai-poll-after-ms']));
      expect((await res.json()) as object).toBeTypeOf('object');
    }
  });

  it('sets Access-Control-Allow-Origin on a streamed run', async () => {
    const marker = `[cors-sse-${Date.now().toString(36)}]`;
    await pushScripts(marker, { text: 'ok' });
    const auth = { origin: ORIGIN, authorization: `Bearer ${key.apiKey}`, 'content-type': 'application/json' };
    const assistant = (await (await fetch(url('/assistants'), { method: 'POST', headers: auth, body: JSON.stringify({ model: 'gpt-4o-mini' }) })).json()) as { id: string };
    const res = await fetch(url('/threads/runs'), {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ assistant_id: assistant.id, stream: true, thread: { messages: [{ role: 'user', content: marker }] } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('thread.run.completed');
  });
});
