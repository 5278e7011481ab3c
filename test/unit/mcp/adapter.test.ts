// The MCP adapter (src/adapters/mcp) against the real local test server (test/support/mcp-server.ts) in
// both protocol modes: the stateless 2026-07-28 revision and the session-based 2025 one (fallback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHttpMcpClient } from '../../../src/adapters/mcp';
import { McpListError } from '../../../src/domain/mcp/port';
import { MCP_AUTH_TOKEN, MCP_HEADER_KEY, startMcpServer } from '../../support/mcp-server';

let server: Awaited<ReturnType<typeof startMcpServer>>;
const client = new StreamableHttpMcpClient({ listTimeoutMs: 5000, callTimeoutMs: 1500, maxResponseBytes: 64 * 1024 });
const signal = () => new AbortController().signal;
const stats = async () => (await (await fetch(`${server.url}/stats`)).json()) as { modernRequests: number; legacySessions: number };

beforeAll(async () => {
  server = await startMcpServer();
});
afterAll(async () => {
  await server.close();
});

describe.each([
  ['stateless 2026-07-28', '/mcp'],
  ['session-based 2025', '/legacy/mcp'],
])('MCP adapter, %s server', (_mode, path) => {
  const target = () => ({ url: `${server.url}${path}`, headers: {} });

  it('lists the tools with their schemas and annotations', async () => {
    const tools = await client.listTools(target(), signal());
    expect(tools.map((t) => t.name).sort()).toEqual(['add', 'big', 'echo', 'fail', 'slow']);
    const add = tools.find((t) => t.name === 'add')!;
    expect(add.description).toBe('Adds two numbers.');
    expect(add.input_schema).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });
    expect(add.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('calls a tool and returns its text', async () => {
    expect(await client.callTool(target(), 'add', { a: 2, b: 40 }, signal())).toEqual({ output: '42', error: null });
  });

  it("returns a tool's own failure as mcp_tool_execution_error", async () => {
    const outcome = await client.callTool(target(), 'fail', {}, signal());
    expect(outcome.output).toBeNull();
    expect(outcome.error).toEqual({ type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'The fail tool failed on purpose.' }] });
  });

  it('ends a call past the time limit with a timeout error', async () => {
    const outcome = await client.callTool(target(), 'slow', { seconds: 30 }, signal());
    expect(outcome.error).toMatchObject({ type: 'mcp_protocol_error', code: -32001 });
    expect(outcome.error && 'message' in outcome.error ? outcome.error.message : '').toMatch(/timed out/);
  });

  it('refuses a response larger than the bound', async () => {
    const outcome = await client.callTool(target(), 'big', { bytes: 200 * 1024 }, signal());
    expect(outcome.output).toBeNull();
    expect(outcome.error && 'message' in outcome.error ? outcome.error.message : '').toMatch(/exceeded the 64 KiB limit/);
  });
});

describe('MCP adapter protocol negotiation', () => {
  it('speaks the modern revision to a modern server and falls back to a session with a legacy one', async () => {
    const before = await stats();
    await client.listTools({ url: `${server.url}/mcp`, headers: {} }, signal());
    const afterModern = await stats();
    expect(afterModern.modernRequests).toBeGreaterThan(before.modernRequests);
    expect(afterModern.legacySessions).toBe(before.legacySessions);
    await client.listTools({ url: `${server.url}/legacy/mcp`, headers: {} }, signal());
    expect((await stats()).legacySessions).toBe(afterModern.legacySessions + 1);
  });

  it('sends the headers it is given', async () => {
    const url = `${server.url}/auth/mcp`;
    await expect(client.listTools({ url, headers: {} }, signal())).rejects.toThrow(McpListError);
    const tools = await client.listTools({ url, headers: { Authorization: `Bearer ${MCP_AUTH_TOKEN}`, 'X-Api-Key': MCP_HEADER_KEY } }, signal());
    expect(tools.length).toBe(5);
  });

  it('reports a server that is down as a list error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(client.listTools({ url: `http://127.0.0.1:${port}/mcp`, headers: {} }, signal())).rejects.toThrow(/Error retrieving tool list from MCP server/);
    const outcome = await client.callTool({ url: `http://127.0.0.1:${port}/mcp`, headers: {} }, 'add', { a: 1, b: 2 }, signal());
    expect(outcome.error).toMatchObject({ type: 'mcp_protocol_error' });
  });

  it('reports a URL that is not an MCP server', async () => {
    await expect(client.listTools({ url: `${server.url}/nothing-here`, headers: {} }, signal())).rejects.toThrow(McpListError);
  });
});
