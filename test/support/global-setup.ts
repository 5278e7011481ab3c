// vitest globalSetup for the `contract` project: run the real worker (wrangler.toml: D1, R2, Durable
// Objects, queues, all local under miniflare) as `npm run dev` runs it (./worker-runtime.ts), apply the D1 migrations, and
// hand the tests an SDK base URL plus the admin key. One worker for the whole run; tests isolate
// themselves by creating their own project/API key (test/support/tenancy.ts). The worker's
// code_interpreter uses the local code executor started here (CODE_EXECUTOR_URL, sandboxed Python).
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findPython, startCodeExecutor, type CodeExecutorServer } from '../../scripts/code-executor/server.mjs';
import { startEmbeddingsServer } from '../../scripts/embeddings-server/server.mjs';
import { startEmbeddingsUpstream } from './embeddings-upstream';
import { startMcpServer } from './mcp-server';
import { startScriptedUpstream } from './scripted-upstream';
import { startWorker } from './worker-runtime';

declare module 'vitest' {
  export interface ProvidedContext {
    /** SDK base URL, e.g. http://127.0.0.1:40123/v1 (no trailing slash). */
    baseURL: string;
    /** ADMIN_API_KEY the worker was started with (admin API: /v1/organization/...). */
    adminKey: string;
    /** Origin of the scripted Chat Completions upstream the worker uses (test/support/upstream-control.ts). */
    upstreamOrigin: string;
    /** The local code executor the worker uses for code_interpreter (CODE_EXECUTOR_URL); '' without Python. */
    codeExecutorUrl: string;
    /** The real local embeddings model (scripts/embeddings-server), for tests that need semantics. */
    localEmbeddingsUrl: string;
    /** The local MCP server (test/support/mcp-server.ts): `/mcp`, `/legacy/mcp`, `/auth/mcp`, `/stats`. */
    mcpServerUrl: string;
  }
}

export const CONTRACT_ADMIN_KEY = 'sk-admin-contract-test-key-0001';
export const CONTRACT_CODE_EXECUTOR_TOKEN = 'contract-code-executor-token-0001';
/** MCP_SECRETS_KEY of the contract worker (32 bytes, base64): seals stored MCP tool secrets. */
export const CONTRACT_MCP_SECRETS_KEY = Buffer.from('contract-test-mcp-secrets-key-01').toString('base64');
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The local code executor (scripts/code-executor/server.mjs) for code_interpreter, on any free port.
 * Without Python it is left out (code_interpreter runs then fail with a clear last_error); CI installs
 * Python (.ci/run) and must have it.
 */
async function startCodeExecutorForTests(): Promise<CodeExecutorServer | null> {
  const python = findPython();
  if (!python) {
    if (process.env.CI) throw new Error('contract tests need python3 (with numpy, pandas, matplotlib) for code_interpreter');
    console.warn('[global-setup] no python3: code_interpreter is unavailable in the contract tests');
    return null;
  }
  return startCodeExecutor({ port: 0, python, token: CONTRACT_CODE_EXECUTOR_TOKEN });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startScriptedUpstream();
  const embeddings = await startEmbeddingsUpstream();
  const localEmbeddings = await startEmbeddingsServer({ port: 0 });
  const codeExecutor = await startCodeExecutorForTests();
  const mcp = await startMcpServer();
  const { server, baseURL } = await startWorker(REPO_ROOT, CONTRACT_ADMIN_KEY, {
    UPSTREAM_OPENAI_BASE_URL: upstream.url,
    UPSTREAM_OPENAI_API_KEY: 'sk-upstream-test',
    EMBEDDINGS_BASE_URL: embeddings.url,
    EMBEDDINGS_API_KEY: 'sk-embeddings-test',
    ...(codeExecutor ? { CODE_EXECUTOR_URL: codeExecutor.url, CODE_EXECUTOR_TOKEN: CONTRACT_CODE_EXECUTOR_TOKEN } : {}),
    // Short, so the timeout test does not wait a minute.
    CODE_EXECUTION_TIMEOUT_SECONDS: '5',
    MCP_SECRETS_KEY: CONTRACT_MCP_SECRETS_KEY,
    // Short, so the hung-upstream tests (test/contract/runs/stuck.test.ts) end in seconds.
    MODEL_IDLE_TIMEOUT_SECONDS: '3',
    MODEL_CALL_TIMEOUT_SECONDS: '6',
    // Costs from a custom price table (test/contract/usage.test.ts): a model of its own, priced in round numbers.
    // The local MCP server is on loopback over plain http: allowed here only (docs/mcp.md "Safety").
    MCP_ALLOW_HTTP_HOSTS: '127.0.0.1',
    MCP_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    // Short and small, so the time-limit and size-bound tests end in seconds.
    MCP_CALL_TIMEOUT_SECONDS: '3',
    MCP_LIST_TIMEOUT_SECONDS: '5',
    MCP_MAX_RESPONSE_BYTES: '65536',
    PRICES: JSON.stringify({ 'contract-priced-model': { input: 1000, cached_input: 500, output: 2000 } }),
  }).catch(async (err: unknown) => {
    await codeExecutor?.close();
    await mcp.close();
    throw err;
  });
  project.provide('baseURL', baseURL);
  project.provide('adminKey', CONTRACT_ADMIN_KEY);
  project.provide('upstreamOrigin', upstream.anthropicUrl);
  project.provide('codeExecutorUrl', codeExecutor?.url ?? '');
  project.provide('localEmbeddingsUrl', localEmbeddings.url);
  project.provide('mcpServerUrl', mcp.url);
  return async () => {
    await server.close();
    await upstream.close();
    await embeddings.close();
    await localEmbeddings.close();
    await codeExecutor?.close();
    await mcp.close();
  };
}
