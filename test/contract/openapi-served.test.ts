// GET /v1/openapi.json (public): OpenAI's document cut to what is served plus our extensions. Checked:
// every route the router registers is in it (and nothing unserved), every $ref resolves, every schema
// compiles, and our extensions' real responses validate against their schemas. Also /healthz and /docs.
import { beforeAll, describe, expect, it } from 'vitest';
import Ajv2019 from 'ajv/dist/2019.js';
import { toFile } from 'openai';
import addFormats from 'ajv-formats';
import normalize from '../support/openapi/normalize.js';
import { parseRoutes } from '../../scripts/spec-coverage.mjs';
import { baseURL, newProject, type TestProject } from './fixtures.js';

type Json = Record<string, any>;
const origin = () => new URL(baseURL()).origin;
const shape = (path: string) => path.replace(/:[A-Za-z0-9_]+|\{[^}]+\}/g, '{}');
const METHODS = ['get', 'post', 'delete', 'put', 'patch'];

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/** An Ajv with every component schema of `doc` as its own resource (as test/support/openapi-documents.ts does). */
function validatorFor(doc: Json) {
  const base = 'https://assistants-edge.test/served/';
  const rewrite = (n: unknown): unknown =>
    Array.isArray(n) ? n.map(rewrite) : n && typeof n === 'object'
      ? Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', base) : rewrite(v)]))
      : n;
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  ajv.addFormat('binary', true);
  const schemas = normalize(doc.components.schemas) as Record<string, Json>;
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema({ ...(rewrite(schema) as Json), $id: base + name });
  return (name: string, value: unknown) => {
    const validate = ajv.getSchema(base + name)!;
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('the served OpenAPI document', () => {
  let doc: Json;
  let p: TestProject;

  beforeAll(async () => {
    const res = await fetch(`${baseURL()}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    doc = (await res.json()) as Json;
    p = await newProject('openapi-served');
  });

  it('is an OpenAPI 3.1 document served without a key', () => {
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.servers).toEqual([{ url: '/v1' }]);
    const ids = Object.values(doc.paths as Json).flatMap((item) => Object.values(item as Json).map((op) => (op as Json).operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every route the router serves, and only those', () => {
    const routes = parseRoutes() as { method: string; template: string }[];
    const documented = new Set(
      Object.entries(doc.paths as Json).flatMap(([path, item]) => Object.keys(item as Json).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${shape(path)}`)),
    );
    const missing = routes.filter((r) => !documented.has(`${r.method} ${shape(r.template)}`)).map((r) => `${r.method} ${r.template}`);
    expect(missing).toEqual([]);
    const served = new Set(routes.map((r) => `${r.method} ${shape(r.template)}`));
    served.add('GET /openapi.json');
    expect([...documented].filter((d) => !served.has(d))).toEqual([]);
    for (const ext of ['GET /threads', 'GET /threads/{}/export', 'POST /threads/import', 'GET /organization/usage/completions', 'GET /organization/costs', 'GET /organization/projects/{}/export']) {
      expect(documented.has(ext), ext).toBe(true);
    }
  });

  it('resolves every $ref and compiles every schema', () => {
    const schemas = doc.components.schemas as Json;
    const responses = doc.components.responses as Json;
    for (const ref of refsIn(doc)) {
      const [, , kind, name] = ref.split('/');
      expect(kind === 'schemas' ? schemas[name!] : responses[name!], ref).toBeDefined();
    }
    const check = validatorFor(doc);
    for (const name of Object.keys(schemas)) expect(() => check(name, {}), name).not.toThrow();
  });

  it('matches the extensions\' real responses', async () => {
    const check = validatorFor(doc);
    const thread = await p.v6.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }], metadata: { k: 'v' } });
    const list = await p.v6.get('/threads', { query: { 'metadata[k]': 'v' } });
    expect(check('ListThreadsResponse', list)).toEqual([]);
    const exported = await p.v6.get(`/threads/${thread.id}/export`);
    expect(check('ThreadExport', exported)).toEqual([]);
    const imported = await p.v6.post('/threads/import', { body: exported });
    expect(check('ThreadImportResult', imported)).toEqual([]);
    const start = Math.floor(Date.now() / 1000) - 3600;
    expect(check('UsageCompletionsPage', await p.v6.get('/organization/usage/completions', { query: { start_time: start, group_by: ['model'] } }))).toEqual([]);
    expect(check('CostsPage', await p.v6.get('/organization/costs', { query: { start_time: start } }))).toEqual([]);
    await p.v6.files.create({ file: await toFile(Buffer.from('stored'), 's.txt'), purpose: 'assistants' });
    expect(check('UsageStoragePage', await p.v6.get('/organization/usage/file_storage', { query: { start_time: start, bucket_width: '1h' } }))).toEqual([]);
    // Broken on purpose: the schema must notice.
    expect(check('ThreadImportResult', { object: 'thread.import' })).not.toEqual([]);
  });
});

describe('public endpoints', () => {
  it('GET /healthz checks D1 without a key', async () => {
    const res = await fetch(`${origin()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { d1: 'ok' } });
  });

  it('GET /docs is a self-contained page without a key', async () => {
    const res = await fetch(`${origin()}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('/v1/openapi.json');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/);
  });
});
