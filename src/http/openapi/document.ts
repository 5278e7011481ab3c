import spec from '../../../test/support/openapi/openai-assistants-v2.openapi.json';
import responsesSpec from '../../../test/support/openapi/openai-responses.openapi.json';
import { CONTAINER_PATHS, CONTAINER_SCHEMAS } from './container-paths';
import { EXTENSION_PATHS, EXTENSION_SCHEMAS } from './extensions';
import { withSearchExtensions } from './search-extensions';
import { withMcpExtensions } from './mcp-extensions';

/**
 * `GET /v1/openapi.json`: OpenAI's Assistants v2 document and the /responses and /conversations paths of
 * its Responses document (the trimmed copies the contract tests validate against, test/support/openapi/,
 * MIT licensed, both from the same upstream commit, so a schema name means the same schema in both) cut
 * to the operations this deployment actually serves, plus our extensions (extensions.ts). "Served" is read from the app's own route
 * table, so the document can neither miss a route nor list one that is not there.
 */
type Json = Record<string, unknown>;
export interface ServedRoute {
  method: string;
  path: string;
}

const METHODS = ['get', 'post', 'delete', 'put', 'patch'];

/** `/v1/threads/:thread_id` and `/threads/{thread_id}` both become `/threads/{}` (also `:model{.+}`, a regex param). */
const shape = (path: string) => path.replace(/^\/v1(?=\/)/, '').replace(/:[A-Za-z0-9_]+(\{[^}]*\})?\??|\{[^}]+\}/g, '{}');

function servedSet(routes: readonly ServedRoute[]): Set<string> {
  const out = new Set<string>();
  for (const r of routes) {
    if (!r.path.startsWith('/v1/') || r.path.includes('*')) continue;
    out.add(`${r.method.toLowerCase()} ${shape(r.path)}`);
  }
  return out;
}

/** Every schema name reachable by `$ref` from `root` (transitively through the schema table). */
function reachableSchemas(root: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')) {
        const name = x.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          walk(schemas[name]);
        }
      } else walk(x);
    }
  };
  walk(root);
  return seen;
}

/** Only the Responses document's own /responses and /conversations paths (its /chat/completions is not ours to describe). */
const RESPONSES_DOCUMENT_PATHS = Object.fromEntries(
  Object.entries(responsesSpec.paths as unknown as Record<string, Json>).filter(([template]) => /^\/(responses|conversations)(\/|$)/.test(template)),
);

export function servedDocument(routes: readonly ServedRoute[]): Json {
  const served = servedSet(routes);
  const paths: Record<string, Json> = {};
  const pick = (from: Record<string, Json>) => {
    for (const [template, item] of Object.entries(from)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation || !served.has(`${method} ${shape(template)}`)) continue;
        (paths[template] ??= {})[method] = operation;
      }
    }
  };
  pick(spec.paths as unknown as Record<string, Json>);
  pick(RESPONSES_DOCUMENT_PATHS);
  pick(EXTENSION_PATHS);
  pick(CONTAINER_PATHS);
  const allSchemas = {
    ...(responsesSpec.components.schemas as Record<string, unknown>),
    ...withMcpExtensions(withSearchExtensions(spec.components.schemas as Record<string, unknown>)),
    ...EXTENSION_SCHEMAS,
    ...CONTAINER_SCHEMAS,
  };
  const responses = { ...(responsesSpec.components.responses as Record<string, unknown>), ...(spec.components.responses as Record<string, unknown>) };
  const used = reachableSchemas([paths, responses], allSchemas);
  return {
    openapi: spec.openapi,
    info: {
      title: 'assistants-edge: the OpenAI Assistants API (v2) on Cloudflare Workers',
      description:
        'The operations of OpenAI\'s Assistants v2 and Responses APIs this deployment serves (from OpenAI\'s own OpenAPI documents, MIT licensed), plus assistants-edge extensions tagged `assistants-edge` and `assistants-edge admin`. Authenticate with `Authorization: Bearer <key>`.',
      version: spec.info.version,
      license: spec.info.license,
    },
    servers: [{ url: '/v1' }],
    security: spec.security,
    tags: [
      ...spec.tags,
      { name: 'Responses', description: "OpenAI's Responses API: model responses stored and run on this deployment." },
      { name: 'Containers', description: "OpenAI's Containers API: code_interpreter sandboxes and their files." },
      { name: 'assistants-edge', description: 'Extensions: thread list, export and import; usage and costs.' },
      { name: 'assistants-edge admin', description: 'Admin API (ADMIN_API_KEY): projects, service accounts, API keys, project export.' },
      { name: 'OpenAI pass-through', description: "OpenAI's Chat Completions and Embeddings, passed through to the configured providers." },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(allSchemas).filter(([name]) => used.has(name))),
      responses,
      securitySchemes: spec.components.securitySchemes,
    },
  };
}
