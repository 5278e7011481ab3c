import type { ResponseCreateParams } from '../../contract/responses';
import type { ConversationItemParam } from '../../contract/conversations';
import type { ChatRequest } from '../../domain/ports';
import type { ResponseObject, StoredItem } from '../../domain/responses/types';
import type { McpStart } from './hosted-tools';

/** What ResponseRunner.start is given: the accepted response, its request and how the client waits for it. */
export interface StartResponse {
  projectId: string;
  apiKeyId: string | null;
  response: ResponseObject;
  /** This response's own input items (stored for `input_items` when `store` is true). */
  items: StoredItem[];
  request: ChatRequest;
  /** The request's `include` (what hosted calls show, e.g. `file_search_call.results`). */
  include?: string[];
  mode: 'wait' | 'stream' | 'background';
  /** With `conversation`: the input items as the conversation stores them, added when the response completes. */
  conversationItems?: ConversationItemParam[];
  /** With `mcp` tools: their headers (kept in memory only), known tool lists and approvals (docs/mcp.md). */
  mcp?: McpStart;
}

/** What ResponseRunner.start returns: the response, and with `mode: 'stream'` its events. */
export type Started = { response: ResponseObject; stream?: ReadableStream<Uint8Array> };

/**
 * A response whose context its chain's object builds (ResponseRunner.continueChain and
 * startConversationTurn): the request's own items and parameters, `input` left out (already `items`).
 */
export interface BuiltInObject extends Pick<StartResponse, 'projectId' | 'apiKeyId' | 'response' | 'items' | 'include' | 'mode'> {
  params: Omit<ResponseCreateParams, 'input'>;
}

/** A response continuing `previous_response_id` in its chain's object, which holds the chain. */
export interface ContinueResponse extends BuiltInObject {
  params: BuiltInObject['params'] & { previous_response_id: string };
}

/** A turn of a conversation, started by the conversation's object (docs/responses.md "Conversation turns"). */
export interface ConversationTurn extends BuiltInObject {
  conversationId: string;
}
