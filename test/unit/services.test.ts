// services(env) (src/services.ts): the adapters and settings are built once per env object and
// isolate, lazily, and envs of one isolate never share them (docs/architecture.md §2 "Services").
import { describe, expect, it, vi } from 'vitest';
import { LocalCodeExecutor } from '../../src/adapters/code/local';
import type { Env } from '../../src/env';
import { services } from '../../src/services';

vi.mock('@cloudflare/sandbox', () => ({
  // The real module imports `cloudflare:workers` (Workers only); the code executor factory just passes it on.
  getSandbox: vi.fn(),
}));

/** A fresh environment object; the D1 binding is never queried here (drizzle only wraps it). */
const envOf = (vars: Partial<Env> = {}): Env => ({ DB: {} as D1Database, ...vars }) as Env;

describe('services(env)', () => {
  it('returns the same set, with the same adapters, for the same env object', () => {
    const env = envOf({ UPSTREAM_OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1' });
    const a = services(env);
    expect(services(env)).toBe(a);
    expect(a.models).toBe(a.models);
    expect(a.db).toBe(a.db);
    expect(a.embedder).not.toBeNull();
    expect(a.embedder).toBe(a.embedder);
    expect(a.vectorIndex).toBe(a.vectorIndex);
    expect(a.retrieval).toBe(a.retrieval);
    // The retrieval ports are the set's own members, not a second construction.
    expect(a.retrieval.db).toBe(a.db);
    expect(a.retrieval.embedder).toBe(a.embedder);
    expect(a.retrieval.index).toBe(a.vectorIndex);
    expect(a.models.providerFor('gpt-4o')).toBe('openai');
    expect(a.embeddingsUpstream?.baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(a.embeddingsUpstream).toBe(a.embeddingsUpstream);
    expect(services(envOf()).embeddingsUpstream).toBeUndefined();
  });

  it('keeps envs of one isolate apart (keyed on the env object, not its values)', () => {
    const vars = { UPSTREAM_OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const a = services(envOf(vars));
    const b = services(envOf(vars));
    expect(b).not.toBe(a);
    expect(b.models).not.toBe(a.models);
    expect(b.db).not.toBe(a.db);
    // Each env's own settings: one has no provider at all, the other routes to its upstream.
    const none = services(envOf());
    expect(none.models.providerFor('gpt-4o')).toBeUndefined();
    expect(a.models.providerFor('gpt-4o')).toBe('openai');
    expect(none.embedder).toBeNull();
  });

  it('builds nothing until read: a bad setting fails where it is read, not when the set is made', () => {
    const env = envOf({ MODEL_CALL_TIMEOUT_SECONDS: 'soon' });
    const s = services(env);
    expect(() => s.config).toThrow(/MODEL_CALL_TIMEOUT_SECONDS/);
    expect(() => s.models).toThrow(/MODEL_CALL_TIMEOUT_SECONDS/);
    // Members that read no setting still work, as the D1 handle did before.
    expect(s.db).toBeDefined();
  });

  it('chooses the code executor from the settings, a fresh one per use', () => {
    expect(services(envOf()).codeExecutor()).toBeNull();
    const s = services(envOf({ CODE_EXECUTOR_URL: 'http://127.0.0.1:9' }));
    const first = s.codeExecutor();
    expect(first).toBeInstanceOf(LocalCodeExecutor);
    // Per use (src/services.ts): a sandbox executor's cached Python context must not outlive one call.
    expect(s.codeExecutor()).not.toBe(first);
  });
});
