import { describe, expect, it } from 'vitest';
import catalog from '../../../scripts/settings.json';
import { readConfig, SETTING_NAMES } from '../../../src/config';
import type { Env } from '../../../src/env';
import { createModelRouter } from '../../../src/adapters/models/router';

const env = (vars: Record<string, string>) => vars as unknown as Env;

describe('settings', () => {
  it('scripts/settings.json (what npm run dev passes and the tests blank) lists exactly what the worker reads', () => {
    expect(catalog.settings.map((s) => s.name).sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('.dev.vars.example names every setting', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../../.dev.vars.example', import.meta.url), 'utf8');
    for (const name of SETTING_NAMES) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('the upstream has its own names; OPENAI_* only fill in when those are unset', () => {
    const own = readConfig(env({ UPSTREAM_OPENAI_BASE_URL: 'http://up.example/v1', UPSTREAM_OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: 'http://localhost:8787/v1', OPENAI_API_KEY: 'k2' }));
    expect(own).toMatchObject({ openaiBaseUrl: 'http://up.example/v1', openaiApiKey: 'k1', openaiSettings: { baseUrl: 'UPSTREAM_OPENAI_BASE_URL', apiKey: 'UPSTREAM_OPENAI_API_KEY' } });
    const old = readConfig(env({ OPENAI_BASE_URL: 'http://old.example/v1', OPENAI_API_KEY: 'k2' }));
    expect(old).toMatchObject({ openaiBaseUrl: 'http://old.example/v1', openaiApiKey: 'k2', openaiSettings: { baseUrl: 'OPENAI_BASE_URL', apiKey: 'OPENAI_API_KEY' } });
    // '' is unset (the tests blank every setting), so the old name is not shadowed by an empty new one.
    expect(readConfig(env({ UPSTREAM_OPENAI_API_KEY: '', OPENAI_API_KEY: 'k3' })).openaiApiKey).toBe('k3');
  });

  it('a bad value is reported under the setting name the operator used', () => {
    expect(() => readConfig(env({ UPSTREAM_OPENAI_BASE_URL: 'not a url' }))).toThrow(/Invalid configuration: UPSTREAM_OPENAI_BASE_URL:/);
    expect(() => readConfig(env({ OPENAI_BASE_URL: 'not a url' }))).toThrow(/Invalid configuration: OPENAI_BASE_URL:/);
    expect(() => readConfig(env({ EMBEDDINGS_DIMENSIONS: 'x' }))).toThrow(/Invalid configuration: EMBEDDINGS_DIMENSIONS:/);
  });

  it('RUN_PREFETCH: on by default, off turns it off, anything else is refused by name', () => {
    expect(readConfig(env({})).runPrefetch).toBe(true);
    expect(readConfig(env({ RUN_PREFETCH: 'off' })).runPrefetch).toBe(false);
    expect(readConfig(env({ RUN_PREFETCH: ' OFF ' })).runPrefetch).toBe(false);
    expect(readConfig(env({ RUN_PREFETCH: 'on' })).runPrefetch).toBe(true);
    expect(() => readConfig(env({ RUN_PREFETCH: 'no' }))).toThrow('Invalid configuration: RUN_PREFETCH: RUN_PREFETCH must be on or off');
  });
});

describe('why a model cannot run', () => {
  it('with no provider at all, says so and names the settings', () => {
    const reason = createModelRouter(readConfig(env({})), {}).unavailableReason('gpt-4o-mini');
    expect(reason).toMatch(/^No model provider is configured, so no model \(including 'gpt-4o-mini'\) can run: set UPSTREAM_OPENAI_API_KEY/);
    expect(reason).toContain('ANTHROPIC_API_KEY');
  });

  it('names the MODEL_ROUTES entry that sends a model to a missing provider', () => {
    const router = createModelRouter(readConfig(env({ UPSTREAM_OPENAI_API_KEY: 'k', MODEL_ROUTES: '{"claude-":"anthropic"}' })), {});
    expect(router.unavailableReason('claude-3-5-haiku')).toBe("MODEL_ROUTES sends 'claude-3-5-haiku' to anthropic, which is not configured: set ANTHROPIC_API_KEY.");
    expect(router.unavailableReason('gpt-4o')).toBeUndefined();
  });
});

describe('why a model cannot run, with some providers configured', () => {
  it('names the configured providers and the setting that would serve the name', () => {
    const router = createModelRouter(readConfig(env({ ANTHROPIC_API_KEY: 'sk-ant' })), {});
    expect(router.unavailableReason('claude-3-5-haiku')).toBeUndefined();
    expect(router.unavailableReason('gpt-4o')).toBe(
      "No configured provider serves 'gpt-4o' (configured: anthropic; they serve claude-*). For other models set UPSTREAM_OPENAI_API_KEY (and UPSTREAM_OPENAI_BASE_URL for a server other than OpenAI), or route the name with MODEL_ROUTES.",
    );
  });
});
