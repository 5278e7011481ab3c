import type { ResponseCreateParams } from '../contract/responses';
import { readConfig } from '../config';
import { estimateInputTokens } from '../domain/responses/context';
import {
  compactionIndexes, compactionKey, keptItems, openCompaction, sealCompaction, summaryRequestMessages, type CompactionSigner,
} from '../domain/responses/compaction';
import { newId } from '../domain/ids';
import type { ChatMessage, ChatRequest } from '../domain/ports';
import type { CompactionItem, ResponseUsage, StoredItem } from '../domain/responses/types';
import { logUpstreamFailure } from '../observability/instrumented-model';
import { projectOf, type AppContext } from './context';
import { ApiError, invalidRequest } from './errors';
import { upstreamFailure } from './model-check';
import { recordPassThroughUsage } from './routes/pass-through-usage';

/**
 * Compaction in the routes (docs/responses.md "Compaction"): the signer of the caller's items, the
 * check of the items a request brings, the summarising model call, and server-side compaction
 * (`context_management`) before a response's model call.
 */

/**
 * The signer of the caller's compaction items: a key derived from ADMIN_API_KEY (required by
 * wrangler.toml, so every deployment has one) and the caller's project. Rotating ADMIN_API_KEY makes
 * earlier compaction items invalid (refused with a 400, never misread).
 */
export async function compactionSigner(c: AppContext): Promise<CompactionSigner> {
  const secret = readConfig(c.env).adminApiKey;
  if (!secret) throw new ApiError(500, 'Compaction needs ADMIN_API_KEY to be set on this server (it keys the compaction items).', 'server_error', null, null);
  return { key: await compactionKey(secret), projectId: projectOf(c) };
}

/**
 * Every `compaction` item of a request's input must be one this server made for this project: anything
 * else (OpenAI's own encrypted items, an edited copy) is refused before the model is called.
 */
export async function requireOwnCompactions(c: AppContext, items: readonly StoredItem[]): Promise<void> {
  const indexes = compactionIndexes(items);
  if (indexes.length === 0) return;
  const signer = await compactionSigner(c);
  for (const i of indexes) {
    if ((await openCompaction(items[i]!.encrypted_content as string, signer)) === null) {
      throw invalidRequest(`The encrypted content of item input[${i}] (type 'compaction') could not be verified: it was not produced by this server's /v1/responses/compact for this project.`, 'input', 'invalid_encrypted_content');
    }
  }
}

/** A compaction: the item (sealed for the caller's project) and the summarising call's usage. */
export interface Compaction {
  item: CompactionItem;
  usage: ResponseUsage;
}

/**
 * Summarises a context (its messages, `context` as the model would see it, without instructions) with
 * one call to `model`; the call's tokens are recorded as a `responses` call (docs/usage.md).
 */
export async function compactContext(c: AppContext, model: string, context: readonly ChatMessage[], instructions: string | null | undefined): Promise<Compaction> {
  const router = c.var.services.models;
  const request: ChatRequest = { model, messages: summaryRequestMessages(context, instructions) };
  const provider = router.providerFor(model) ?? 'openai';
  const started = Date.now();
  let summary = '';
  let counted: { promptTokens: number; completionTokens: number; cachedTokens?: number; reasoningTokens?: number } | undefined;
  try {
    for await (const chunk of router.resolve(model)!.stream(request, c.req.raw.signal)) {
      if (chunk.type === 'text') summary += chunk.delta;
      else if (chunk.type === 'usage') counted = chunk;
    }
  } catch (err) {
    logUpstreamFailure(provider, model, 'responses.compact', err, Date.now() - started);
    throw upstreamFailure(err);
  }
  const input = counted?.promptTokens ?? 0;
  const output = counted?.completionTokens ?? 0;
  const cached = Math.min(counted?.cachedTokens ?? 0, input);
  recordPassThroughUsage(c, {
    endpoint: 'responses', provider, model,
    usage: counted && { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: cached } },
  });
  const item: CompactionItem = { id: newId('cmp_'), type: 'compaction', encrypted_content: await sealCompaction(summary.trim(), await compactionSigner(c)) };
  const usage: ResponseUsage = {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: counted?.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
  return { item, usage };
}

/** `compact_threshold: null`: the prompt budget `truncation: "auto"` uses (docs/responses.md "State"). */
export const DEFAULT_COMPACT_THRESHOLD = 120_000;

/**
 * The token threshold of `context_management` (ContextManagementParam; "Currently only 'compaction' is
 * supported", OpenAI's document), or null when the request asks for no server-side compaction.
 */
export function compactThreshold(entries: ResponseCreateParams['context_management']): number | null {
  if (!entries || entries.length === 0) return null;
  const other = entries.findIndex((e) => e.type !== 'compaction');
  if (other >= 0) throw invalidRequest(`Invalid value: '${entries[other]!.type}'. Supported values are: 'compaction'.`, `context_management[${other}].type`, 'invalid_value');
  return Math.min(...entries.map((e) => e.compact_threshold ?? DEFAULT_COMPACT_THRESHOLD));
}

/** What a response's context becomes after server-side compaction. */
export interface Compacted {
  /** The `compaction` output item, first in the response's output. */
  item: CompactionItem;
  /** The context the model sees and a WebSocket chain keeps: the user messages (the item is output). */
  context: StoredItem[];
  /** The model's messages: the kept user messages, then the summary in the item's place. */
  messages: ChatMessage[];
}

/**
 * Server-side compaction (`context_management`): when the rendered request (messages and tools, the
 * estimate of `/responses/input_tokens`) is over the threshold, the context is compacted as
 * `/responses/compact` would, before the model call. Null when there is no threshold or it is not crossed.
 */
export async function compactOverThreshold(
  c: AppContext,
  threshold: number | null,
  turn: { model: string; instructions?: string | null; context: StoredItem[]; messages: ChatMessage[]; request: ChatRequest; render: (items: readonly StoredItem[]) => ChatMessage[] },
): Promise<Compacted | null> {
  if (threshold === null || estimateInputTokens(turn.request.messages, turn.request.tools) <= threshold) return null;
  const withoutInstructions = turn.instructions ? turn.messages.slice(1) : turn.messages;
  const { item } = await compactContext(c, turn.model, withoutInstructions, null);
  const kept = keptItems(turn.context);
  return { item, context: kept, messages: turn.render([...kept, { ...item }]) };
}
