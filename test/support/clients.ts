// Official SDK clients (v7, v6 and v4) wired to a validating fetch: every response the server sends during a
// contract test is checked against the OpenAPI document and the wire rules of docs/openai-behaviour.md §4/§6/§8.
//
// The checks themselves live next to this file and are re-exported here, so tests import from one place:
// validating-fetch.ts (the fetch), contract-violations.ts (JSON problems, thrown from inside fetch and
// recorded), stream-validation.ts (SSE bodies, checked in the background; `await expectNoStreamErrors()`).
import OpenAI from 'openai';
import OpenAIv4 from 'openai-v4';
import OpenAIv7 from 'openai-v7';
import { validatingFetch } from './validating-fetch.js';

export { ContractViolationError, contractViolations, expectNoContractViolations } from './contract-violations.js';
export { expectNoStreamErrors, streamValidationErrors } from './stream-validation.js';
export { validatingFetch } from './validating-fetch.js';

export interface ClientOptions { baseURL: string; apiKey: string }

export type RawInit = RequestInit & {
  /** Override the bearer key; `null` sends no Authorization header at all. */
  apiKey?: string | null;
};

export type RawFetch = (path: string, init?: RawInit) => Promise<Response>;

/**
 * A fetch for hand-made (often malformed) requests. `path` is relative to baseURL (`/threads/x`) unless
 * absolute. Responses are validated like the SDK's, so a bad error envelope still fails the test.
 */
export function makeRawFetch(opts: ClientOptions): RawFetch {
  const fetchValidated = validatingFetch();
  return (path, init = {}) => {
    const { apiKey = opts.apiKey, ...rest } = init;
    const url = /^https?:\/\//.test(path) ? path : opts.baseURL.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
    const headers = new Headers(rest.headers);
    if (apiKey !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${apiKey}`);
    return fetchValidated(url, { ...rest, headers });
  };
}

let lastOptions: ClientOptions | undefined;

/** rawFetch against the baseURL/key of the most recent makeClients() call. */
export const rawFetch: RawFetch = (path, init) => {
  if (!lastOptions) throw new Error('rawFetch: call makeClients() first (or use makeRawFetch(opts))');
  return makeRawFetch(lastOptions)(path, init);
};

export function makeClients(opts: ClientOptions): { v7: OpenAIv7; v6: OpenAI; v4: OpenAIv4; rawFetch: RawFetch } {
  lastOptions = opts;
  const fetch = validatingFetch();
  // maxRetries 0: the SDK retries 408/409/429/5xx silently (docs/openai-behaviour.md §4); tests must see the first answer.
  const v6 = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  const v4 = new OpenAIv4({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  const v7 = new OpenAIv7({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, fetch: fetch as never });
  return { v7, v6, v4, rawFetch: makeRawFetch(opts) };
}
