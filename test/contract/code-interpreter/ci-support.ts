// Shared helpers of the code_interpreter contract tests: a project of its own per test, both SDK
// majors behind one call shape (runs via ../runs/majors.ts, files here), and readers for the
// code_interpreter tool call of a run and the tool messages the worker sent upstream.
import { expect } from 'vitest';
import { toFile } from 'openai';
import { toFile as toFileV4 } from 'openai-v4';
import type { FileObject } from 'openai/resources/files';
import type { Message } from 'openai/resources/beta/threads/messages';
import type { Run } from 'openai/resources/beta/threads/runs/runs';
import type { RunStep } from 'openai/resources/beta/threads/runs/steps';
import type { Script } from '../../support/scripted-upstream';
import { upstreamRequests } from '../../support/upstream-control.js';
import { runsApi, type Major, type RunsApi } from '../runs/majors.js';
import { marker, runFixture } from '../runs/run-support.js';

export { MAJORS, type Major } from '../runs/majors.js';
export { marker } from '../runs/run-support.js';

export interface CiOutput { type: 'logs' | 'image'; logs?: string; image?: { file_id: string } }
export interface CiCall { id: string; type: 'code_interpreter'; code_interpreter: { input: string; outputs: CiOutput[] } }

/** A script that has the model call the `python` function with `code`. */
export const python = (code: string, extra: Partial<Script> = {}): Script =>
  ({ toolCalls: [{ name: 'python', arguments: JSON.stringify({ code }) }], ...extra }) as Script;

/** Files API over both majors (same wire objects, v6 types). */
export interface FilesApi {
  upload(bytes: string | Buffer, filename: string): Promise<FileObject>;
  retrieve(id: string): Promise<FileObject>;
  /** The bytes of GET /files/{id}/content. */
  bytes(id: string): Promise<Buffer>;
}

function filesApi(fx: Awaited<ReturnType<typeof runFixture>>, major: Major): FilesApi {
  if (major === 'v6') {
    return {
      upload: async (b, name) => fx.v6.files.create({ file: await toFile(Buffer.from(b), name), purpose: 'assistants' }),
      retrieve: (id) => fx.v6.files.retrieve(id),
      bytes: async (id) => Buffer.from(await (await fx.v6.files.content(id)).arrayBuffer()),
    };
  }
  return {
    upload: async (b, name) => (await fx.v4.files.create({ file: await toFileV4(Buffer.from(b), name), purpose: 'assistants' })) as unknown as FileObject,
    retrieve: async (id) => (await fx.v4.files.retrieve(id)) as unknown as FileObject,
    bytes: async (id) => Buffer.from(await (await fx.v4.files.content(id)).arrayBuffer()),
  };
}

/** A project, an assistant with code_interpreter (plus `assistant` fields), both APIs in `major`, a marker. */
export async function ciSetup(label: string, major: Major, assistant: Record<string, unknown> = {}) {
  const fx = await runFixture(`ci-${label}-${major}`, { tools: [{ type: 'code_interpreter' }], ...assistant });
  const api: RunsApi = runsApi(fx, major);
  return { ...fx, api, files: filesApi(fx, major), m: marker(`ci-${label}-${major}`) };
}

/** The tool_calls steps of a run, oldest first. */
export async function toolSteps(api: RunsApi, threadId: string, runId: string): Promise<RunStep[]> {
  const steps = await api.listSteps(threadId, runId, { order: 'asc' });
  return steps.data.filter((s) => s.type === 'tool_calls');
}

/** The run's only code_interpreter call (asserts there is exactly one, in a completed step). */
export async function ciCallOf(api: RunsApi, run: Run): Promise<CiCall> {
  const steps = await toolSteps(api, run.thread_id, run.id);
  expect(steps, 'one tool_calls step').toHaveLength(1);
  expect(steps[0]!.status).toBe('completed');
  const calls = (steps[0]!.step_details as { tool_calls: CiCall[] }).tool_calls;
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ id: expect.stringMatching(/^call_/), type: 'code_interpreter' });
  return calls[0]!;
}

/** The logs output's text (asserts there is exactly one logs output). */
export function logsOf(call: CiCall): string {
  const logs = call.code_interpreter.outputs.filter((o) => o.type === 'logs');
  expect(logs, JSON.stringify(call.code_interpreter.outputs)).toHaveLength(1);
  return logs[0]!.logs!;
}

/** The `role: 'tool'` messages of the upstream requests that carried `m`, per request. */
export async function toolMessagesSent(m: string): Promise<{ tool_call_id: string; content: string }[][]> {
  const reqs = await upstreamRequests(m);
  return reqs.map((r) => (r.body?.messages ?? []).filter((x: { role: string }) => x.role === 'tool'));
}

/** Asserts the run completed (with its last_error in the failure message). */
export function expectCompleted(run: Run): void {
  expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
}

/** The text part of a message. */
export function textOf(message: Message) {
  const part = message.content.find((c) => c.type === 'text');
  expect(part, JSON.stringify(message.content)).toBeDefined();
  return (part as Extract<Message['content'][number], { type: 'text' }>).text;
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
