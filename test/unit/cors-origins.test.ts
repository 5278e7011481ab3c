// CORS_ORIGINS: `*` answers every origin; a list answers only its own origins (and varies on Origin).
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../src/http/context';
import { corsForApi, provideServices } from '../../src/http/middleware';

vi.mock('@cloudflare/sandbox', () => ({
  // The real module imports `cloudflare:workers` (Workers only); src/services.ts only passes it on.
  getSandbox: vi.fn(),
}));

function appWith(env: Record<string, string>) {
  const app = new Hono<AppEnv>();
  app.use('*', provideServices);
  app.use('*', corsForApi);
  app.get('/x', (c) => c.json({ ok: true }));
  return (origin: string, method = 'GET') =>
    app.request('/x', { method, headers: { origin, 'access-control-request-method': 'GET' } }, env as never);
}

describe('CORS_ORIGINS', () => {
  it('defaults to *', async () => {
    const res = await appWith({})('https://anywhere.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows only the listed origins', async () => {
    const request = appWith({ CORS_ORIGINS: 'https://a.example, https://b.example' });
    const allowed = await request('https://b.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const refused = await request('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await request('https://evil.example', 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects a malformed setting naming the variable', async () => {
    await expect(appWith({ CORS_ORIGINS: 'not an origin' })('https://a.example')).resolves.toHaveProperty('status', 500);
  });
});
