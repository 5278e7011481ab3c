import { Hono, type Context } from 'hono';
import type { AppEnv } from './context';
import { DOCS_CSP, DOCS_PAGE } from './docs-page';
import { servedDocument, type ServedRoute } from './openapi/document';

/**
 * What needs no key: `GET /v1/openapi.json` (the served API described), `GET /docs` (a reference
 * page rendering it, offline) and `GET /healthz` (liveness plus a D1 round trip, for load balancers
 * and uptime checks). Registered on the root app before `/v1` so authentication never sees them.
 */
export function publicRoutes(routes: () => readonly ServedRoute[]) {
  const app = new Hono<AppEnv>();
  let document: unknown;

  app.get('/v1/openapi.json', (c) => {
    document ??= servedDocument(routes());
    return c.json(document);
  });

  app.get('/docs', (c: Context<AppEnv>) => c.html(DOCS_PAGE, 200, { 'content-security-policy': DOCS_CSP }));

  app.get('/healthz', async (c) => {
    try {
      await c.env.DB.prepare('SELECT 1').first();
      return c.json({ status: 'ok', checks: { d1: 'ok' } });
    } catch (err) {
      console.error(`[${c.get('requestId')}] healthz: D1 unreachable`, err);
      return c.json({ status: 'unavailable', checks: { d1: 'failed' } }, 503);
    }
  });
  return app;
}
