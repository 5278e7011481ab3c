import type { ChatContentPart, ChatMessage } from '../ports';
import type { StoredItem } from './types';

/**
 * Compaction (docs/responses.md "Compaction"): `POST /responses/compact` keeps the user messages of a
 * context verbatim and replaces everything else (assistant turns, tool calls and outputs, reasoning,
 * earlier compaction items) with one `compaction` item (OpenAI: "User messages are kept verbatim"; the
 * item is "opaque"). OpenAI encrypts the item; we have no OpenAI key, so the item carries a summary the
 * configured model wrote, in an envelope this server signs and reads back:
 *
 *   `aec1.<base64url(JSON {v:1, summary})>.<base64url(HMAC-SHA256(key, "aec1.<payload>.<project id>"))>`
 *
 * The MAC is not what keeps a client from adding "system" text (it may send system/developer messages
 * anyway); it makes an item this server did not write (OpenAI's own, a truncated or edited copy, one
 * from another project) a clear 400 instead of being misread as a summary.
 */

const PREFIX = 'aec1';

/** What the key is derived for (a change of label invalidates every item, like a change of secret). */
const KEY_LABEL = 'assistants-edge/responses/compaction/v1';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The signing key, derived from a server secret (HMAC of a fixed label), so the secret itself signs nothing. */
export function compactionKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const derived = await crypto.subtle.sign('HMAC', master, encoder.encode(KEY_LABEL));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    keys.set(secret, key);
  }
  return key;
}

export interface CompactionSigner {
  key: CryptoKey;
  /** The project the item belongs to: an item of one project is refused in another. */
  projectId: string;
}

const signed = (payload: string, projectId: string) => encoder.encode(`${PREFIX}.${payload}.${projectId}`);

/** The `encrypted_content` of a compaction item carrying `summary`. */
export async function sealCompaction(summary: string, signer: CompactionSigner): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify({ v: 1, summary })));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', signer.key, signed(payload, signer.projectId)));
  return `${PREFIX}.${payload}.${base64url(mac)}`;
}

/** The summary of an envelope, read without checking its MAC (for items checked when they came in), or null. */
export function compactionSummary(content: string): string | null {
  const parts = content.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const bytes = fromBase64url(parts[1]!);
  if (!bytes) return null;
  try {
    const body = JSON.parse(decoder.decode(bytes)) as { v?: unknown; summary?: unknown };
    return body.v === 1 && typeof body.summary === 'string' ? body.summary : null;
  } catch {
    return null;
  }
}

/** The summary of an envelope this server signed for the project, or null (forged, edited, foreign, not ours). */
export async function openCompaction(content: string, signer: CompactionSigner): Promise<string | null> {
  const summary = compactionSummary(content);
  if (summary === null) return null;
  const [, payload, macText] = content.split('.') as [string, string, string];
  const mac = fromBase64url(macText);
  if (!mac) return null;
  const ok = await crypto.subtle.verify('HMAC', signer.key, mac, signed(payload, signer.projectId));
  return ok ? summary : null;
}

/** Indexes of the compaction items among `items` (an input's, to check before anything else happens). */
export function compactionIndexes(items: readonly StoredItem[]): number[] {
  return items.flatMap((item, i) => (item.type === 'compaction' ? [i] : []));
}

/** How a summary reaches the model: a system message in the compaction item's place. */
export function summaryMessage(summary: string): ChatMessage {
  return { role: 'system', content: `Summary of the earlier conversation (compacted):\n${summary}` };
}

/** The items a compaction keeps verbatim: the user messages, in order (OpenAI's documented behaviour). */
export function keptItems(context: readonly StoredItem[]): StoredItem[] {
  return context.filter((item) => item.type === 'message' && item.role === 'user');
}

/**
 * The instructions of the summarising call. The conversation goes to the model as a transcript in one user
 * message rather than as its own messages: a context ending in a function call without its output (or
 * with reasoning, hosted calls) is valid to compact but not a valid Chat Completions prompt.
 */
export const COMPACTION_PROMPT = [
  'You are performing a context checkpoint compaction of a conversation between a user and an assistant.',
  'Write a concise summary that lets the assistant continue the conversation without the original transcript.',
  'Keep every fact, decision, name, number, identifier, file name, tool call result and open task that may matter later;',
  'say what the assistant already did and what it was about to do. Do not repeat the user messages word for word',
  '(they are kept separately). Answer with the summary only.',
].join(' ');

function partText(part: ChatContentPart): string {
  return part.type === 'text' ? part.text : '[image]';
}

function contentText(content: string | ChatContentPart[] | null): string {
  if (content === null) return '';
  return typeof content === 'string' ? content : content.map(partText).join('\n');
}

/** The context's messages as a plain transcript (tool calls and results named, images as `[image]`). */
export function transcriptOf(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.role === 'assistant') {
      const text = contentText(m.content);
      if (text !== '') lines.push(`Assistant: ${text}`);
      for (const call of m.tool_calls ?? []) lines.push(`Assistant called ${call.function.name} (call ${call.id}) with ${call.function.arguments}`);
    } else if (m.role === 'tool') {
      lines.push(`Result of call ${m.tool_call_id}: ${m.content}`);
    } else {
      lines.push(`${m.role === 'user' ? 'User' : 'System'}: ${contentText(m.content)}`);
    }
  }
  return lines.join('\n\n');
}

/** The summarising call's messages: our prompt (plus the request's `instructions`), then the transcript. */
export function summaryRequestMessages(context: readonly ChatMessage[], instructions: string | null | undefined): ChatMessage[] {
  const system = instructions ? `${COMPACTION_PROMPT}\n\n${instructions}` : COMPACTION_PROMPT;
  return [{ role: 'system', content: system }, { role: 'user', content: `Conversation to summarise:\n\n${transcriptOf(context)}` }];
}

/**
 * The context from the latest compaction item on: the user messages before it (a compaction keeps them),
 * the item, and everything after it. A window compacted by `/responses/compact` is unchanged by this; a
 * `previous_response_id` chain through a response that compacted server-side restarts at its item (OpenAI:
 * "the latest compaction item carries the necessary context").
 */
export function fromLatestCompaction(context: readonly StoredItem[]): StoredItem[] {
  let latest = -1;
  for (let i = context.length - 1; i >= 0; i--) {
    if (context[i]!.type === 'compaction') {
      latest = i;
      break;
    }
  }
  if (latest < 0) return [...context];
  return [...keptItems(context.slice(0, latest)), ...context.slice(latest)];
}
