/**
 * The operations assistants-edge adds to OpenAI's Assistants API, as OpenAPI 3.1 path items and
 * schemas: thread list/export/import, usage and costs in the shape of OpenAI's administration API,
 * and the admin API for projects, service accounts and keys. Merged into the served document by
 * document.ts. Tagged `assistants-edge` so the docs page lists them apart.
 */
import { ADMIN_PATHS, ADMIN_SCHEMAS } from './admin-extensions';
import { body, errors, int, json, op, PASS_THROUGH_TAG, str, type Json } from './extension-helpers';
import { THREAD_PATHS, THREAD_SCHEMAS } from './thread-extensions';
import { USAGE_PATHS, USAGE_SCHEMAS } from './usage-extensions';

// One file per area, in this order (it is the served document's order): threads (thread-extensions.ts),
// usage and costs (usage-extensions.ts), admin (admin-extensions.ts); their shared parts in extension-helpers.ts.
export const EXTENSION_SCHEMAS: Record<string, Json> = {
  ...THREAD_SCHEMAS,
  ...USAGE_SCHEMAS,
  ...ADMIN_SCHEMAS,
};

export const EXTENSION_PATHS: Record<string, Json> = {
  '/responses': {
    get: op('responsesWebSocket', 'Opens a Responses API WebSocket (OpenAI\'s WebSocket mode).', {
      description: 'With `Upgrade: websocket` (the key in `Authorization`): send `{"type": "response.create", ...}` messages with the body of `POST /responses`; each response\'s stream events come back as JSON text frames (ResponseStreamEvent), one response at a time. See docs/responses.md "WebSocket mode".',
      parameters: [{ in: 'header', name: 'Upgrade', required: true, schema: { type: 'string', enum: ['websocket'] }, description: 'Must be `websocket`.' }],
      responses: { '101': { description: 'Switching protocols: the WebSocket is open' }, ...errors },
    }),
  },
  ...THREAD_PATHS,
  ...USAGE_PATHS,
  ...ADMIN_PATHS,
  // OpenAI's own operations (not in the Assistants document), passed through to the configured providers
  // (src/http/routes/chat-completions.ts, embeddings.ts): the bodies are OpenAI's, see its API reference.
  '/chat/completions': {
    post: op('createChatCompletion', "OpenAI's Chat Completions (stream: true answers server-sent events), passed through to the model's provider.", {
      requestBody: body({ type: 'object', required: ['model', 'messages'], properties: { model: str, messages: { type: 'array' }, stream: { type: 'boolean' } } }),
      responses: { '200': { description: 'A chat.completion object, or a text/event-stream of chat.completion.chunk objects', content: { 'application/json': { schema: { type: 'object' } }, 'text/event-stream': { schema: str } } }, ...errors },
    }, PASS_THROUGH_TAG),
  },
  '/embeddings': {
    post: op('createEmbedding', "OpenAI's Embeddings, passed through to the embeddings provider.", {
      requestBody: body({ type: 'object', required: ['model', 'input'], properties: { model: str, input: {}, encoding_format: { type: 'string', enum: ['float', 'base64'] }, dimensions: int } }),
      responses: { '200': json({ type: 'object', required: ['object', 'data', 'model', 'usage'], properties: { object: { type: 'string', enum: ['list'] } } }), ...errors },
    }, PASS_THROUGH_TAG),
  },
  '/openapi.json': {
    get: op('getOpenApiDocument', 'This document (public, no key).', { security: [], responses: { '200': json({ type: 'object' }) } }),
  },
};
