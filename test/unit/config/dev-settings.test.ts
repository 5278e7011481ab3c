import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devPort, parseDotenv, resolveSettings, selfReference, writePrivateEnvFile } from '../../../scripts/dev-settings.mjs';

function devVars(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'devvars-')), '.dev.vars');
  writeFileSync(path, text);
  return path;
}

describe('npm run dev settings (scripts/dev-settings.mjs)', () => {
  it('takes every setting from the environment or .dev.vars, the environment first, and says where each came from', () => {
    const path = devVars('EMBEDDINGS_BASE_URL=http://emb.example/v1\nMODELS="a,b"\nADMIN_API_KEY=sk-admin-from-file-000000\nNOT_A_SETTING=x\n');
    const { settings } = resolveSettings({ ADMIN_API_KEY: 'sk-admin-from-env-0000000', MODEL_ROUTES: '{"llama":"openai"}' }, path);
    expect(settings.ADMIN_API_KEY).toEqual({ value: 'sk-admin-from-env-0000000', source: 'environment' });
    expect(settings.EMBEDDINGS_BASE_URL).toEqual({ value: 'http://emb.example/v1', source: path });
    expect(settings.MODELS).toEqual({ value: 'a,b', source: path });
    expect(settings.MODEL_ROUTES).toEqual({ value: '{"llama":"openai"}', source: 'environment' });
    expect(settings.NOT_A_SETTING).toBeUndefined();
  });

  it("ignores the shell's OPENAI_BASE_URL / OPENAI_API_KEY (the SDK's), but reads them from .dev.vars", () => {
    const path = devVars('OPENAI_API_KEY=sk-old-name-in-file\n');
    const { settings, ignored } = resolveSettings({ OPENAI_BASE_URL: 'http://localhost:8787/v1', OPENAI_API_KEY: 'sk-shell' }, path);
    expect(ignored).toEqual(['OPENAI_BASE_URL', 'OPENAI_API_KEY']);
    expect(settings.OPENAI_BASE_URL).toBeUndefined();
    expect(settings.OPENAI_API_KEY).toEqual({ value: 'sk-old-name-in-file', source: path });
  });

  it('uses the local admin key when none is set', () => {
    expect(resolveSettings({}, '/nonexistent/.dev.vars').settings.ADMIN_API_KEY?.source).toBe('default for local development');
  });

  it('refuses an upstream that is the dev server itself, on any local host name', () => {
    for (const url of ['http://localhost:8787/v1', 'http://127.0.0.1:8787/v1', 'http://[::1]:8787/v1', 'http://0.0.0.0:8787']) {
      expect(selfReference({ UPSTREAM_OPENAI_BASE_URL: { value: url, source: 'environment' } }, 8787), url).toMatch(/points at this server \(port 8787\)/);
    }
    expect(selfReference({ OPENAI_BASE_URL: { value: 'http://localhost:8787/v1', source: '.dev.vars' } }, 8787)).toMatch(/^OPENAI_BASE_URL=/);
    expect(selfReference({ UPSTREAM_OPENAI_BASE_URL: { value: 'http://localhost:11434/v1', source: 'environment' } }, 8787)).toBeUndefined();
    expect(selfReference({ UPSTREAM_OPENAI_BASE_URL: { value: 'http://localhost:8787/v1', source: 'environment' } }, 8797)).toBeUndefined();
    expect(selfReference({ EMBEDDINGS_BASE_URL: { value: 'http://127.0.0.1:8787/v1', source: '.dev.vars' } }, 8787)).toMatch(/^EMBEDDINGS_BASE_URL=.* points at this server/);
  });

  it('finds the port from --port or wrangler.toml', () => {
    expect(devPort(['--port', '8797'])).toBe(8797);
    expect(devPort(['--port=9000'])).toBe(9000);
    expect(devPort([])).toBe(8787);
  });

  it('parses .dev.vars as dotenv does (quotes, comments, export)', () => {
    expect(parseDotenv("# c\nA='x y'\nexport B=\"q\"\nC=plain # note\nD=\n")).toEqual({ A: 'x y', B: 'q', C: 'plain', D: '' });
  });

  it('hands values to wrangler in a file only the user can read, quoted so JSON and quotes survive', () => {
    const file = writePrivateEnvFile({ MODEL_ROUTES: '{"gpt-":"openai"}', K: "it's" });
    try {
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(file.path, '..')).mode & 0o777).toBe(0o700);
      const parsed = parseDotenv(readFileSync(file.path, 'utf8'));
      expect(parsed).toEqual({ MODEL_ROUTES: '{"gpt-":"openai"}', K: "it's" });
    } finally {
      file.remove();
    }
  });
});
