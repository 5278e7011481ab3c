import type { ConversationItemParam } from '../../contract/conversations';
import type { ResponseCreateParams } from '../../contract/responses';
import { toConversationItems } from '../../domain/responses/conversation';
import type { Database } from '../../db/client';
import { truncateOldest } from '../../domain/responses/context';
import { fromLatestCompaction } from '../../domain/responses/compaction';
import { imageFileIds, orphanOutputs, toChatMessages } from '../../domain/responses/input';
import { mcpHeaders, mcpRequestState } from '../../domain/responses/mcp';
import { chatRequestForResponse, withInstructions } from '../../domain/responses/request';
import type { StoredItem } from '../../domain/responses/types';
import type { ChatMessage } from '../../domain/ports';
import { loadImageUrls } from '../images';
import { loadInputFileTexts } from '../input-files';
import { ok, refuse, type Result } from '../result';
import type { McpStart } from './hosted-tools';
import type { BuiltInObject, StartResponse } from './start';

/** Prompt budget for `truncation: "auto"`: a 128k-token window less room to answer (as runs). */
const PROMPT_BUDGET = 120_000;

/** A request's context: its own items, the whole context, its messages, and how other items would render. */
export interface ModelContext {
  items: StoredItem[];
  messages: ChatMessage[];
  context: StoredItem[];
  /** Items as the model's messages with this request's instructions, images and files (server-side compaction). */
  render: (items: readonly StoredItem[]) => ChatMessage[];
}

export type ContextParams = Pick<ResponseCreateParams, 'input' | 'instructions' | 'previous_response_id' | 'conversation' | 'truncation'>;

/** Where a context's uploaded images and files are read: the project's D1 rows and R2 bytes. */
export interface ContextSources {
  db: Database;
  files: R2Bucket;
  projectId: string;
}

/**
 * The model context of a request (docs/responses.md "Context"), built where the response runs: the
 * route for a first response or a conversation turn, the chain's object for a continuation
 * (src/durable/responses/response-runner.ts). `before` is the conversation's items or the
 * `previous_response_id` chain (inputs and outputs; not its instructions), `items` this request's
 * own; this request's instructions come first. Refusals follow OpenAI.
 */
export async function buildModelContext(
  sources: ContextSources, params: Pick<ContextParams, 'instructions' | 'truncation'>, before: StoredItem[], items: StoredItem[],
): Promise<Result<ModelContext>> {
  if (items.length === 0 && before.length === 0) return refuse("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const orphan = orphanOutputs([...before, ...items])[0];
  if (orphan !== undefined) return refuse(`No tool call found for function call output with call_id ${orphan}.`, 'input', null);
  // A chain through a compaction restarts at its latest item (docs/responses.md "Compaction").
  const context = fromLatestCompaction([...before, ...items]);
  // Uploaded images reach the model as data URLs of their bytes (upstreams cannot fetch our R2), as in runs.
  const fileIds = imageFileIds(context);
  const urls = fileIds.length === 0 ? new Map<string, string>()
    : await loadImageUrls(sources.db, sources.files, sources.projectId, [fileIds.map((file_id) => ({ type: 'image_file' as const, image_file: { file_id, detail: 'auto' as const } }))]);
  // Files (`input_file`) reach the model as their extracted text (docs/responses.md "Input files").
  const files = await loadInputFileTexts(sources.db, sources.files, sources.projectId, before, items);
  if ('refused' in files) return refuse(files.refused.message, files.refused.param, files.refused.code);
  const render = (part: readonly StoredItem[]) => withInstructions(params.instructions, toChatMessages(part, (id) => urls.get(id) ?? null, files.texts));
  let messages = render(context);
  if (params.truncation === 'auto') messages = truncateOldest(messages, PROMPT_BUDGET);
  return ok({ items, messages, context, render });
}

/**
 * What the response object needs for the request's MCP tools: each server's headers (never stored), the
 * lists the context already holds and the approvals of this request's input; undefined without `mcp` tools.
 */
export function mcpStart(tools: ResponseCreateParams['tools'], before: readonly StoredItem[], items: readonly StoredItem[]): Result<McpStart | undefined> {
  const servers = (tools ?? []).flatMap((t) => (t.type === 'mcp' ? [t] : []));
  const state = mcpRequestState(before, items);
  if ('problem' in state) return refuse(state.problem, state.param, 'invalid_value');
  const labels = new Set(servers.map((s) => s.server_label));
  const orphan = state.approvals.find((a) => !labels.has(a.serverLabel));
  if (orphan) {
    return refuse(`The approval request '${orphan.approvalRequestId}' is for the MCP server '${orphan.serverLabel}', which is not among this request's tools (OpenAI requires the tools on every request).`, 'tools', 'invalid_value');
  }
  if (servers.length === 0) return ok(undefined);
  return ok({
    headers: Object.fromEntries(servers.map((s) => [s.server_label, mcpHeaders(s)])),
    listed: Object.fromEntries(Object.entries(state.listed).filter(([label]) => labels.has(label))),
    approvals: state.approvals,
  });
}

/**
 * What a response built in its chain's object starts with (ResponseRunner.continueChain and
 * startConversationTurn), from the context before it (`before`: the chain it holds, or the
 * conversation's history), exactly as the route builds a first response's: context, MCP state, request.
 */
export async function startInObject(sources: ContextSources, codeTimeoutSeconds: number, input: BuiltInObject, before: StoredItem[]): Promise<Result<StartResponse>> {
  const { params, projectId, apiKeyId, response, include, mode } = input;
  const built = await buildModelContext(sources, params, before, input.items);
  if (!built.ok) return built;
  const { items, messages, context } = built.value;
  const mcp = mcpStart(params.tools, context.slice(0, context.length - items.length), items);
  if (!mcp.ok) return mcp;
  const request = chatRequestForResponse(params.model, params, messages, { codeTimeoutSeconds });
  return ok({ projectId, apiKeyId, response, items, request, include, mode, ...(mcp.value ? { mcp: mcp.value } : {}) });
}

/** This request's input items as the conversation will store them; refused if it cannot hold one (as OpenAI). */
export function conversationInput(items: StoredItem[]): Result<ConversationItemParam[]> {
  const converted = toConversationItems(items);
  if ('refused' in converted) {
    return refuse(`Item ${converted.refused} of 'input' (type '${items[converted.refused]!.type}') cannot be added to a conversation by this server.`, `input[${converted.refused}]`, 'invalid_value');
  }
  return ok(converted.items);
}
