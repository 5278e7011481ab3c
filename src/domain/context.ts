import type { ChatContentPart, ChatMessage, ChatToolCall } from './ports';
import type { MessageContent } from './messages';
import type { Run } from './runs/types';
import { estimateTextTokens, IMAGE_TOKENS, TOKENS_PER_MESSAGE } from './tokens';

/** A thread message as context assembly needs it. */
export interface ContextMessage {
  id: string;
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: MessageContent[];
  attachments: { file_id: string; tools: { type: string }[] }[];
}

/** What this run itself produced so far, in order: its messages and its tool rounds. */
export type RunTurn =
  | { kind: 'message'; message: ContextMessage }
  | { kind: 'tool_calls'; calls: { id: string; name: string; arguments: string; output: string | null }[] };

export interface ContextInput {
  run: Pick<Run, 'instructions' | 'truncation_strategy' | 'max_prompt_tokens'>;
  /** The thread's messages before this run, oldest first. */
  history: ContextMessage[];
  turns: RunTurn[];
  /** Budget when the run sets no `max_prompt_tokens` (the model's context window, less the reply). */
  defaultPromptBudget: number;
  /** Resolves an `image_file` part to a URL the model can fetch (a data: URL), or null. */
  imageUrlFor?: (fileId: string) => string | null;
}

export type ContextResult =
  | { ok: true; messages: ChatMessage[]; estimatedTokens: number; droppedMessages: number }
  | { ok: false; reason: 'max_prompt_tokens'; estimatedTokens: number };

function userContent(m: ContextMessage, imageUrlFor: ContextInput['imageUrlFor']): string | ChatContentPart[] {
  const parts: ChatContentPart[] = [];
  for (const c of m.content) {
    if (c.type === 'text') parts.push({ type: 'text', text: c.text.value });
    else if (c.type === 'image_url') parts.push({ type: 'image_url', image_url: { url: c.image_url.url, detail: c.image_url.detail } });
    else if (c.type === 'image_file') {
      const url = imageUrlFor?.(c.image_file.file_id) ?? null;
      // Said to the model rather than dropped: it should know an image was sent that it cannot see.
      if (url) parts.push({ type: 'image_url', image_url: { url, detail: c.image_file.detail } });
      else parts.push({ type: 'text', text: `[image ${c.image_file.file_id} could not be loaded]` });
    }
  }
  if (m.attachments.length > 0) {
    const list = m.attachments.map((a) => `${a.file_id} (${a.tools.map((t) => t.type).join(', ') || 'no tools'})`).join('; ');
    parts.push({ type: 'text', text: `[Attached files: ${list}]` });
  }
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p as { text: string }).text).join('\n');
  return parts;
}

function assistantText(m: ContextMessage): string {
  return m.content
    .map((c) => (c.type === 'text' ? c.text.value : c.type === 'refusal' ? c.refusal : ''))
    .filter((s) => s !== '')
    .join('\n');
}

function toChat(m: ContextMessage, imageUrlFor: ContextInput['imageUrlFor']): ChatMessage {
  // system/developer messages come from the Conversations API (docs/conversations.md §2): instructions
  // in the history, given to the model as system messages where they stand.
  if (m.role === 'system' || m.role === 'developer') return { role: 'system', content: assistantText(m) };
  return m.role === 'user' ? { role: 'user', content: userContent(m, imageUrlFor) } : { role: 'assistant', content: assistantText(m) };
}

export function estimateMessageTokens(m: ChatMessage): number {
  let n = TOKENS_PER_MESSAGE;
  if (m.role === 'assistant' && m.tool_calls) {
    for (const c of m.tool_calls) n += estimateTextTokens(c.function.name) + estimateTextTokens(c.function.arguments);
  }
  const content = m.content;
  if (typeof content === 'string') n += estimateTextTokens(content);
  else if (Array.isArray(content)) {
    for (const p of content) {
      n += p.type === 'text' ? estimateTextTokens(p.text) : p.image_url.detail === 'low' ? IMAGE_TOKENS.low : IMAGE_TOKENS.other;
    }
  }
  return n;
}

/** This run's own rounds: assistant tool calls followed by `role: "tool"` results (never user text). */
function turnMessages(turns: RunTurn[], imageUrlFor: ContextInput['imageUrlFor']): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.kind === 'message') {
      out.push(toChat(turn.message, imageUrlFor));
      continue;
    }
    const calls: ChatToolCall[] = turn.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    out.push({ role: 'assistant', content: null, tool_calls: calls });
    for (const c of turn.calls) out.push({ role: 'tool', tool_call_id: c.id, content: c.output ?? '' });
  }
  return out;
}

/**
 * Builds the prompt: instructions as the system message, the thread's history (cut to
 * `truncation_strategy.last_messages`, then oldest-first until it fits the prompt budget), then this
 * run's own turns, which are never truncated. If even the newest history message cannot fit, the run
 * ends `incomplete` with `max_prompt_tokens` (OpenAI's behaviour when the budget is too small).
 */
export function assembleContext(input: ContextInput): ContextResult {
  const { run, turns, imageUrlFor } = input;
  const system: ChatMessage[] = run.instructions ? [{ role: 'system', content: run.instructions }] : [];
  let history = input.history;
  if (run.truncation_strategy.type === 'last_messages' && run.truncation_strategy.last_messages !== null) {
    history = history.slice(-run.truncation_strategy.last_messages);
  }
  const fixed = [...system];
  const tail = turnMessages(turns, imageUrlFor);
  const historyChat = history.map((m) => toChat(m, imageUrlFor));
  const cost = (ms: ChatMessage[]) => ms.reduce((n, m) => n + estimateMessageTokens(m), 0);
  const budget = run.max_prompt_tokens ?? input.defaultPromptBudget;
  const fixedCost = cost(fixed) + cost(tail);
  let start = 0;
  let historyCost = cost(historyChat);
  while (fixedCost + historyCost > budget && start < historyChat.length) {
    historyCost -= estimateMessageTokens(historyChat[start]!);
    start += 1;
  }
  const kept = historyChat.slice(start);
  const total = fixedCost + historyCost;
  // Nothing left to answer (every history message dropped while some existed) or still over budget.
  if (total > budget || (kept.length === 0 && historyChat.length > 0 && turns.length === 0)) {
    return { ok: false, reason: 'max_prompt_tokens', estimatedTokens: fixedCost + cost(historyChat.slice(-1)) };
  }
  return {
    ok: true,
    messages: [...fixed, ...kept, ...tail],
    estimatedTokens: total,
    droppedMessages: input.history.length - kept.length,
  };
}
