// Response-body validation against the copied OpenAI OpenAPI documents (docs/openai-behaviour.md §7).
//
// Two documents: the Assistants v2 one, and the Responses one (also holding Conversations). A path picks its
// document: /responses and /conversations paths validate against openai-responses.openapi.json (bodies and
// the ResponseStreamEvent union), everything else against openai-assistants-v2.openapi.json. Error bodies
// validate against ErrorResponse of the Assistants document on every path (the two are the same schema).
//
// This module is the entry point: it maps requests to spec operations and validates bodies. The pieces
// behind it: openapi-documents.ts (loading the documents into Ajv), openapi-adjustments.ts (our changes to
// OpenAI's schemas), openapi-errors.ts (readable Ajv errors), openapi-stream-events.ts (SSE events).
import normalize from './openapi/normalize.js';
import { compiledFor, rewriteRefs, schemaById, validator, type SchemaNode, type SpecDocument, type SpecOperation } from './openapi-documents.js';
import { run } from './openapi-errors.js';

export { RESPONSES_SPEC_PATH, SPEC_PATH, type SpecDocument, type SpecOperation } from './openapi-documents.js';
export { formatErrors } from './openapi-errors.js';
export { validateResponseStreamEvent, validateStreamEvent } from './openapi-stream-events.js';

/** Path prefixes (relative to /v1) served by the Responses document; only these, not its /chat/completions. */
const RESPONSES_DOCUMENT_PATHS = ['/responses', '/conversations'];

/**
 * Operations whose 200 body the document does not describe, so only error bodies are validated: raw file
 * bytes, and deleteResponse, whose 200 has no schema (its example is `{id, object: "response", deleted: true}`,
 * which the contract tests check by hand).
 */
const SKIP_SUCCESS_BODY = new Set(['GET /files/{file_id}/content', 'DELETE /responses/{response_id}']);

/**
 * Validate a value against `#/components/schemas/<name>` of one document (with the docs/openai-behaviour.md
 * §7 adjustments).
 */
export function validateSchema(name: string, value: unknown, doc: SpecDocument = 'assistants'): string[] {
  const v = validator(doc);
  if (!(name in v.spec.components.schemas)) throw new Error(`OpenAPI validator: unknown schema '${name}' in the ${doc} document`);
  return run(schemaById(v, v.config.base + name), value);
}

/** Strip the SDK base path: the spec's paths are relative to https://api.openai.com/v1. */
function specPathname(pathname: string): string {
  const p = pathname.replace(/^\/v1(?=\/|$)/, '');
  return p.length > 1 ? p.replace(/\/+$/, '') : p || '/';
}

/**
 * Our extensions whose literal path would otherwise match an OpenAI template (`POST /threads/import`
 * is not modifyThread with thread_id = "import"); their shapes are in our /v1/openapi.json.
 */
const OUR_LITERAL_PATHS = new Set(['POST /threads/import']);

/**
 * The spec operation serving `method pathname`, or undefined. Literal segments beat parameters, so
 * `POST /threads/runs` is createThreadAndRun, not modifyThread with thread_id = "runs".
 */
export function findOperation(method: string, pathname: string): SpecOperation | undefined {
  const path = specPathname(pathname);
  const segs = path.split('/').filter(Boolean);
  const upper = method.toUpperCase();
  if (OUR_LITERAL_PATHS.has(`${upper} /${segs.join('/')}`)) return undefined;
  let best: { op: SpecOperation; literals: number } | undefined;
  for (const op of validator(documentFor(path)).operations) {
    if (op.method !== upper || op.segments.length !== segs.length) continue;
    let literals = 0;
    const ok = op.segments.every((s, i) => {
      if (s.startsWith('{') && s.endsWith('}')) return segs[i] !== '';
      if (s === segs[i]) return ++literals > 0;
      return false;
    });
    if (ok && (!best || literals > best.literals)) best = { op, literals };
  }
  return best?.op;
}

/** The document a (/v1-relative) path is validated against. */
function documentFor(path: string): SpecDocument {
  return RESPONSES_DOCUMENT_PATHS.some((p) => path === p || path.startsWith(`${p}/`)) ? 'responses' : 'assistants';
}

/**
 * A document's operations (for coverage reports and tests). The Responses document's own /chat/completions
 * and /embeddings operations are left out: those paths are validated as before, not against it.
 */
export function specOperations(doc: SpecDocument = 'assistants'): readonly SpecOperation[] {
  const ops = validator(doc).operations;
  return doc === 'assistants' ? ops : ops.filter((op) => documentFor(op.template) === doc);
}

/**
 * Validate a response body. 2xx: against the operation's `responses['200']` JSON schema (paths the spec
 * does not have, e.g. our /organization admin routes, and raw file downloads are not checked). Non-2xx:
 * always against ErrorResponse, on every path.
 */
export function validateResponse(method: string, pathname: string, status: number, body: unknown): string[] {
  if (status < 200 || status >= 300) return validateSchema('ErrorResponse', body);
  const op = findOperation(method, pathname);
  if (!op || SKIP_SUCCESS_BODY.has(`${op.method} ${op.template}`)) return [];
  const doc = documentFor(op.template);
  const schema = op.successSchema;
  if (!schema) return [`${op.method} ${op.template}: the spec has no application/json 200 response to validate against`];
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    return validateSchema(ref.slice('#/components/schemas/'.length), body, doc);
  }
  const v = validator(doc);
  const key = `inline:${op.method} ${op.template}`;
  return run(compiledFor(v, key, () => v.ajv.compile(rewriteRefs(normalize(schema), v.config.base) as SchemaNode)), body);
}
