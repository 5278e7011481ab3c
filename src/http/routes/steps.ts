import { Hono } from 'hono';
import { projectOf, threadStub, type AppEnv } from '../context';
import { parseInclude } from '../include';
import { listEnvelope, parseListQuery } from '../pagination';
import { unwrap } from '../rpc';
import type { RunStep } from '../../domain/runs/types';
import type { Page } from '../../db/pagination';
import { pathId } from '../validation';

/** `client.beta.threads.runs.steps`: list and retrieve (with `include[]`). */
export const stepsRoutes = new Hono<AppEnv>();

stepsRoutes.get('/threads/:thread_id/runs/:run_id/steps', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  const includeContent = parseInclude(c).length > 0;
  const page = unwrap<Page<RunStep>>(await threadStub(c, threadId).listSteps(projectOf(c), threadId, runId, parseListQuery(c.req.query()), includeContent));
  return c.json(listEnvelope(page));
});

stepsRoutes.get('/threads/:thread_id/runs/:run_id/steps/:step_id', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  const stepId = pathId(c, 'step_id', 'step_');
  const includeContent = parseInclude(c).length > 0;
  return c.json(unwrap<RunStep>(await threadStub(c, threadId).getStep(projectOf(c), threadId, runId, stepId, includeContent)));
});
