// Loading the copied OpenAI OpenAPI documents into one Ajv instance each, and the cache of compiled
// validators (the public checks are in openapi.ts).
//
// The spec is OpenAPI 3.1 with 3.0 leftovers (`nullable`), `$recursiveRef` (JSON Schema 2019-09) and custom
// formats, so: normalize `nullable`, use Ajv2019, register `unixtime`/`binary`. Every component schema is
// registered as its own schema resource (its own `$id`) rather than as fragments of one big document:
// `CompoundFilter` uses `$recursiveRef: "#"`, which resolves against the enclosing resource root, so it only
// means "CompoundFilter" when CompoundFilter is a resource of its own.
import { readFileSync } from 'node:fs';
import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import normalize from './openapi/normalize.js';
import { withMcpExtensions } from '../../src/http/openapi/mcp-extensions.js';
import { addDiscriminators, allowNullListCursors, allowSearchExtensions } from './openapi-adjustments.js';

export type SchemaNode = Record<string, unknown>;
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

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface SpecOperation {
  method: string; // upper case
  template: string; // '/threads/{thread_id}/runs'
  operationId: string;
  segments: string[];
  successSchema: SchemaNode | undefined;
}

export interface Validator {
  config: DocumentConfig;
  ajv: InstanceType<typeof Ajv2019>;
  spec: Spec;
  operations: SpecOperation[];
  compiled: Map<string, ValidateFunction>;
  streamMembers: Map<string, string>; // event name -> stream-union member resource id
}

const cached = new Map<SpecDocument, Validator>();

/** Point `#/components/schemas/<name>` refs at that schema's own resource (`base + name`), as registered. */
export function rewriteRefs(node: unknown, base: string): unknown {
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

export function validator(doc: SpecDocument = 'assistants'): Validator {
  let v = cached.get(doc);
  if (!v) {
    v = build(DOCUMENTS[doc]);
    cached.set(doc, v);
  }
  return v;
}

export function compiledFor(v: Validator, key: string, make: () => ValidateFunction): ValidateFunction {
  let fn = v.compiled.get(key);
  if (!fn) {
    fn = make();
    v.compiled.set(key, fn);
  }
  return fn;
}

export function schemaById(v: Validator, id: string): ValidateFunction {
  return compiledFor(v, id, () => {
    const fn = v.ajv.getSchema(id);
    if (!fn) throw new Error(`OpenAPI validator: no schema ${id}`);
    return fn;
  });
}
