// Response-body validation against the copied OpenAI OpenAPI documents (docs/openai-behaviour.md §7).
//
// Two documents: the Assistants v2 one, and the Responses one (also holding Conversations). A path picks its
// document: /responses and /conversations paths validate against openai-responses.openapi.json (bodies and
// the ResponseStreamEvent union), everything else against openai-assistants-v2.openapi.json. Error bodies
// validate against ErrorResponse of the Assistants document on every path (the two are the same schema).
//
// The spec is OpenAPI 3.1 with 3.0 leftovers (`nullable`), `$recursiveRef` (JSON Schema 2019-09) and custom
// formats, so: normalize `nullable`, use Ajv2019, register `unixtime`/`binary`. Every component schema is
// registered as its own schema resource (its own `$id`) rather than as fragments of one big document:
// `CompoundFilter` uses `$recursiveRef: "#"`, which resolves against the enclosing resource root, so it only
// means "CompoundFilter" when CompoundFilter is a resource of its own.
import { readFileSync } from 'node:fs';
import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import normalize from './openapi/normalize.js';
import { SEARCH_RESULT_EXTENSIONS } from '../../src/http/openapi/search-extensions.js';
import { withMcpExtensions } from '../../src/http/openapi/mcp-extensions.js';

type SchemaNode = Record<string, unknown>;
interface MediaType { schema?: SchemaNode }
interface Operation { operationId?: string; responses?: Record<string, { content?: Record<string, MediaType> }> }
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaNode> };
}

export type SpecDocument = 'assistants' | 'responses';

interface DocumentConfig {
  file: URL;
  /** `$id` prefix of this document's component schemas (one Ajv instance per document). */
  base: string;
  /** The stream-event union and the property naming each member (`event` line or `type` field). */
  streamUnion: string;
  streamTag: 'event' | 'type';
}

export const SPEC_PATH = new URL('./openapi/openai-assistants-v2.openapi.json', import.meta.url);
export const RESPONSES_SPEC_PATH = new URL('./openapi/openai-responses.openapi.json', import.meta.url);

const DOCUMENTS: Record<SpecDocument, DocumentConfig> = {
  assistants: {
    file: SPEC_PATH,
    base: 'https://assistants-edge.test/openapi/components/schemas/',
    streamUnion: 'AssistantStreamEvent',
    streamTag: 'event',
  },
  responses: {
    file: RESPONSES_SPEC_PATH,
    base: 'https://assistants-edge.test/openapi-responses/components/schemas/',
    streamUnion: 'ResponseStreamEvent',
    streamTag: 'type',
  },
};

/** Path prefixes (relative to /v1) served by the Responses document; only these, not its /chat/completions. */
const RESPONSES_DOCUMENT_PATHS = ['/responses', '/conversations'];
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Operations whose 200 body the document does not describe, so only error bodies are validated: raw file
 * bytes, and deleteResponse, whose 200 has no schema (its example is `{id, object: "response", deleted: true}`,
 * which the contract tests check by hand).
 */
const SKIP_SUCCESS_BODY = new Set(['GET /files/{file_id}/content', 'DELETE /responses/{response_id}']);

export interface SpecOperation {
  method: string; // upper case
  template: string; // '/threads/{thread_id}/runs'
  operationId: string;
  segments: string[];
  successSchema: SchemaNode | undefined;
}

interface Validator {
  config: DocumentConfig;
  ajv: InstanceType<typeof Ajv2019>;
  spec: Spec;
  operations: SpecOperation[];
  compiled: Map<string, ValidateFunction>;
  streamMembers: Map<string, string>; // event name -> stream-union member resource id
}

const cached = new Map<SpecDocument, Validator>();

function rewriteRefs(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, base));
  if (!node || typeof node !== 'object') return node;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
      ? base + v.slice('#/components/schemas/'.length)
      : rewriteRefs(v, base);
  }
  return out;
}

/**
 * Lists always carry first_id/last_id, but an empty page has no ids: OpenAI-compatible servers send null
 * (docs/openai-behaviour.md §3, §7), so the validator accepts string|null where the spec says string.
 */
function allowNullListCursors(schemas: Record<string, SchemaNode>): void {
  for (const schema of Object.values(schemas)) {
    const props = schema.properties as Record<string, SchemaNode> | undefined;
    if (!props) continue;
    for (const key of ['first_id', 'last_id']) {
      const p = props[key];
      if (p && p.type === 'string') p.type = ['string', 'null'];
    }
  }
}

/**
 * OpenAI's search result item forbids unknown properties; our opt-in `ranking_details` extension
 * (docs/openai-behaviour.md) is allowed there, and only it, with its own schema (as served in
 * /v1/openapi.json), so a response is still refused for any other extra field.
 */
function allowSearchExtensions(schemas: Record<string, SchemaNode>): void {
  const item = schemas.VectorStoreSearchResultItem;
  if (item) item.properties = { ...(item.properties as SchemaNode), ...normalize(SEARCH_RESULT_EXTENSIONS) };
}

/**
 * With allErrors, a failing `oneOf` reports the errors of every branch: a text content part with one bad
 * field yields a dozen lines about image_file/image_url/refusal. Where every branch of a `oneOf` is an object
 * whose `type` (or `event`) is a required string enum with values unique across branches, tag it with an
 * OpenAPI `discriminator` so Ajv validates only the branch the object names. This does not change what is
 * valid: with distinct required tags at most one branch can match anyway. Upstream's own two
 * `discriminator`s are dropped first: one sits beside a `$recursiveRef` branch Ajv cannot resolve for tags.
 */
function addDiscriminators(schemas: Record<string, SchemaNode>): void {
  const resolve = (branch: SchemaNode): SchemaNode | undefined => {
    if ('$recursiveRef' in branch) return undefined;
    const ref = branch.$ref;
    if (typeof ref !== 'string') return branch;
    return ref.startsWith('#/components/schemas/') ? schemas[ref.slice('#/components/schemas/'.length)] : undefined;
  };
  const tagValues = (branch: SchemaNode | undefined, tag: string): string[] | undefined => {
    const prop = (branch?.properties as Record<string, SchemaNode> | undefined)?.[tag];
    const required = branch?.required;
    if (!prop || !Array.isArray(required) || !required.includes(tag)) return undefined;
    const values = prop.const !== undefined ? [prop.const] : prop.enum;
    return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as SchemaNode;
    if (Array.isArray(n.oneOf)) {
      delete n.discriminator;
      const branches = (n.oneOf as SchemaNode[]).map(resolve);
      for (const tag of ['type', 'event']) {
        const all = branches.map((b) => tagValues(b, tag));
        const flat = all.flatMap((v) => v ?? []);
        if (all.every((v) => v !== undefined) && new Set(flat).size === flat.length) {
          n.discriminator = { propertyName: tag };
          break;
        }
      }
    } else delete n.discriminator;
    for (const [k, v] of Object.entries(n)) if (k !== 'example' && k !== 'default' && k !== 'enum') walk(v);
  };
  walk(schemas);
}

function build(config: DocumentConfig): Validator {
  const BASE = config.base;
  const spec = JSON.parse(readFileSync(config.file, 'utf8')) as Spec;
  // The Assistants document gets our one `mcp` extension (src/http/openapi/mcp-extensions.ts), as served.
  const source = config === DOCUMENTS.assistants ? (withMcpExtensions(spec.components.schemas) as Spec['components']['schemas']) : spec.components.schemas;
  const schemas = normalize(source);
  allowNullListCursors(schemas);
  allowSearchExtensions(schemas);
  addDiscriminators(schemas);

  // logger:false: strict:false would otherwise print a warning per ignored x-* keyword. discriminator:true
  // honours the tags added by addDiscriminators (errors then name the branch the object claims to be).
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false, discriminator: true });
  addFormats(ajv);
  // `unixtime` is "integer seconds": also reject millisecond values (> year 5138), a classic server bug.
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 && n < 1e11 });
  ajv.addFormat('binary', true);
  for (const [name, schema] of Object.entries(schemas)) {
    ajv.addSchema({ ...(rewriteRefs(schema, BASE) as SchemaNode), $id: BASE + name });
  }

  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!op) continue;
      operations.push({
        method: m.toUpperCase(),
        template,
        operationId: op.operationId ?? `${m} ${template}`,
        segments: template.split('/').filter(Boolean),
        successSchema: op.responses?.['200']?.content?.['application/json']?.schema,
      });
    }
  }

  // AssistantStreamEvent is oneOf[ThreadStreamEvent, RunStreamEvent, ..., ErrorEvent, DoneEvent], and the
  // *StreamEvent groups are themselves oneOf of one schema per event name; ResponseStreamEvent is anyOf of one
  // schema per `type`. Index the leaves by event name so a failing event is reported against its own schema
  // instead of against all the alternatives.
  const streamMembers = new Map<string, string>();
  const visit = (node: SchemaNode, id: string): void => {
    const ev = (node.properties as Record<string, SchemaNode> | undefined)?.[config.streamTag];
    if (ev && Array.isArray(ev.enum)) for (const e of ev.enum) streamMembers.set(String(e), id);
    for (const key of ['oneOf', 'anyOf'] as const) {
      (node[key] as SchemaNode[] | undefined)?.forEach((branch, i) => {
        const ref = branch.$ref as string | undefined;
        if (ref) {
          const name = ref.slice('#/components/schemas/'.length);
          visit(schemas[name] as SchemaNode, BASE + name);
        } else visit(branch, `${id}#/${key}/${i}`);
      });
    }
  };
  visit(schemas[config.streamUnion] as SchemaNode, BASE + config.streamUnion);

  return { config, ajv, spec, operations, compiled: new Map(), streamMembers };
}

function validator(doc: SpecDocument = 'assistants'): Validator {
  let v = cached.get(doc);
  if (!v) {
    v = build(DOCUMENTS[doc]);
    cached.set(doc, v);
  }
  return v;
}

function compiledFor(v: Validator, key: string, make: () => ValidateFunction): ValidateFunction {
  let fn = v.compiled.get(key);
  if (!fn) {
    fn = make();
    v.compiled.set(key, fn);
  }
  return fn;
}

function schemaById(v: Validator, id: string): ValidateFunction {
  return compiledFor(v, id, () => {
    const fn = v.ajv.getSchema(id);
    if (!fn) throw new Error(`OpenAPI validator: no schema ${id}`);
    return fn;
  });
}

/** Human-readable Ajv errors, most useful first, capped so one bad object cannot flood a test report. */
export function formatErrors(errors: ErrorObject[] | null | undefined, limit = 25): string[] {
  if (!errors?.length) return [];
  // Discriminated unions report only the tagged branch (addDiscriminators); untagged unions still report
  // every branch, so put the deepest (most specific) errors first.
  const specific = [...errors].sort((a, b) => depth(b.instancePath) - depth(a.instancePath));
  const chosen = specific.length ? specific : errors;
  const lines = [...new Set(chosen.map(describe))];
  return lines.length > limit ? [...lines.slice(0, limit), `... and ${lines.length - limit} more`] : lines;
}

function depth(instancePath: string): number {
  return instancePath.split('/').length;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  const p = e.params as Record<string, unknown>;
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = `: '${String(p.additionalProperty)}'`;
  else if (e.keyword === 'enum') detail = `: ${JSON.stringify(p.allowedValues)}`;
  else if (e.keyword === 'const') detail = `: ${JSON.stringify(p.allowedValue)}`;
  return `${where} ${e.message ?? e.keyword}${detail} [${e.schemaPath}]`;
}

function run(fn: ValidateFunction, value: unknown): string[] {
  return fn(value) ? [] : formatErrors(fn.errors);
}

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

/**
 * Validate one SSE event against AssistantStreamEvent. `data` is the parsed JSON payload, except for the
 * `done` event whose data is the literal string "[DONE]".
 */
export function validateStreamEvent(event: string, data: unknown): string[] {
  return validateUnionMember(validator('assistants'), event, { event, data });
}

/**
 * Validate one Responses SSE event against ResponseStreamEvent: `event` is the SSE `event:` line, `data` the
 * parsed JSON payload, whose `type` must equal it (OpenAI sends both).
 */
export function validateResponseStreamEvent(event: string, data: unknown): string[] {
  const type = (data as { type?: unknown } | null)?.type;
  if (type !== event) return [`event '${event}': data.type is ${JSON.stringify(type)}, not the event name`];
  return validateUnionMember(validator('responses'), event, data);
}

function validateUnionMember(v: Validator, name: string, value: unknown): string[] {
  const union = v.config.streamUnion;
  const whole = schemaById(v, v.config.base + union);
  // anyOf (ResponseStreamEvent) accepts a value matching several members; oneOf (AssistantStreamEvent) does not.
  if (whole(value)) return [];
  const member = v.streamMembers.get(name);
  if (!member) return [`unknown stream event '${name}' (not in ${union}; known: ${[...v.streamMembers.keys()].join(', ')})`];
  const errors = run(schemaById(v, member), value).map((e) => `event '${name}': ${e}`);
  // The member matched but oneOf still failed: another member matched too (ambiguous spec) - report it.
  return errors.length ? errors : [`event '${name}': matches more than one ${union} member`];
}
