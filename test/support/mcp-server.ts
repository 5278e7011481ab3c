/**
 * A real local MCP server for the tests (docs/mcp.md "Tests"), built with the official server SDK
 * (@modelcontextprotocol/server) on a local port, in the protocol modes the client must speak:
 * - `/mcp`: createMcpHandler — the stateless 2026-07-28 revision, and 2025-era requests answered
 *   statelessly (the SDK's default fallback);
 * - `/legacy/mcp`: 2025-era only, session-based (`initialize`, `Mcp-Session-Id`), as servers built
 *   before the 2026 revision are: a modern probe is refused, so the client must fall back;
 * - `/auth/mcp`: as `/mcp`, but only with `Authorization: Bearer <AUTH_TOKEN>` and `X-Api-Key: <HEADER_KEY>`
 *   (401 otherwise), so the tests see that `authorization` and `headers` reach the server.
 * Tools: `add` (read-only), `echo`, `slow` (waits `seconds`), `fail` (a tool error), `big` (an output of
 * `bytes` characters). `GET /stats` counts modern requests and legacy sessions, so a test can tell which
 * protocol served it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { McpServer, WebStandardStreamableHTTPServerTransport, createMcpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';

export const MCP_AUTH_TOKEN = 'mcp-test-oauth-token-7f3a9c';
export const MCP_HEADER_KEY = 'mcp-test-header-secret-51d0e2';

export interface McpStats {
  modernRequests: number;
  legacySessions: number;
}

function tools(): McpServer {
  const server = new McpServer({ name: 'contract-test-mcp', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }), annotations: { readOnlyHint: true } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool('echo', { description: 'Echoes the text.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text: `echo: ${text}` }],
  }));
  server.registerTool('slow', { description: 'Waits, then answers.', inputSchema: z.object({ seconds: z.number() }) }, async ({ seconds }, ctx) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(seconds, 120) * 1000);
      ctx.mcpReq?.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { content: [{ type: 'text', text: 'finally done' }] };
  });
  server.registerTool('fail', { description: 'Always fails.', inputSchema: z.object({}) }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'The fail tool failed on purpose.' }],
  }));
  server.registerTool('big', { description: 'Answers with many characters.', inputSchema: z.object({ bytes: z.number() }) }, async ({ bytes }) => ({
    content: [{ type: 'text', text: 'x'.repeat(bytes) }],
  }));
  return server;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the client went away
  }
  res.end();
}

export async function startMcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const stats: McpStats = { modernRequests: 0, legacySessions: 0 };
  const modern = createMcpHandler(() => tools());
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();

  async function legacy(request: Request): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    const existing = id ? sessions.get(id) : undefined;
    if (existing) return existing.handleRequest(request);
    const body = request.method === 'POST' ? ((await request.clone().json().catch(() => null)) as { method?: string } | null) : null;
    if (body?.method !== 'initialize') {
      return Response.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }, { status: 400 });
    }
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, transport);
        stats.legacySessions++;
      },
      onsessionclosed: (sid) => void sessions.delete(sid),
    });
    await tools().connect(transport);
    return transport.handleRequest(request);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/stats') return send(res, Response.json(stats));
      const request = await toRequest(req, origin);
      if (path === '/legacy/mcp') return send(res, await legacy(request));
      if (path === '/auth/mcp') {
        if (request.headers.get('authorization') !== `Bearer ${MCP_AUTH_TOKEN}` || request.headers.get('x-api-key') !== MCP_HEADER_KEY) {
          return send(res, new Response('unauthorized', { status: 401 }));
        }
      } else if (path !== '/mcp') {
        return send(res, new Response('not found', { status: 404 }));
      }
      if (request.headers.get('mcp-method')) stats.modernRequests++;
      return send(res, await modern.fetch(request));
    })().catch((err: unknown) => {
      console.error('[mcp-server]', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    async close() {
      await modern.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
