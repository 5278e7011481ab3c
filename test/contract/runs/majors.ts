// One call shape over the SDK majors for the runs contract tests. The v4 vs v5+ differences of
// docs/openai-behaviour.md §6.7 live here: v4 passes (threadId, runId, ...) positionally, v6 and v7 (what
// `npm i openai` installs today) (runId, {thread_id, ...}).
// Return values are typed with the v6 types (the wire objects are the same).
import { expect } from 'vitest';
import type OpenAI from 'openai';
import type OpenAIv4 from 'openai-v4';
import type OpenAIv7 from 'openai-v7';
import type { AssistantStream } from 'openai/lib/AssistantStream';
import type { AssistantStreamEvent } from 'openai/resources/beta/assistants';
import type { Message, MessageCreateParams, MessageListParams } from 'openai/resources/beta/threads/messages';
import type {
  Run,
  RunCreateParamsNonStreaming,
  RunListParams,
  RunSubmitToolOutputsParamsNonStreaming,
  RunUpdateParams,
} from 'openai/resources/beta/threads/runs/runs';
import type { RunStep } from 'openai/resources/beta/threads/runs/steps';
import type { Thread, ThreadCreateAndRunParamsNonStreaming, ThreadCreateParams } from 'openai/resources/beta/threads/threads';

export type Major = 'v7' | 'v6' | 'v4';
export const MAJORS: Major[] = ['v7', 'v6', 'v4'];

type Page<T> = { data: T[]; has_more: boolean };
type Outputs = Pick<RunSubmitToolOutputsParamsNonStreaming, 'tool_outputs'>;

/** What a test needs of either major. Stream helpers return the major's own AssistantStream. */
export interface RunsApi {
  major: Major;
  createThread(body?: ThreadCreateParams): Promise<Thread>;
  createMessage(threadId: string, body: MessageCreateParams): Promise<Message>;
  listMessages(threadId: string, q?: MessageListParams): Promise<Page<Message>>;
  retrieveMessage(threadId: string, messageId: string): Promise<Message>;
  create(threadId: string, body: RunCreateParamsNonStreaming): Promise<Run>;
  createAndPoll(threadId: string, body: RunCreateParamsNonStreaming): Promise<Run>;
  createAndRun(body: ThreadCreateAndRunParamsNonStreaming): Promise<Run>;
  createAndRunPoll(body: ThreadCreateAndRunParamsNonStreaming): Promise<Run>;
  retrieve(threadId: string, runId: string): Promise<Run>;
  update(threadId: string, runId: string, body: Omit<RunUpdateParams, 'thread_id'>): Promise<Run>;
  list(threadId: string, q?: RunListParams): Promise<Page<Run>>;
  cancel(threadId: string, runId: string): Promise<Run>;
  poll(threadId: string, runId: string): Promise<Run>;
  submit(threadId: string, runId: string, body: Outputs): Promise<Run>;
  submitAndPoll(threadId: string, runId: string, body: Outputs): Promise<Run>;
  stream(threadId: string, body: RunCreateParamsNonStreaming, signal?: AbortSignal): AssistantStream;
  createAndRunStream(body: ThreadCreateAndRunParamsNonStreaming): AssistantStream;
  submitStream(threadId: string, runId: string, body: Outputs): AssistantStream;
  /** Raw `runs.create({stream: true})`: the SDK's Stream of events. */
  createRawStream(threadId: string, body: RunCreateParamsNonStreaming, signal?: AbortSignal): Promise<AsyncIterable<AssistantStreamEvent> & { controller: AbortController }>;
  listSteps(threadId: string, runId: string, q?: { order?: 'asc' | 'desc'; limit?: number }): Promise<Page<RunStep>>;
  retrieveStep(threadId: string, runId: string, stepId: string): Promise<RunStep>;
}

const cast = <T>(x: unknown): T => x as T;

export function runsApi(clients: { v7: OpenAIv7; v6: OpenAI; v4: OpenAIv4 }, major: Major): RunsApi {
  if (major === 'v6' || major === 'v7') {
    // v7's beta.threads has v6's call shapes; typed as v6's (the wire objects are the same).
    const t = major === 'v7' ? (clients.v7.beta.threads as unknown as OpenAI['beta']['threads']) : clients.v6.beta.threads;
    return {
      major,
      createThread: (body) => t.create(body),
      createMessage: (id, body) => t.messages.create(id, body),
      listMessages: (id, q) => t.messages.list(id, q),
      retrieveMessage: (tid, mid) => t.messages.retrieve(mid, { thread_id: tid }),
      create: (id, body) => t.runs.create(id, body),
      createAndPoll: (id, body) => t.runs.createAndPoll(id, body),
      createAndRun: (body) => t.createAndRun(body),
      createAndRunPoll: (body) => t.createAndRunPoll(body),
      retrieve: (tid, rid) => t.runs.retrieve(rid, { thread_id: tid }),
      update: (tid, rid, body) => t.runs.update(rid, { thread_id: tid, ...body }),
      list: (id, q) => t.runs.list(id, q),
      cancel: (tid, rid) => t.runs.cancel(rid, { thread_id: tid }),
      poll: (tid, rid) => t.runs.poll(rid, { thread_id: tid }),
      submit: (tid, rid, body) => t.runs.submitToolOutputs(rid, { thread_id: tid, ...body }),
      submitAndPoll: (tid, rid, body) => t.runs.submitToolOutputsAndPoll(rid, { thread_id: tid, ...body }),
      stream: (id, body, signal) => t.runs.stream(id, cast(body), signal ? { signal } : undefined),
      createAndRunStream: (body) => t.createAndRunStream(cast(body)),
      submitStream: (tid, rid, body) => t.runs.submitToolOutputsStream(rid, { thread_id: tid, ...body }),
      createRawStream: async (id, body, signal) => cast(await t.runs.create(id, { ...body, stream: true }, signal ? { signal } : undefined)),
      listSteps: (tid, rid, q) => t.runs.steps.list(rid, { thread_id: tid, ...q }),
      retrieveStep: (tid, rid, sid) => t.runs.steps.retrieve(sid, { thread_id: tid, run_id: rid }),
    };
  }
  const t = clients.v4.beta.threads;
  return {
    major,
    createThread: async (body) => cast(await t.create(cast(body ?? {}))),
    createMessage: async (id, body) => cast(await t.messages.create(id, cast(body))),
    listMessages: async (id, q) => cast(await t.messages.list(id, cast(q ?? {}))),
    retrieveMessage: async (tid, mid) => cast(await t.messages.retrieve(tid, mid)),
    create: async (id, body) => cast(await t.runs.create(id, cast(body))),
    createAndPoll: async (id, body) => cast(await t.runs.createAndPoll(id, cast(body))),
    createAndRun: async (body) => cast(await t.createAndRun(cast(body))),
    createAndRunPoll: async (body) => cast(await t.createAndRunPoll(cast(body))),
    retrieve: async (tid, rid) => cast(await t.runs.retrieve(tid, rid)),
    update: async (tid, rid, body) => cast(await t.runs.update(tid, rid, cast(body))),
    list: async (id, q) => cast(await t.runs.list(id, cast(q ?? {}))),
    cancel: async (tid, rid) => cast(await t.runs.cancel(tid, rid)),
    poll: async (tid, rid) => cast(await t.runs.poll(tid, rid)),
    submit: async (tid, rid, body) => cast(await t.runs.submitToolOutputs(tid, rid, body)),
    submitAndPoll: async (tid, rid, body) => cast(await t.runs.submitToolOutputsAndPoll(tid, rid, body)),
    stream: (id, body, signal) => cast(t.runs.stream(id, cast(body), signal ? { signal } : undefined)),
    createAndRunStream: (body) => cast(t.createAndRunStream(cast(body))),
    submitStream: (tid, rid, body) => cast(t.runs.submitToolOutputsStream(tid, rid, body)),
    createRawStream: async (id, body, signal) => cast(await t.runs.create(id, cast({ ...body, stream: true }), signal ? { signal } : undefined)),
    listSteps: async (tid, rid, q) => cast(await t.runs.steps.list(tid, rid, q ?? {})),
    retrieveStep: async (tid, rid, sid) => cast(await t.runs.steps.retrieve(tid, rid, sid)),
  };
}

// ---------------------------------------------------------------------------------------------------

interface SdkError {
  status?: number;
  message: string;
  error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown };
  cause?: unknown;
}

/** The call must fail with the SDK's APIError carrying OpenAI's envelope; returns body.error. */
export async function expectApiError(
  promise: PromiseLike<unknown>,
  status: number,
  message?: string | RegExp,
): Promise<{ message: string; type: string; param: string | null; code: string | null }> {
  let err: SdkError | undefined;
  try {
    await promise;
  } catch (e) {
    err = e as SdkError;
  }
  expect(err, 'expected the call to be rejected').toBeDefined();
  const detail = `${err!.message}${err!.cause ? ` (cause: ${String((err!.cause as Error).message ?? err!.cause)})` : ''}`;
  expect(err!.status, detail).toBe(status);
  const body = err!.error as { message: string; type: string; param: string | null; code: string | null };
  expect(body.type).toBe('invalid_request_error');
  if (message instanceof RegExp) expect(body.message).toMatch(message);
  else if (message !== undefined) expect(body.message).toBe(message);
  return body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Re-evaluates `get` until `ok` holds (this waits for a condition; it asserts nothing about time). */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, label: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}: last value ${JSON.stringify(v)?.slice(0, 500)}`);
    await sleep(25);
  }
}

/** Event names with consecutive repeats of `thread.message.delta` / `thread.run.step.delta` collapsed to `name+`. */
export function collapse(events: string[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const plus = `${e}+`;
    if (e.endsWith('.delta') && (out.at(-1) === e || out.at(-1) === plus)) out[out.length - 1] = plus;
    else out.push(e);
  }
  return out.map((e) => (e.endsWith('.delta') && !e.endsWith('+') ? `${e}+` : e));
}

export const TEXT_EVENTS = [
  'thread.run.step.created',
  'thread.run.step.in_progress',
  'thread.message.created',
  'thread.message.in_progress',
  'thread.message.delta+',
  'thread.message.completed',
  'thread.run.step.completed',
];
