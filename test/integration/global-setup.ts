// Node-side setup of the integration tier: the scripted Chat Completions upstream the worker under
// test (in workerd) calls. Its origin reaches the worker as UPSTREAM_OPENAI_BASE_URL (vitest.config.ts) and the
// tests as `inject('upstreamOrigin')`, to queue scripts through its control API.
import type { TestProject } from 'vitest/node';
import { startScriptedUpstream } from '../support/scripted-upstream';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startScriptedUpstream();
  project.provide('upstreamOrigin', upstream.anthropicUrl);
  return () => upstream.close();
}
