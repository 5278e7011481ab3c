// Our changes to the copied OpenAI component schemas before they are registered with Ajv
// (openapi-documents.ts): the docs/openai-behaviour.md §7 adjustments, plus discriminator tags that only
// make failures easier to read. Each one mutates the (already normalized) `schemas` map in place.
import normalize from './openapi/normalize.js';
import { SEARCH_RESULT_EXTENSIONS } from '../../src/http/openapi/search-extensions.js';
import type { SchemaNode } from './openapi-documents.js';

/**
 * Lists always carry first_id/last_id, but an empty page has no ids: OpenAI-compatible servers send null
 * (docs/openai-behaviour.md §3, §7), so the validator accepts string|null where the spec says string.
 */
export function allowNullListCursors(schemas: Record<string, SchemaNode>): void {
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
export function allowSearchExtensions(schemas: Record<string, SchemaNode>): void {
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
export function addDiscriminators(schemas: Record<string, SchemaNode>): void {
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
