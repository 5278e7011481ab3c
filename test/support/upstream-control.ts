import { inject } from 'vitest';
import type { RecordedRequest, Script } from './scripted-upstream';

/**
 * Steering the scripted upstream that global setup started (it lives in another process than the
 * tests): scripts are queued over its control API. Every script carries the test's own `match`
 * string, which the test puts in its messages, so concurrent tests never take each other's scripts.
 */
export async function pushScripts(match: string, ...scripts: Script[]): Promise<void> {
  const res = await fetch(`${inject('upstreamOrigin')}/__scripts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scripts.map((s) => ({ ...s, match }))),
  });
  if (!res.ok) throw new Error(`scripted upstream refused scripts: ${res.status}`);
}

/** The upstream requests whose messages contain `match`, in arrival order. */
export async function upstreamRequests(match: string): Promise<Pick<RecordedRequest, 'method' | 'path' | 'body' | 'aborted'>[]> {
  const res = await fetch(`${inject('upstreamOrigin')}/__requests?match=${encodeURIComponent(match)}`);
  return (await res.json()) as Pick<RecordedRequest, 'method' | 'path' | 'body' | 'aborted'>[];
}
