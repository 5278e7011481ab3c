/**
 * The reply the scripted upstream (test/support/scripted-upstream.ts) makes of a script, before it
 * is written in a wire format (scripted-upstream-openai.ts, scripted-upstream-anthropic.ts), and the
 * helpers both formats share: the content's parts with their usage, chunking and sleeping.
 */
import type { TextScript, ToolCallScript } from './scripted-upstream-scripts';

type ContentScript = TextScript | ToolCallScript;
export type Reply =
  | { kind: 'malformed' }
  | { kind: 'hang' }
  | { kind: 'drip'; everyMs: number }
  | { kind: 'content'; script: ContentScript; promptChars: number };
export type Content = Extract<Reply, { kind: 'content' }>;
export type Write = (s: string) => void;

/** Characters of prompt text, for the ceil(chars/4) token estimate. */
export function promptChars(body: any): number {
  let n = typeof body?.system === 'string' ? body.system.length : 0;
  for (const m of body?.messages ?? []) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content)) n += JSON.stringify(m.content).length;
  }
  return n;
}

export const sleep = (ms: number | undefined) => (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export function split(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/**
 * A content reply's text, tool calls (id '' when the script names none: each format then makes up
 * its own kind of id), usage (estimated when the script gives none), finish reason and chunk size.
 */
export function parts(reply: Content) {
  const { script } = reply;
  const text = script.text ?? '';
  const calls = ('toolCalls' in script ? script.toolCalls : []).map((c) => ({ ...c, id: c.id ?? '' }));
  const completionChars = text.length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const usage = script.usage ?? {
    prompt_tokens: Math.ceil(reply.promptChars / 4),
    completion_tokens: Math.ceil(completionChars / 4),
  };
  const finish = script.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
  return { text, calls, usage, finish, size: script.chunkSize ?? 6 };
}
