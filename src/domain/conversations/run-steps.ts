import type { ConversationInclude } from '../../contract/conversations';
import type { RunStep, StepStatus, ToolCall } from '../runs/types';
import { sortKeyOf, type ConversationItem } from './items';

/**
 * An Assistants run's tool calls as conversation items (docs/conversations.md §3). They live in the
 * thread object's `steps`, not in D1, so their items are derived when read, with ids that name their
 * place: `<prefix><step key><side><index>`, where the step key is the step id after `step_`, side `0`
 * is the call and `1` its output, and index is two base62 digits. The item sorts right after the
 * messages that existed when the step began and before the ones the run wrote after it.
 *
 * - function call → `function_call` (`fc_`) and, once its output was submitted, `function_call_output` (`fco_`);
 * - file_search call → `file_search_call` (`fs_`);
 * - code_interpreter call → `code_interpreter_call` (`ci_`).
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const STEP_KEY_LENGTH = 24;
const DERIVED = /^(fc|fco|fs|ci)_([0-9A-Za-z]{24})([01])([0-9A-Za-z]{2})$/;

const index2 = (i: number) => DIGITS[Math.floor(i / 62) % 62]! + DIGITS[i % 62]!;

/** Options of the mapping: what `include[]` asked for, and where a code-interpreter image can be fetched. */
export interface StepItemOptions {
  include?: readonly ConversationInclude[];
  fileUrl?: (fileId: string) => string;
}

/** A step item's status: a step that did not complete leaves its calls `incomplete`. */
function itemStatus(status: StepStatus): 'in_progress' | 'completed' | 'incomplete' {
  return status === 'completed' ? 'completed' : status === 'in_progress' ? 'in_progress' : 'incomplete';
}

type FileSearchCall = { id: string; file_search?: { results?: { file_id: string; file_name?: string; score?: number; content?: { text?: string }[] }[] } };
type CodeCall = { id: string; code_interpreter?: { input?: string; outputs?: ({ type: 'logs'; logs: string } | { type: 'image'; image: { file_id: string } })[] } };

function hostedItem(call: ToolCall, id: string, status: StepStatus, threadId: string, opts: StepItemOptions): ConversationItem | null {
  const include = opts.include ?? [];
  if (call.type === 'file_search') {
    const results = (call as FileSearchCall).file_search?.results ?? [];
    return {
      type: 'file_search_call',
      id,
      status: status === 'failed' ? 'failed' : itemStatus(status),
      // The Assistants step does not record the queries the model searched with.
      queries: [],
      results: include.includes('file_search_call.results')
        ? results.map((r) => ({ file_id: r.file_id, filename: r.file_name ?? '', score: r.score ?? 0, text: (r.content ?? []).map((c) => c.text ?? '').join('') }))
        : null,
    };
  }
  if (call.type === 'code_interpreter') {
    const ci = (call as CodeCall).code_interpreter ?? {};
    const outputs = (ci.outputs ?? []).flatMap((o): Record<string, string>[] => {
      if (o.type === 'logs') return [{ type: 'logs', logs: o.logs }];
      return opts.fileUrl ? [{ type: 'image', url: opts.fileUrl(o.image.file_id) }] : [];
    });
    return {
      type: 'code_interpreter_call',
      id,
      status: status === 'failed' ? 'failed' : itemStatus(status),
      // The thread's sandbox session is its container (docs/architecture.md §1).
      container_id: threadId,
      code: ci.input ?? null,
      outputs: include.includes('code_interpreter_call.outputs') ? outputs : null,
    };
  }
  return null;
}

/** The items of one run step, in conversation order (calls first, then the outputs). */
export function stepItems(step: RunStep, opts: StepItemOptions = {}): ConversationItem[] {
  if (step.step_details.type !== 'tool_calls') return [];
  const key = sortKeyOf(step.id);
  const calls: ConversationItem[] = [];
  const outputs: ConversationItem[] = [];
  step.step_details.tool_calls.forEach((call, i) => {
    if (call.type === 'function') {
      const fn = call.function;
      calls.push({ type: 'function_call', id: `fc_${key}0${index2(i)}`, call_id: call.id, name: fn.name, arguments: fn.arguments, status: itemStatus(step.status) });
      if (fn.output !== null) outputs.push({ type: 'function_call_output', id: `fco_${key}1${index2(i)}`, call_id: call.id, output: fn.output, status: 'completed' });
      return;
    }
    const prefix = call.type === 'file_search' ? 'fs' : 'ci';
    const item = hostedItem(call, `${prefix}_${key}0${index2(i)}`, step.status, step.thread_id, opts);
    if (item) calls.push(item);
  });
  return [...calls, ...outputs];
}

/** The step an item id derived from a run step names, or null for any other id. */
export function stepOfItemId(itemId: string): { stepId: string } | null {
  const m = DERIVED.exec(itemId);
  if (!m || m[2]!.length !== STEP_KEY_LENGTH) return null;
  return { stepId: `step_${m[2]}` };
}
