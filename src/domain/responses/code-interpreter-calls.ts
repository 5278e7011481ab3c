import { codeOf, filePathsIn } from '../code/python-tool';
import type { CodeInterpreterCallItem, CodeInterpreterOutput } from './types';

/**
 * code_interpreter calls as Responses output items (docs/responses.md "Hosted tools"), as OpenAI's document
 * describes them: CodeInterpreterToolCall (`id`, `type`, `status`, `container_id`, `code`, `outputs`;
 * `outputs` only with `include: ["code_interpreter_call.outputs"]`) and the ContainerFileCitation
 * annotation of files the code wrote.
 */

/** The include value that shows a code_interpreter call's outputs (OpenAI's ResponseIncludable). */
export const CODE_INTERPRETER_OUTPUTS_INCLUDE = 'code_interpreter_call.outputs';

/** A call as it starts: its code known (the model's arguments), status `in_progress`, no outputs yet. */
export function codeInterpreterCallStarted(id: string, containerId: string, args: string): CodeInterpreterCallItem {
  return { type: 'code_interpreter_call', id, status: 'in_progress', container_id: containerId, code: codeOf(args), outputs: null };
}

/**
 * The call once run: `completed`, or `failed` when the code raised or was stopped at the time limit (the
 * model still reads what it printed); its outputs shown only when `include` asked for them.
 */
export function codeInterpreterCallDone(
  item: CodeInterpreterCallItem,
  result: { status: 'ok' | 'error' | 'timeout'; outputs: CodeInterpreterOutput[] },
  include: readonly string[],
): CodeInterpreterCallItem {
  return { ...item, status: result.status === 'ok' ? 'completed' : 'failed', outputs: include.includes(CODE_INTERPRETER_OUTPUTS_INCLUDE) ? result.outputs : null };
}

/** The outputs of one execution: its logs (also when empty and nothing else was shown), then its images. */
export function codeInterpreterOutputs(logs: string, imageUrls: readonly string[]): CodeInterpreterOutput[] {
  return [...(logs || imageUrls.length === 0 ? [{ type: 'logs' as const, logs }] : []), ...imageUrls.map((url) => ({ type: 'image' as const, url }))];
}

/** OpenAI's `container_file_citation` annotation of the Responses API (ContainerFileCitationBody). */
export interface ContainerFileCitation {
  type: 'container_file_citation';
  container_id: string;
  file_id: string;
  filename: string;
  start_index: number;
  end_index: number;
}

/**
 * The `container_file_citation` annotations of an answer: each `sandbox:/mnt/data/<path>` link (how the
 * model is told to link files, as in runs: the same matching as their `file_path` annotations) naming a
 * file of the container, spanning exactly the link.
 */
export function containerFileCitations(text: string, containerId: string, files: ReadonlyMap<string, string>): ContainerFileCitation[] {
  return filePathsIn(text, files).map((a) => ({
    type: 'container_file_citation',
    container_id: containerId,
    file_id: a.file_path.file_id,
    filename: a.text.split('/').pop()!,
    start_index: a.start_index,
    end_index: a.end_index,
  }));
}

/** What the model reads back from an execution (as runs tell it, with the container's paths). */
export function modelOutputOf(
  result: { status: 'ok' | 'error' | 'timeout'; logs: string },
  saved: { images: readonly string[]; files: readonly string[] },
  timeoutSeconds: number,
): string {
  const lines = [result.logs.trimEnd()];
  if (result.status === 'timeout') lines.push(`[The execution was stopped after ${timeoutSeconds} seconds; the interpreter was restarted and its variables are lost.]`);
  for (const path of saved.images) lines.push(`[image displayed to the user, saved as sandbox:/mnt/data/${path}]`);
  for (const path of saved.files) lines.push(`[file saved: sandbox:/mnt/data/${path}]`);
  const text = lines.filter((l) => l !== '').join('\n');
  return text || '[no output]';
}
