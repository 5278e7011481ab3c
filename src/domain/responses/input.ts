import type { InputContentPart, InputItem } from '../../contract/responses';
import type { ChatContentPart, ChatMessage, ChatToolCall } from '../ports';
import { inputFileKey, type InputFilePart } from './input-files';
import { mcpCallMessages } from './mcp';
import type { StoredItem } from './types';

/**
 * Input items (docs/responses.md "Input"): the request's `input` as stored items, and stored items (this
 * response's, and the chain of `previous_response_id`) as the Chat Completions messages of the model port.
 */

export interface ItemIds {
  message(): string;
  functionCall(): string;
  functionCallOutput(): string;
  fileSearchCall(): string;
  /** An `mcp_approval_response` given without an id (OpenAI's `id` is optional there). */
  mcpApprovalResponse?(): string;
}

/**
 * The request's `input` as items with ids, in order. Each stored item gets a fresh, sortable id (the
 * cursor of `GET /responses/{id}/input_items`, src/db/pagination.ts), so an item replayed from an earlier
 * output is listed under a new id. A string is one user message.
 */
export function toStoredItems(input: string | InputItem[] | undefined, ids: ItemIds): StoredItem[] {
  if (input === undefined) return [];
  if (typeof input === 'string') {
    return [{ id: ids.message(), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: input }] }];
  }
  return input.map((item): StoredItem => {
    if (!('type' in item) || item.type === undefined || item.type === 'message') {
      const m = item as Extract<InputItem, { role: string }>;
      const parts = typeof m.content === 'string'
        ? [m.role === 'assistant' ? outputText(m.content) : { type: 'input_text', text: m.content }]
        : m.content.map((p) => (p.type === 'output_text' ? outputText(p.text, p.annotations ?? []) : p));
      return { id: ids.message(), type: 'message', role: m.role, status: m.status ?? 'completed', content: parts };
    }
    if (item.type === 'function_call') {
      const { id: _id, ...rest } = item;
      return { ...rest, id: ids.functionCall(), status: item.status ?? 'completed' };
    }
    if (item.type === 'function_call_output') {
      const { id: _id, ...rest } = item;
      return { ...rest, id: ids.functionCallOutput(), status: item.status ?? 'completed' };
    }
    if (item.type === 'file_search_call') return { ...item, id: ids.fileSearchCall() };
    if (item.type === 'mcp_approval_response') return { ...item, id: item.id ?? ids.mcpApprovalResponse?.() ?? `mcpa_${item.approval_request_id}`, reason: item.reason ?? null };
    return { ...item } as StoredItem;
  });
}

function outputText(text: string, annotations: unknown[] = []) {
  return { type: 'output_text', text, annotations, logprobs: [] };
}

type Part = InputContentPart | { type: string; text?: string };

/** Resolves an uploaded image (`input_image.file_id`) to a URL the model can fetch (a data: URL), or null. */
export type ImageUrlFor = (fileId: string) => string | null;

/** The text part of an `input_file` (its extracted text, input-files.ts `fileTextPart`) by its key, or undefined. */
export type FileTexts = ReadonlyMap<string, string>;

/**
 * A user/system part as the model port takes it. Uploaded images go as data URLs; files (`input_file`)
 * as the text extracted from them (docs/responses.md "Input files"), loaded before.
 */
function chatPart(p: Part, imageUrlFor: ImageUrlFor = () => null, fileTexts?: FileTexts): ChatContentPart {
  if (p.type === 'input_image') {
    const img = p as Extract<InputContentPart, { type: 'input_image' }>;
    const url = img.image_url ?? (img.file_id ? imageUrlFor(img.file_id) : null);
    if (url) return { type: 'image_url', image_url: { url, detail: img.detail ?? 'auto' } };
    return { type: 'text', text: `[image ${img.file_id ?? ''} could not be loaded]` };
  }
  if (p.type === 'input_file') {
    const f = p as InputFilePart;
    const text = fileTexts?.get(inputFileKey(f));
    return { type: 'text', text: text ?? `[file ${f.filename ?? f.file_id ?? 'from a URL'} could not be loaded]` };
  }
  if (p.type === 'refusal') return { type: 'text', text: (p as { refusal: string }).refusal };
  return { type: 'text', text: (p as { text?: string }).text ?? '' };
}

function joinText(parts: ChatContentPart[]): string | ChatContentPart[] {
  return parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('\n') : parts;
}

function outputString(output: unknown): string {
  if (typeof output === 'string') return output;
  return (output as Part[]).map((p) => { const c = chatPart(p); return c.type === 'text' ? c.text : `[image ${c.image_url.url}]`; }).join('\n');
}

/**
 * Stored items as chat messages, in order. `developer` is a system message; consecutive function calls are
 * one assistant message with several tool calls (parallel calls), each output a `role: "tool"` message.
 * Reasoning items are not sent on (no provider of the port takes them back).
 */
export function toChatMessages(items: readonly StoredItem[], imageUrlFor?: ImageUrlFor, fileTexts?: FileTexts): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const item of items) {
    if (item.type === 'message') {
      const parts = (item.content as Part[]).map((p) => chatPart(p, imageUrlFor, fileTexts));
      const role = item.role as string;
      if (role === 'assistant') out.push({ role: 'assistant', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('') });
      else if (role === 'user') out.push({ role: 'user', content: joinText(parts) });
      else out.push({ role: 'system', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') });
    } else if (item.type === 'function_call') {
      const call: ChatToolCall = { id: item.call_id as string, type: 'function', function: { name: item.name as string, arguments: item.arguments as string } };
      const last = out.at(-1);
      if (last?.role === 'assistant' && last.tool_calls) last.tool_calls.push(call);
      else out.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_output') {
      out.push({ role: 'tool', tool_call_id: item.call_id as string, content: outputString(item.output) });
    } else if (item.type === 'mcp_call' && item.status !== 'in_progress') {
      // An earlier MCP call: the model sees its call and output (docs/mcp.md); lists and approvals are not sent.
      out.push(...mcpCallMessages(item));
    }
  }
  return out;
}

/** The file ids of uploaded images (`input_image.file_id`) among the items' message parts. */
export function imageFileIds(items: readonly StoredItem[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const p of item.content as { type: string; file_id?: string | null }[]) if (p.type === 'input_image' && p.file_id) ids.add(p.file_id);
  }
  return [...ids];
}

/**
 * call_ids of function_call_output items with no function_call before them in the context: OpenAI refuses
 * those (`No tool call found for function call output with call_id ...`).
 */
export function orphanOutputs(items: readonly StoredItem[]): string[] {
  const calls = new Set<string>();
  const orphans: string[] = [];
  for (const i of items) {
    if (i.type === 'function_call') calls.add(i.call_id as string);
    else if (i.type === 'function_call_output' && !calls.has(i.call_id as string)) orphans.push(i.call_id as string);
  }
  return orphans;
}
