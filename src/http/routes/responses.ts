import { Hono } from 'hono';
import { InputTokensParams, ResponseCreateParams, ResponseRetrieveQuery } from '../../contract/responses';
import { foreignReferences } from '../../db/id-checks';
import { getContainerRow, isContainerExpired } from '../../db/containers';
import { conversationBefore, getResponse, listInputItems } from '../../db/responses';
import { newId, unixSeconds } from '../../domain/ids';
import { estimateInputTokens, truncateOldest } from '../../domain/responses/context';
import { fromLatestCompaction } from '../../domain/responses/compaction';
import { imageFileIds, orphanOutputs, toChatMessages, toStoredItems } from '../../domain/responses/input';
import { conversationIdOf, isConversationId, toConversationItems } from '../../domain/responses/conversation';
import { conversationMissing } from '../../durable/conversations';
import { loadImageUrls } from '../../durable/images';
import { loadInputFileTexts } from '../../durable/input-files';
import { chatRequestForResponse, initialResponse, withInstructions } from '../../domain/responses/request';
import type { ResponseObject, StoredItem } from '../../domain/responses/types';
import type { ChatMessage } from '../../domain/ports';
import type { Started } from '../../durable/responses/start';
import { dbOf, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { compactOverThreshold, compactThreshold, requireOwnCompactions } from '../compaction';
import { ApiError, invalidRequest } from '../errors';
import { requireRoutableModel } from '../model-check';
import { listEnvelope, parseListQuery } from '../pagination';
import { unwrap } from '../rpc';
import { sseResponse } from '../sse';
import { SOCKET_PRINCIPAL_HEADER } from '../../durable/responses/response-socket';
import { parseBody, parseWith, pathId } from '../validation';
import { checkMcpTools, mcpStart } from '../mcp-tools';

/** `client.responses` (docs/responses.md): create, retrieve (and replay), delete, cancel, input items, input tokens. */
export const responsesRoutes = new Hono<AppEnv>();

/** Prompt budget for `truncation: "auto"`: a 128k-token window less room to answer (as runs). */
const PROMPT_BUDGET = 120_000;

const responseNotFound = (id: string) => new ApiError(404, `Response with id '${id}' not found.`, 'invalid_request_error', null, null);

const responseStub = (c: AppContext, id: string) => c.env.RESPONSES.get(c.env.RESPONSES.idFromName(id));

const itemIds = { message: () => newId('msg_'), functionCall: () => newId('fc_'), functionCallOutput: () => newId('fco_'), fileSearchCall: () => newId('fs_'), compaction: () => newId('cmp_'), mcpApprovalResponse: () => newId('mcpa_') };

/** A request's context: its own items, the whole context, its messages, and how other items would render. */
export interface ModelContext {
  items: StoredItem[];
  messages: ChatMessage[];
  context: StoredItem[];
  /** Items as the model's messages with this request's instructions, images and files (server-side compaction). */
  render: (items: readonly StoredItem[]) => ChatMessage[];
}

export type ContextParams = Pick<ResponseCreateParams, 'input' | 'instructions' | 'previous_response_id' | 'conversation' | 'truncation'>;

/**
 * The model context of a request: the conversation's items (`history`) or the `previous_response_id`
 * chain (its inputs and outputs; not its instructions), this request's items, and this request's
 * instructions first. Refusals follow OpenAI.
 */
export async function modelContext(c: AppContext, params: ContextParams, history?: StoredItem[]): Promise<ModelContext> {
  let before: StoredItem[] = history ?? [];
  if (params.previous_response_id) {
    // A WebSocket connection's own chain first (its `store: false` responses are in no table).
    const chain = (await c.var.connectionChain?.context(params.previous_response_id)) ?? await conversationBefore(dbOf(c), projectOf(c), params.previous_response_id);
    if (!chain) {
      throw invalidRequest(`Previous response with id '${params.previous_response_id}' not found.`, 'previous_response_id', 'previous_response_not_found');
    }
    before = chain;
  }
  const items = toStoredItems(params.input, itemIds);
  await requireOwnCompactions(c, items);
  if (items.length === 0 && before.length === 0) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const orphan = orphanOutputs([...before, ...items])[0];
  if (orphan !== undefined) throw invalidRequest(`No tool call found for function call output with call_id ${orphan}.`, 'input', null);
  // A chain through a compaction restarts at its latest item (docs/responses.md "Compaction").
  const context = fromLatestCompaction([...before, ...items]);
  // Uploaded images reach the model as data URLs of their bytes (upstreams cannot fetch our R2), as in runs.
  const fileIds = imageFileIds(context);
  const urls = fileIds.length === 0 ? new Map<string, string>()
    : await loadImageUrls(dbOf(c), c.env.FILES, projectOf(c), [fileIds.map((file_id) => ({ type: 'image_file' as const, image_file: { file_id, detail: 'auto' as const } }))]);
  // Files (`input_file`) reach the model as their extracted text (docs/responses.md "Input files").
  const files = await loadInputFileTexts(dbOf(c), c.env.FILES, projectOf(c), before, items);
  if ('refused' in files) throw invalidRequest(files.refused.message, files.refused.param, files.refused.code);
  const render = (part: readonly StoredItem[]) => withInstructions(params.instructions, toChatMessages(part, (id) => urls.get(id) ?? null, files.texts));
  let messages = render(context);
  if (params.truncation === 'auto') messages = truncateOldest(messages, PROMPT_BUDGET);
  return { items, messages, context, render };
}

/** The conversation of a request (`conversation`), refused with `previous_response_id` as OpenAI does. */
function requestedConversation(params: ContextParams): string | null {
  const id = conversationIdOf(params.conversation);
  if (id !== null && params.previous_response_id) {
    throw invalidRequest("Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.", 'conversation', 'mutually_exclusive_parameters');
  }
  if (id !== null && !isConversationId(id)) throw new ApiError(404, conversationMissing(id), 'invalid_request_error', 'conversation', null);
  return id;
}

/** The conversation's items, oldest first (docs/conversations.md §5), as the context before this request's input. */
async function conversationItems(c: AppContext, conversationId: string): Promise<StoredItem[]> {
  return unwrap<StoredItem[]>(await threadStub(c, conversationId).conversationHistory(projectOf(c), conversationId));
}

/** This request's input items as the conversation will store them; refused up front if it cannot hold one. */
function inputForConversation(items: StoredItem[]) {
  const converted = toConversationItems(items);
  if ('refused' in converted) {
    throw invalidRequest(`Item ${converted.refused} of 'input' (type '${items[converted.refused]!.type}') cannot be added to a conversation by this server.`, `input[${converted.refused}]`, 'invalid_value');
  }
  return converted.items;
}

/** A file_search tool names only the project's vector stores (docs/responses.md "Hosted tools"); else a 400. */
async function requireOwnStores(c: AppContext, tools: ResponseCreateParams['tools']): Promise<void> {
  for (const [i, tool] of (tools ?? []).entries()) {
    if (tool.type !== 'file_search') continue;
    const [missing] = (await foreignReferences(dbOf(c), projectOf(c), [], tool.vector_store_ids)).vectorStores;
    if (missing) throw invalidRequest(`Vector store with id '${missing}' not found.`, `tools[${i}].vector_store_ids`, 'invalid_value');
  }
}

/**
 * A code_interpreter tool names a container of the project that has not expired, or `auto` with the
 * project's files (docs/containers.md); else a 400 before anything runs.
 */
async function requireOwnContainers(c: AppContext, tools: ResponseCreateParams['tools']): Promise<void> {
  for (const [i, tool] of (tools ?? []).entries()) {
    if (tool.type !== 'code_interpreter') continue;
    const param = `tools[${i}].container`;
    if (typeof tool.container === 'string' && tool.container !== 'auto') {
      const row = await getContainerRow(dbOf(c), projectOf(c), tool.container);
      if (!row) throw invalidRequest(`Container with id '${tool.container}' not found.`, param, 'invalid_value');
      if (isContainerExpired(row)) throw invalidRequest(`Container '${tool.container}' has expired.`, param, 'container_expired');
    } else if (typeof tool.container === 'object') {
      const [missing] = (await foreignReferences(dbOf(c), projectOf(c), tool.container.file_ids ?? [], [])).files;
      if (missing) throw invalidRequest(`No file found with id '${missing}'.`, `${param}.file_ids`, 'invalid_value');
    }
  }
}

responsesRoutes.post('/responses', async (c) => {
  const params = await parseBody(c, ResponseCreateParams);
  if (params.background && params.store === false) throw invalidRequest('Background mode requires `store` to be true.', 'background', 'invalid_value');
  const threshold = compactThreshold(params.context_management);
  requireRoutableModel(c.var.services.models, params.model);
  await requireOwnStores(c, params.tools);
  await requireOwnContainers(c, params.tools);
  checkMcpTools(params.tools, c.var.services.mcpUrlPolicy);
  const conversationId = requestedConversation(params);
  const background = params.background === true;
  const response = initialResponse(params, { id: newId('resp_'), createdAt: unixSeconds(), status: background ? 'queued' : 'in_progress' });
  // The conversation is locked before its items are read and held until the response's object ends it
  // (docs/responses.md "Conversation state"); any refusal before the object has the response releases it.
  const conversation = conversationId === null ? null : threadStub(c, conversationId);
  // One object call takes the lock and reads the history.
  const history = conversation ? unwrap<{ history: StoredItem[] }>(await conversation.beginConversationResponse(projectOf(c), conversationId!, response.id)).history : undefined;
  try {
    const { items, messages, context, render } = await modelContext(c, params, history);
    const mcp = mcpStart(params.tools, context.slice(0, context.length - items.length), items);
    let request = chatRequestForResponse(params.model, params, messages, { codeTimeoutSeconds: c.var.services.config.codeExecutionTimeoutSeconds });
    // Server-side compaction (docs/responses.md "Compaction"): its item leads the output.
    const compacted = await compactOverThreshold(c, threshold, { model: params.model, instructions: params.instructions, context, messages, request, render });
    if (compacted) {
      request = { ...request, messages: compacted.messages };
      response.output.push(compacted.item);
    }
    c.var.connectionChain?.began(response.id, compacted?.context ?? context);
    const mode = params.stream ? 'stream' : background ? 'background' : 'wait';
    const principal = c.get('principal');
    const apiKeyId = principal.kind === 'project' ? principal.keyId : null;
    const start = { projectId: projectOf(c), apiKeyId, response, items, request, include: params.include ?? [], mode, ...(conversation ? { conversationItems: inputForConversation(items) } : {}), ...(mcp ? { mcp } : {}) } as const;
    const started = unwrap<Started>(await responseStub(c, response.id).start(start));
    return started.stream ? sseResponse(started.stream, c.get('requestId')) : c.json(started.response);
  } catch (err) {
    if (conversation) await conversation.endConversationResponse(projectOf(c), conversationId!, response.id);
    throw err;
  }
});

/**
 * WebSocket mode (docs/responses.md "WebSocket mode"): the upgrade, authenticated like every route, is
 * handed to a connection object of its own, which holds the socket (hibernating while idle) and answers
 * its `response.create` messages through `POST /responses` above.
 */
responsesRoutes.get('/responses', (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new ApiError(404, 'Invalid URL (GET /v1/responses)');
  const sockets = c.env.RESPONSE_SOCKETS;
  const headers = { upgrade: 'websocket', [SOCKET_PRINCIPAL_HEADER]: JSON.stringify(c.get('principal')) };
  return sockets.get(sockets.newUniqueId()).fetch(new Request(c.req.url, { headers }));
});

responsesRoutes.post('/responses/input_tokens', async (c) => {
  const params = await parseBody(c, InputTokensParams);
  const conversationId = requestedConversation(params);
  const { messages } = await modelContext(c, params, conversationId === null ? undefined : await conversationItems(c, conversationId));
  const request = chatRequestForResponse(params.model ?? '', params, messages);
  return c.json({ object: 'response.input_tokens' as const, input_tokens: estimateInputTokens(request.messages, request.tools) });
});

/** A stored response of the caller's project, or 404 (`store: false` responses are never found). */
async function storedResponse(c: AppContext): Promise<ResponseObject> {
  const id = pathId(c, 'response_id', 'resp_');
  const response = await getResponse(dbOf(c), projectOf(c), id);
  if (!response) throw responseNotFound(id);
  return response;
}

responsesRoutes.get('/responses/:response_id', async (c) => {
  const query = parseWith(ResponseRetrieveQuery, c.req.query());
  const response = await storedResponse(c);
  if (query.stream !== 'true') return c.json(response);
  const after = query.starting_after === undefined ? -1 : Number(query.starting_after);
  const replay = unwrap<{ stream: ReadableStream<Uint8Array> }>(await responseStub(c, response.id).replay(projectOf(c), response.id, after));
  return sseResponse(replay.stream, c.get('requestId'));
});

responsesRoutes.delete('/responses/:response_id', async (c) => {
  const id = pathId(c, 'response_id', 'resp_');
  unwrap(await responseStub(c, id).remove(projectOf(c), id));
  return c.json({ id, object: 'response' as const, deleted: true });
});

responsesRoutes.post('/responses/:response_id/cancel', async (c) => {
  const response = await storedResponse(c);
  return c.json(unwrap<ResponseObject>(await responseStub(c, response.id).cancel(projectOf(c), response.id)));
});

responsesRoutes.get('/responses/:response_id/input_items', async (c) => {
  const response = await storedResponse(c);
  const page = await listInputItems(dbOf(c), projectOf(c), response.id, parseListQuery(c.req.query()));
  return c.json(listEnvelope(page));
});
