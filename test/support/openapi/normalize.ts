// Convert the OpenAPI 3.0-isms left in the (3.1-labelled) OpenAI spec into plain JSON Schema 2019-09
// for Ajv2019. Port of the normalisation recipe of docs/openai-behaviour.md §7:
// - `nullable: true` + `type`            -> type: [T, 'null'] (and null added to `enum` if present)
// - `nullable: true` without `type`      -> anyOf: [ <schema minus nullable>, {type:'null'} ]
// - allOf: [X, {nullable:true}]          -> anyOf: [ X, {type:'null'} ]
// Drops x-oaiMeta (docs, large, and full of example objects that are not schemas).
// `format: unixtime|binary` must be registered on the Ajv instance separately.
//
// The walk also visits property-name maps (`properties`) and example values; that is harmless because
// only objects that literally carry `nullable: true` or a null-only allOf member are rewritten.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{nullable: true}` (optionally with a description) used as an allOf member to mean "or null". */
const isNullOnly = (s: Json): boolean =>
  isObject(s) && s.nullable === true && Object.keys(s).every((k) => k === 'nullable' || k === 'description');

export default function normalize<T>(node: T): T {
  return normalizeNode(node as Json) as T;
}

function normalizeNode(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalizeNode);
  if (!isObject(node)) return node;

  let o: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'x-oaiMeta') continue;
    o[k] = normalizeNode(v);
  }

  if (Array.isArray(o.allOf)) {
    const allOf = o.allOf;
    const nullOnly = allOf.filter(isNullOnly);
    if (nullOnly.length > 0) {
      const rest = allOf.filter((s) => !nullOnly.includes(s));
      const { allOf: _dropped, ...others } = o;
      const inner: Json = rest.length === 1 ? (rest[0] as Json) : { allOf: rest };
      o = { ...others, anyOf: [inner, { type: 'null' }] };
    }
  }

  if (o.nullable === true) {
    const { nullable: _nullable, ...rest } = o;
    if (rest.type !== undefined) {
      const types = Array.isArray(rest.type) ? rest.type : [rest.type];
      rest.type = types.includes('null') ? types : [...types, 'null'];
      if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null];
      o = rest;
    } else {
      // Keep description/default beside the anyOf so docs and defaults survive; the schema itself
      // (a $ref, oneOf, ...) moves into the first branch.
      const { description, default: dflt, ...schema } = rest;
      o = { anyOf: [schema, { type: 'null' }] };
      if (description !== undefined) o.description = description;
      if (dflt !== undefined) o.default = dflt;
    }
  } else if (o.nullable === false) {
    delete o.nullable;
  }
  return o;
}
