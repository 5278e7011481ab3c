// Folds a run's stream events into what the playground shows: the run, its steps (tool calls built
// up from step deltas) and the messages (text built up from message deltas), so tool activity and
// text appear as they arrive.
import type { ContentPart, Message, Run, RunStep, ToolCall } from './types';
import type { StreamEvent } from './sse';

export interface RunState {
  run: Run | null;
  steps: RunStep[];
  messages: Message[];
  error: string | null;
}

export const emptyRunState = (): RunState => ({ run: null, steps: [], messages: [], error: null });

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i === -1) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}

/** Merges one tool-call delta into the call at its index (strings append, outputs/results add up). */
function mergeToolCall(prev: ToolCall | undefined, delta: any): ToolCall {
  if (!prev) {
    const { index: _i, ...rest } = delta;
    if (rest.type === 'code_interpreter') rest.code_interpreter = { input: rest.code_interpreter?.input ?? '', outputs: rest.code_interpreter?.outputs ?? [] };
    if (rest.type === 'function') rest.function = { name: rest.function?.name ?? '', arguments: rest.function?.arguments ?? '', output: rest.function?.output ?? null };
    return rest as ToolCall;
  }
  if (prev.type === 'code_interpreter' && delta.code_interpreter) {
    return {
      ...prev,
      code_interpreter: {
        input: prev.code_interpreter.input + (delta.code_interpreter.input ?? ''),
        outputs: [...prev.code_interpreter.outputs, ...(delta.code_interpreter.outputs ?? []).map(({ index: _i, ...o }: any) => o)],
      },
    };
  }
  if (prev.type === 'function' && delta.function) {
    return { ...prev, function: { ...prev.function, name: prev.function.name || delta.function.name || '', arguments: prev.function.arguments + (delta.function.arguments ?? ''), output: delta.function.output ?? prev.function.output } };
  }
  if (prev.type === 'file_search' && delta.file_search) return { ...prev, file_search: { ...prev.file_search, ...delta.file_search } };
  return prev;
}

function mergeContent(parts: ContentPart[], deltas: any[]): ContentPart[] {
  const next = parts.slice();
  for (const d of deltas) {
    const prev = next[d.index];
    if (d.type === 'text') {
      const value = (prev?.type === 'text' ? prev.text.value : '') + (d.text?.value ?? '');
      const annotations = [...(prev?.type === 'text' ? prev.text.annotations : []), ...(d.text?.annotations ?? [])];
      next[d.index] = { type: 'text', text: { value, annotations } };
    } else {
      const { index: _i, ...part } = d;
      next[d.index] = part as ContentPart;
    }
  }
  return next;
}

export function reduceRunEvent(state: RunState, e: StreamEvent): RunState {
  const d = e.data;
  if (e.event.startsWith('thread.run.step.')) {
    if (e.event === 'thread.run.step.delta') {
      const step = state.steps.find((s) => s.id === d.id);
      if (!step || step.step_details.type !== 'tool_calls') return state;
      const calls = step.step_details.tool_calls.slice();
      for (const tc of d.delta?.step_details?.tool_calls ?? []) calls[tc.index] = mergeToolCall(calls[tc.index], tc);
      return { ...state, steps: upsert(state.steps, { ...step, step_details: { type: 'tool_calls', tool_calls: calls } }) };
    }
    return { ...state, steps: upsert(state.steps, d as RunStep) };
  }
  if (e.event.startsWith('thread.run.')) return { ...state, run: d as Run };
  if (e.event === 'thread.message.delta') {
    const msg = state.messages.find((m) => m.id === d.id);
    if (!msg) return state;
    return { ...state, messages: upsert(state.messages, { ...msg, content: mergeContent(msg.content, d.delta?.content ?? []) }) };
  }
  if (e.event.startsWith('thread.message.')) return { ...state, messages: upsert(state.messages, d as Message) };
  if (e.event === 'error') return { ...state, error: d?.message ?? d?.error?.message ?? JSON.stringify(d) };
  return state;
}
