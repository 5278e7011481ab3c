import { Hono } from 'hono';
import { InputTokensParams, ResponseCreateParams, ResponseRetrieveQuery } from '../../contract/responses';
import { foreignReferences } from '../../db/id-checks';
import { getContainerRow, isContainerExpired } from '../../db/containers';
import { conversationBefore, getResponse, listInputItems } from '../../db/responses';
import { isChainResponseId, newId, newResponseId, responseObjectName, unixSeconds } from '../../domain/ids';
import { estimateInputTokens } from '../../domain/responses/context';
import { toStoredItems } from '../../domain/responses/input';
import { compactionIndexes } from '../../domain/responses/compaction';
import { conversationIdOf, isConversationId } from '../../domain/responses/conversation';
import { conversationMissing } from '../../durable/conversations';
import { chatRequestForResponse, initialResponse } from '../../domain/responses/request';
import type { ResponseObject, StoredItem } from '../../domain/responses/types';
import type { Started } from '../../durable/responses/start';
import type { Result } from '../../durable/result';
import type { McpStart } from '../../durable/responses/hosted-tools';
import { buildModelContext, conversationInput, mcpStart, type ContextParams, type ModelContext } from '../../durable/responses/model-context';
import type { ConversationItemParam } from '../../contract/conversations';
import { dbOf, projectOf, threadStub, type AppContext, type AppEnv } from '../context';
import { compactOverThreshold, compactThreshold, requireOwnCompactions } from '../compaction';
import { ApiError, invalidRequest } from '../errors';
import { requireRoutableModel } from '../model-check';
import { listEnvelope, parseListQuery } from '../pagination';
import { unwrap } from '../rpc';
import { sseResponse } from '../sse';
import { SOCKET_PRINCIPAL_HEADER } from '../../durable/responses/response-socket';
import { parseBody, parseWith, pathId } from '../validation';
import { checkMcpTools } from '../mcp-tools';

/** `client.responses` (docs/responses.md): create, retrieve (and replay), delete, cancel, input items, input tokens. */
export const responsesRoutes = new Hono<AppEnv>();

const responseNotFound = (id: string) => new ApiError(404, `Response with id '${id}' not found.`, 'invalid_request_error', null, null);

/** The object that runs a response: its chain's (src/domain/ids.ts), so a continuation finds its context there. */
const responseStub = (c: AppContext, id: string) => c.env.RESPONSES.get(c.env.RESPONSES.idFromName(responseObjectName(id)));

const itemIds = { message: () => newId('msg_'), functionCall: () => newId('fc_'), functionCallOutput: () => newId('fco_'), fileSearchCall: () => newId('fs_'), compaction: () => newId('cmp_'), mcpApprovalResponse: () => newId('mcpa_') };

export type { ContextParams, ModelContext };

/** This request's own input items, its `compaction` items checked as this server's (a 400 otherwise). */
async function ownItems(c: AppContext, params: ContextParams): Promise<StoredItem[]> {
  const items = toStoredItems(params.input, itemIds);
  await requireOwnCompactions(c, items);
  return items;
}

/**
 * The model context of a request, built in the route (src/durable/responses/model-context.ts): the
 * conversation's items (`history`) or the `previous_response_id` chain read from D1 (a WebSocket
 * connection's own chain first), then this request's items.
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
  const items = await ownItems(c, params);
  return unwrap<ModelContext>(await buildModelContext({ db: dbOf(c), files: c.env.FILES, projectId: projectOf(c) }, params, before, items));
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
const inputForConversation = (items: StoredItem[]) => unwrap<ConversationItemParam[]>(conversationInput(items));

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

/** The started response as the client asked for it: its event stream, or the Response object. */
function answerStarted(c: AppContext, result: Result<Started>) {
  const started = unwrap<Started>(result);
  return started.stream ? sseResponse(started.stream, c.get('requestId')) : c.json(started.response);
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
  const response = initialResponse(params, { id: newResponseId(params.previous_response_id, conversationId), createdAt: unixSeconds(), status: background ? 'queued' : 'in_progress' });
  const mode = params.stream ? 'stream' : background ? 'background' : 'wait';
  const principal = c.get('principal');
  const apiKeyId = principal.kind === 'project' ? principal.keyId : null;
  // A continuation runs in its chain's object, which holds the chain's context, and a conversation turn
  // in its conversation's object, which sends the model request ahead from the history it knows: the
  // one storage call before the model request (docs/responses.md "Chains", "Conversation turns"). The
  // route builds the context itself for a WebSocket turn (the connection's own chain), server-side
  // compaction (a summarising model call made here), compaction items in a conversation turn's input
  // (checked against this server's key) and a previous response made before chains (D1 only).
  const { previous_response_id: previous, input: _input, ...rest } = params;
  const inObject = !c.var.connectionChain && threshold === null;
  const base = { projectId: projectOf(c), apiKeyId, response, include: params.include ?? [], mode } as const;
  if (inObject && previous && isChainResponseId(previous)) {
    const items = await ownItems(c, params);
    return answerStarted(c, await responseStub(c, response.id).continueChain({ ...base, items, params: { ...rest, previous_response_id: previous } }));
  }
  if (inObject && conversationId !== null) {
    const items = toStoredItems(params.input, itemIds);
    if (compactionIndexes(items).length === 0) {
      return answerStarted(c, await responseStub(c, response.id).startConversationTurn({ ...base, items, params: rest, conversationId }));
    }
  }
  // The conversation is locked before its items are read and held until the response's object ends it
  // (docs/responses.md "Conversation state"); any refusal before the object has the response releases it.
  const conversation = conversationId === null ? null : threadStub(c, conversationId);
  // One object call takes the lock and reads the history.
  const history = conversation ? unwrap<{ history: StoredItem[] }>(await conversation.beginConversationResponse(projectOf(c), conversationId!, response.id)).history : undefined;
  try {
    const { items, messages, context, render } = await modelContext(c, params, history);
    const mcp = unwrap<McpStart | undefined>(mcpStart(params.tools, context.slice(0, context.length - items.length), items));
    let request = chatRequestForResponse(params.model, params, messages, { codeTimeoutSeconds: c.var.services.config.codeExecutionTimeoutSeconds });
    // Server-side compaction (docs/responses.md "Compaction"): its item leads the output.
    const compacted = await compactOverThreshold(c, threshold, { model: params.model, instructions: params.instructions, context, messages, request, render });
    if (compacted) {
      request = { ...request, messages: compacted.messages };
      response.output.push(compacted.item);
    }
    c.var.connectionChain?.began(response.id, compacted?.context ?? context);
    const start = { ...base, items, request, ...(conversation ? { conversationItems: inputForConversation(items) } : {}), ...(mcp ? { mcp } : {}) };
    return answerStarted(c, await responseStub(c, response.id).start(start));
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
