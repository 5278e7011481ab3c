import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { getProjectRow, DEFAULT_PROJECT_ID, touchKey } from '../db/projects';
import { apiKeysOf } from './api-keys';
import { randomBase62 } from '../domain/ids';
import { redactKey, secretsEqual } from '../domain/keys';
import { services } from '../services';
import type { AppEnv } from './context';
import { ApiError, notFound } from './errors';

/**
 * The first middleware: the isolate's services (src/services.ts) as `c.var.services`, so every
 * route and middleware takes its adapters and settings from one place. Building is lazy: nothing is
 * constructed until a handler reads a member, and a bad setting still fails where it is first read.
 */
export const provideServices: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('services', services(c.env));
  await next();
};

/** `x-request-id` on every response (the SDK exposes it as `error.requestID` / `_request_id`). */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = `req_${randomBase62(32)}`;
  c.set('requestId', id);
  await next();
  c.res.headers.set('x-request-id', id);
};

/**
 * CORS for browser apps (`new OpenAI({ dangerouslyAllowBrowser: true })`), as api.openai.com does:
 * preflights answer 204 without a key and echo the requested headers (the SDKs send `authorization`,
 * `content-type`, `openai-beta`, `openai-project`, `x-stainless-*`); every response, errors and SSE
 * included, carries Access-Control-Allow-Origin. Mounted before `authenticate`, so a preflight never
 * meets the 401. The headers the SDK reads are exposed to page scripts.
 */
export const corsForApi: MiddlewareHandler<AppEnv> = cors({
  origin: (origin, c) => {
    const allowed = c.var.services.config.corsOrigins;
    if (allowed === '*') return '*';
    return allowed.includes(origin) ? origin : null;
  },
  allowMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'PUT'],
  exposeHeaders: ['x-request-id', 'openai-poll-after-ms', 'x-should-retry', 'retry-after'],
  // Browsers cap this (Chromium: 2 h); it saves a preflight per request for an hour.
  maxAge: 3600,
});

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";

/** How often `last_used_at` is written: at most once a minute per key, off the request path. */
const TOUCH_INTERVAL_S = 60;

/**
 * Bearer authentication. The ADMIN_API_KEY acts in the project named by the `OpenAI-Project`
 * header (default project otherwise); a project key acts in its own project only.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, NO_KEY, 'invalid_request_error', null, null);
  const presented = match[1]!;
  const { config, db } = c.var.services;
  const requestedProject = c.req.header('openai-project')?.trim() || undefined;

  if (config.adminApiKey && (await secretsEqual(presented, config.adminApiKey))) {
    const projectId = requestedProject ?? DEFAULT_PROJECT_ID;
    // The default project always exists (migration 0001) and cannot be archived.
    if (projectId !== DEFAULT_PROJECT_ID) {
      const project = await getProjectRow(db, projectId);
      if (!project || project.status !== 'active') throw notFound('project', projectId);
    }
    c.set('principal', { kind: 'admin', projectId });
    return next();
  }

  // Cached per isolate for KEY_CACHE_TTL_MS: the revocation bound is documented there.
  const keys = apiKeysOf(c);
  const key = await keys.find(presented);
  if (!key) {
    throw new ApiError(
      401,
      `Incorrect API key provided: ${redactKey(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }
  if (requestedProject && requestedProject !== key.projectId) {
    throw new ApiError(401, 'OpenAI-Project header should match project for API key', 'invalid_request_error', null, 'mismatched_project');
  }
  const now = Math.floor(Date.now() / 1000);
  if (key.lastUsedAt === null || now - key.lastUsedAt >= TOUCH_INTERVAL_S) {
    c.executionCtx.waitUntil(touchKey(db, key.keyId, now).catch(() => undefined));
    void keys.touched(presented, now);
  }
  c.set('principal', { kind: 'project', projectId: key.projectId, keyId: key.keyId });
  return next();
};

/** The admin API (`/v1/organization/...`) is for the ADMIN_API_KEY only. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('principal').kind !== 'admin') {
    throw new ApiError(
      403,
      'You have insufficient permissions for this operation. Only the admin key (ADMIN_API_KEY) can manage projects and keys.',
      'invalid_request_error',
      null,
      'insufficient_permissions',
    );
  }
  return next();
};

/**
 * The SDK sends `OpenAI-Beta: assistants=v2` on assistants, threads and vector stores. Its absence is
 * accepted (no SDK depends on the rejection); asking for v1 is refused with OpenAI's message.
 */
export const assistantsBeta: MiddlewareHandler<AppEnv> = async (c, next) => {
  const beta = c.req.header('openai-beta');
  if (beta && /assistants=v1\b/.test(beta)) {
    throw new ApiError(
      400,
      "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
      'invalid_request_error',
      null,
      'invalid_beta',
    );
  }
  return next();
};
