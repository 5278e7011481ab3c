import { eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { getFileRow, openFileStream, type FileRow } from '../../db/files';
import { createFileFromBytes } from '../../db/files-service';
import { inProject } from '../../db/project-scope';
import { messages } from '../../db/schema';
import { getThreadRow } from '../../db/threads';
import { codeOf } from '../../domain/code/python-tool';
import type { CodeExecutionResult, CodeExecutor } from '../../domain/ports';
import type { Run, RunStep, ToolCall } from '../../domain/runs/types';
import { withAnswers, type HostedCall, type ToolPorts } from '../hosted-tool';

export interface CodeInterpreterHost {
  executor: CodeExecutor;
  /** Seconds one execution may run before the sandbox stops it (reported to the model, not a failure). */
  timeoutSeconds: number;
  db: Database;
  bucket: R2Bucket;
  sql: SqlStorage;
  emit: ToolPorts['emit'];
}

const fileIdsOf = (resources: unknown): string[] => {
  const ids = (resources as { code_interpreter?: { file_ids?: unknown } } | null)?.code_interpreter?.file_ids;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * The files a run's code sees in /mnt/data: the assistant's (or createAndRun's) and the thread's
 * `tool_resources.code_interpreter.file_ids`, and files attached to the thread's messages for the
 * code_interpreter tool.
 */
export async function sandboxInputs(db: Database, run: Run, projectId: string): Promise<FileRow[]> {
  const thread = await getThreadRow(db, projectId, run.thread_id);
  const ids = new Set([...fileIdsOf(run.tool_resources), ...fileIdsOf(thread?.toolResources)]);
  const attached = await db
    .select({ attachments: messages.attachments })
    .from(messages)
    .where(inProject(messages, projectId, eq(messages.threadId, run.thread_id), isNotNull(messages.attachments)));
  for (const { attachments } of attached) {
    for (const a of (attachments ?? []) as { file_id: string; tools: { type: string }[] }[]) {
      if (a.tools.some((t) => t.type === 'code_interpreter')) ids.add(a.file_id);
    }
  }
  const rows: FileRow[] = [];
  for (const id of ids) {
    const row = await getFileRow(db, projectId, id);
    if (row) rows.push(row);
  }
  return rows;
}

/** Stores bytes the sandbox produced as a File (`purpose: "assistants_output"`, OpenAI's). */
async function storeOutput(host: CodeInterpreterHost, projectId: string, filename: string, bytes: Uint8Array): Promise<string> {
  return (await createFileFromBytes(host.db, host.bucket, projectId, { filename, purpose: 'assistants_output', bytes })).id;
}

/** What the model reads back from an execution. */
function modelOutput(result: CodeExecutionResult, images: string[], files: { path: string }[], timeoutSeconds: number): string {
  const lines = [result.logs.trimEnd()];
  if (result.status === 'timeout') lines.push(`[The execution was stopped after ${timeoutSeconds} seconds; the interpreter was restarted and its variables are lost.]`);
  for (const id of images) lines.push(`[image displayed to the user: ${id}]`);
  for (const f of files) lines.push(`[file saved: sandbox:/mnt/data/${f.path}]`);
  const text = lines.filter((l) => l !== '').join('\n');
  return text || '[no output]';
}

/**
 * Runs the turn's `python` calls in the thread's sandbox (session = thread id): inputs are placed in
 * /mnt/data first, then each call's code runs; its logs, images (stored as files) and written files
 * become the code_interpreter call's `outputs`, streamed as step deltas. Errors in the code and
 * timeouts are outputs the model sees; an unavailable sandbox throws (the run fails).
 */
export async function answerPython(
  host: CodeInterpreterHost,
  run: Run,
  projectId: string,
  step: RunStep,
  calls: HostedCall[],
  log: ToolPorts['hostedCalls'],
  signal: AbortSignal,
): Promise<RunStep> {
  for (const file of await sandboxInputs(host.db, run, projectId)) {
    const object = await openFileStream(host.bucket, file);
    if (object) await host.executor.writeFile(run.thread_id, file.filename, new Uint8Array(await object.arrayBuffer()));
  }
  const details = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  const answered = new Map<string, ToolCall>();
  for (const call of calls) {
    const code = codeOf(call.arguments);
    const result = await host.executor.execute(run.thread_id, code, { timeoutMs: host.timeoutSeconds * 1000, signal });
    const images: string[] = [];
    for (const [i, png] of result.images.entries()) {
      const id = await storeOutput(host, projectId, `${call.id}-${i}.png`, png);
      host.sql.exec("INSERT INTO sandbox_outputs (file_id, run_id, kind, path) VALUES (?, ?, 'image', ?)", id, run.id, `${call.id}-${i}.png`);
      images.push(id);
    }
    for (const f of result.files) {
      const bytes = await host.executor.readFile(run.thread_id, f.path);
      const id = await storeOutput(host, projectId, f.path.split('/').pop() || f.path, bytes);
      host.sql.exec("INSERT INTO sandbox_outputs (file_id, run_id, kind, path) VALUES (?, ?, 'file', ?)", id, run.id, f.path);
    }
    const outputs = [
      ...(result.logs || images.length === 0 ? [{ type: 'logs' as const, logs: result.logs }] : []),
      ...images.map((file_id) => ({ type: 'image' as const, image: { file_id } })),
    ];
    log.insertHostedCall({ callId: call.id, runId: run.id, name: call.name, arguments: call.arguments, output: modelOutput(result, images, result.files, host.timeoutSeconds), passages: [] });
    const index = details.findIndex((c) => c.id === call.id);
    host.emit(run.id, 'thread.run.step.delta', {
      id: step.id,
      object: 'thread.run.step.delta',
      delta: { step_details: { type: 'tool_calls', tool_calls: [{ index, type: 'code_interpreter', code_interpreter: { outputs: outputs.map((o, i) => ({ index: i, ...o })) } }] } },
    });
    answered.set(call.id, { id: call.id, type: 'code_interpreter', code_interpreter: { input: code, outputs } });
  }
  return withAnswers(step, answered);
}

/** The run's generated files by /mnt/data path, and the images not yet shown in a message (marked shown). */
export function sandboxOutputsForMessage(sql: SqlStorage, runId: string): { files: Map<string, string>; images: string[] } {
  const rows = sql.exec<{ file_id: string; kind: string; path: string; shown: number }>('SELECT file_id, kind, path, shown FROM sandbox_outputs WHERE run_id = ? ORDER BY file_id', runId).toArray();
  const images = rows.filter((r) => r.kind === 'image' && !r.shown).map((r) => r.file_id);
  if (images.length) sql.exec("UPDATE sandbox_outputs SET shown = 1 WHERE run_id = ? AND kind = 'image'", runId);
  return { files: new Map(rows.filter((r) => r.kind === 'file').map((r) => [r.path, r.file_id])), images };
}

