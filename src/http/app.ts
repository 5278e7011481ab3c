import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context';
import { DomainError } from '../domain/errors';
import { ApiError, fromDomainError, serverError } from './errors';
import { assistantsBeta, authenticate, corsForApi, provideServices, requestId } from './middleware';
import { assistantsRoutes } from './routes/assistants';
import { filesRoutes } from './routes/files';
import { uploadsRoutes } from './routes/uploads';
import { fileBatchesRoutes } from './routes/file-batches';
import { vectorStoreFilesRoutes } from './routes/vector-store-files';
import { vectorStoresRoutes } from './routes/vector-stores';
import { messagesRoutes } from './routes/messages';
import { modelsRoutes } from './routes/models';
import { runsRoutes } from './routes/runs';
import { stepsRoutes } from './routes/steps';
import { organizationRoutes } from './routes/organization';
import { usageRoutes } from './routes/usage';
import { storageUsageRoutes } from './routes/usage-storage';
import { projectExportRoutes } from './routes/project-export';
import { publicRoutes } from './public-routes';
import { threadsRoutes } from './routes/threads';
import { chatCompletionsRoutes } from './routes/chat-completions';
import { embeddingsRoutes } from './routes/embeddings';
import { responsesRoutes } from './routes/responses';
import { containersRoutes } from './routes/containers';
import { containerFilesRoutes } from './routes/container-files';
import { responsesCompactRoutes } from './routes/responses-compact';
import { refuseUpstreamLoop } from './upstream-loop';
import { threadListRoutes } from './routes/thread-list';
import { threadExportRoutes } from './routes/thread-export';
import { conversationsRoutes } from './routes/conversations';
import { conversationItemsRoutes } from './routes/conversation-items';

/** Any error, thrown anywhere, as OpenAI's envelope; anything unexpected is a 500 `server_error`, logged. */
export function renderError(err: Error, c: Context<AppEnv>): Response {
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof DomainError) e = fromDomainError(err);
  else if (err instanceof HTTPException) e = new ApiError(err.status as ApiError['status'], err.message || 'Bad request');
  else {
    console.error(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}:`, err);
    e = serverError();
  }
  return c.json(e.toBody(), e.status, e.headers);
}

/**
 * The HTTP surface: OpenAI's paths under `/v1`. Every error, thrown anywhere, is rendered here into
 * OpenAI's envelope; anything unexpected is a 500 `server_error` and is logged, never leaked.
 */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use('*', provideServices);
  app.use('*', requestId);
  // Before authentication: a preflight carries no key (src/http/middleware.ts corsForApi).
  app.use('/v1/*', corsForApi);
  // Public, before `/v1` and its authentication: /v1/openapi.json (described from the route table), /docs, /healthz.
  app.route('/', publicRoutes(() => app.routes));

  const v1 = new Hono<AppEnv>();
  v1.use('*', refuseUpstreamLoop);
  v1.use('*', authenticate);
  v1.use('/assistants/*', assistantsBeta);
  v1.use('/assistants', assistantsBeta);
  v1.use('/threads/*', assistantsBeta);
  v1.use('/threads', assistantsBeta);
  v1.use('/vector_stores/*', assistantsBeta);
  v1.use('/vector_stores', assistantsBeta);
  v1.route('/', assistantsRoutes);
  // Before the threads routes: `POST /threads/runs` must not be taken for `POST /threads/:thread_id`.
  v1.route('/', runsRoutes);
  v1.route('/', threadListRoutes);
  // Before the threads routes: `POST /threads/import` must not be taken for `POST /threads/:thread_id`.
  v1.route('/', threadExportRoutes);
  v1.route('/', threadsRoutes);
  v1.route('/', messagesRoutes);
  v1.route('/', stepsRoutes);
  v1.route('/', modelsRoutes);
  v1.route('/', filesRoutes);
  v1.route('/', uploadsRoutes);
  v1.route('/', vectorStoresRoutes);
  v1.route('/', vectorStoreFilesRoutes);
  v1.route('/', fileBatchesRoutes);
  // Before the admin routes: project keys may read their own usage (src/http/routes/usage.ts).
  v1.route('/', usageRoutes);
  v1.route('/', storageUsageRoutes);
  v1.route('/', organizationRoutes);
  v1.route('/', chatCompletionsRoutes);
  v1.route('/', embeddingsRoutes);
  v1.route('/', responsesRoutes);
  v1.route('/', containersRoutes);
  v1.route('/', containerFilesRoutes);
  v1.route('/', responsesCompactRoutes);
  v1.route('/', projectExportRoutes);
  v1.route('/', conversationsRoutes);
  v1.route('/', conversationItemsRoutes);
  app.route('/v1', v1);

  app.notFound((c) => {
    const e = new ApiError(404, `Invalid URL (${c.req.method} ${new URL(c.req.url).pathname})`);
    return c.json(e.toBody(), e.status);
  });

  app.onError(renderError);

  return app;
}
