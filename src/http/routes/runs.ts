import { Hono } from 'hono';
import { requireRoutableModel } from '../model-check';
import { getAssistantRow, toRunStartAssistant, type RunStartAssistant } from '../../db/assistants';
import { prepareRequestTools } from '../mcp-run-tools';
import type { AssistantTool } from '../../contract/common';
import { newId } from '../../domain/ids';
import { dbOf, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { invalidRequest, notFound } from '../errors';
import { parseInclude } from '../include';
import { listEnvelope, parseListQuery, POLL_AFTER_MS } from '../pagination';
import { unwrap } from '../rpc';
import type { Run } from '../../domain/runs/types';
import { POLLED_RUN_STATUSES } from '../../domain/runs/state';
import type { Page } from '../../db/pagination';
import type { StreamedRun } from '../../durable/run-commands';
import { getThreadRow, toThreadObject, type ThreadObjectJson } from '../../db/threads';
import { RunCreateParams, RunSubmitToolOutputsParams, RunUpdateParams, ThreadCreateAndRunParams } from '../../contract/runs';
import { sseResponse } from '../sse';
import { checkTools } from '../tool-checks';
import { checkAttachments, indexAttachments, resolveToolResources } from '../../retrieval/tool-resources';
import { parseBody, pathId } from '../validation';
import { MAX_TOOL_OUTPUTS_BYTES, storedLength } from '../../domain/runs/limits';
import { noteRunCreated } from './thread-list';

/** `client.beta.threads.runs` and `client.beta.threads.createAndRun`. */
export const runsRoutes = new Hono<AppEnv>();

/** How long a poll helper's GET may wait for the run to change (long polling). */
const LONG_POLL_MS = 10_000;

/**
 * Each output may hold 512 KiB (the schema); together they are stored in one step row, so their sum
 * is bounded too (src/domain/runs/limits.ts) and checked before the thread object is touched.
 */
function checkToolOutputsSize(outputs: { output?: string; reason?: string }[]): void {
  const total = outputs.reduce((n, o) => n + storedLength(o.output ?? '') + storedLength(o.reason ?? ''), 0);
  if (total > MAX_TOOL_OUTPUTS_BYTES) {
    throw invalidRequest(
      `Invalid 'tool_outputs': the outputs take ${total} bytes (as stored), above the limit of ${MAX_TOOL_OUTPUTS_BYTES} bytes for one submission.`,
      'tool_outputs',
      'string_above_max_length',
    );
  }
}

async function assistantFor(c: AppContext, assistantId: string) {
  const row = await getAssistantRow(dbOf(c), projectOf(c), assistantId);
  if (!row) throw notFound('assistant', assistantId);
  return toRunStartAssistant(row);
}

/**
 * A run's own `tools` with their `mcp` secrets sealed and taken out (docs/mcp-assistants.md): the run
 * keeps the sealed values in its internal record, never in `run.tools`.
 */
async function sealRunTools(c: AppContext, params: { tools?: AssistantTool[] | null }): Promise<Record<string, string> | undefined> {
  if (!params.tools) return undefined;
  const prepared = await prepareRequestTools(c, projectOf(c), params.tools, false);
  params.tools = prepared.tools;
  return prepared.sealed;
}

/** Whether checkAttachments/indexAttachments have anything to read or write for this message. */
const namesFiles = (m: { attachments?: unknown[] | null; content?: string | { type: string }[] | null }) =>
  (m.attachments?.length ?? 0) > 0 || (Array.isArray(m.content) && m.content.some((part) => part.type === 'image_file'));

/** A run needs a model some configured provider serves (src/http/model-check.ts). */
function checkModel(c: AppContext, model: string): void {
  requireRoutableModel(c.var.services.models, model);
}

runsRoutes.post('/threads/runs', async (c) => {
  const params = await parseBody(c, ThreadCreateAndRunParams);
  checkTools(params.tools);
  const mcpSealed = await sealRunTools(c, params);
  const assistant = await assistantFor(c, params.assistant_id);
  checkModel(c, params.model ?? assistant.model);
  const db = dbOf(c);
  const threadParams = params.thread ?? {};
  await checkAttachments(db, projectOf(c), threadParams.messages ?? []);
  params.tool_resources = await resolveToolResources(db, c.env.INGEST_QUEUE, projectOf(c), params.tool_resources);
  threadParams.tool_resources = await resolveToolResources(db, c.env.INGEST_QUEUE, projectOf(c), threadParams.tool_resources, 'thread');
  const threadId = newId('thread_');
  const stub = threadStub(c, threadId);
  const created = unwrap<ThreadObjectJson>(await stub.createThread(projectOf(c), threadId, threadParams));
  await indexAttachments(db, c.env.INGEST_QUEUE, projectOf(c), threadId, threadParams.messages ?? []);
  const stored = await getThreadRow(db, projectOf(c), threadId);
  const thread = stored ? toThreadObject(stored) : created;
  const { thread: _thread, tool_resources, ...runParams } = params;
  const runAssistant = tool_resources !== undefined ? { ...assistant, tool_resources: tool_resources ?? {} } : assistant;
  const stream = params.stream === true;
  const result = unwrap<StreamedRun>(
    await stub.createRun(projectOf(c), threadId, runAssistant, runParams, {
      stream,
      prelude: [{ event: 'thread.created', data: thread }],
      mcpSealed,
    }),
  );
  noteRunCreated(c, result.run);
  return result.stream ? sseResponse(result.stream, c.get('requestId')) : c.json(result.run);
});

runsRoutes.post('/threads/:thread_id/runs', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const include = parseInclude(c);
  const params = await parseBody(c, RunCreateParams);
  checkTools(params.tools);
  const mcpSealed = await sealRunTools(c, params);
  const added = params.additional_messages ?? [];
  // Messages naming files are checked and indexed here, after the assistant's 404 and the model
  // check, as OpenAI orders them; otherwise the thread object reads the assistant itself, in one D1
  // batch with the thread's messages (docs/run-lifecycle.md §"Hot path").
  let assistant: RunStartAssistant | string = params.assistant_id;
  if (added.some(namesFiles)) {
    assistant = await assistantFor(c, params.assistant_id);
    checkModel(c, params.model ?? assistant.model);
    await checkAttachments(dbOf(c), projectOf(c), added);
    await indexAttachments(dbOf(c), c.env.INGEST_QUEUE, projectOf(c), threadId, added);
  }
  const result = unwrap<StreamedRun>(await threadStub(c, threadId).createRun(projectOf(c), threadId, assistant, params, { stream: params.stream === true, include, mcpSealed }));
  noteRunCreated(c, result.run);
  return result.stream ? sseResponse(result.stream, c.get('requestId')) : c.json(result.run);
});

runsRoutes.get('/threads/:thread_id/runs', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const page = unwrap<Page<Run>>(await threadStub(c, threadId).listRuns(projectOf(c), threadId, parseListQuery(c.req.query())));
  return c.json(listEnvelope(page));
});

runsRoutes.get('/threads/:thread_id/runs/:run_id', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  // The SDK's poll helpers mark their GETs; those wait for the run to change instead of sleeping.
  const wait = c.req.header('x-stainless-poll-helper') === 'true' ? LONG_POLL_MS : 0;
  const run = unwrap<Run>(await threadStub(c, threadId).getRun(projectOf(c), threadId, runId, wait));
  if (POLLED_RUN_STATUSES.includes(run.status)) c.header('openai-poll-after-ms', wait > 0 ? '0' : POLL_AFTER_MS);
  return c.json(run);
});

runsRoutes.post('/threads/:thread_id/runs/:run_id', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  const params = await parseBody(c, RunUpdateParams);
  const metadata = params.metadata === undefined ? undefined : (params.metadata ?? {});
  return c.json(unwrap<Run>(await threadStub(c, threadId).updateRunMetadata(projectOf(c), threadId, runId, metadata)));
});

runsRoutes.post('/threads/:thread_id/runs/:run_id/cancel', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  await parseBody(c, RunUpdateParams.pick({}));
  return c.json(unwrap<Run>(await threadStub(c, threadId).cancelRun(projectOf(c), threadId, runId)));
});

runsRoutes.post('/threads/:thread_id/runs/:run_id/submit_tool_outputs', async (c) => {
  const threadId = pathId(c, 'thread_id', 'thread_');
  const runId = pathId(c, 'run_id', 'run_');
  const params = await parseBody(c, RunSubmitToolOutputsParams);
  if (params.tool_outputs.length === 0) throw invalidRequest("Invalid 'tool_outputs': empty array. Expected at least one tool output.", 'tool_outputs', 'empty_array');
  checkToolOutputsSize(params.tool_outputs);
  const stream = params.stream === true;
  const result = unwrap<StreamedRun>(await threadStub(c, threadId).submitToolOutputs(projectOf(c), threadId, runId, params, { stream }));
  return result.stream ? sseResponse(result.stream, c.get('requestId')) : c.json(result.run);
});
