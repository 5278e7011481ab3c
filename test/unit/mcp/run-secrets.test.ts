import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import { sealedSecretsOf, servedTools } from '../../../src/contract/mcp-tool';
import { AssistantTool } from '../../../src/contract/common';
import { importSecretsKey, McpSecretsError, openSecrets, requestHeaders, sealSecrets, secretsBinding, secretsKeyBytes } from '../../../src/domain/runs/mcp-secrets';
import type { Env } from '../../../src/env';
import { ApiError } from '../../../src/http/errors';
import { prepareMcpTools } from '../../../src/http/mcp-run-tools';
import { LOCAL_MCP_SECRETS_KEY, resolveSettings } from '../../../scripts/dev-settings.mjs';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');
const policy = { allowHttpHosts: ['127.0.0.1'], allowPrivateHosts: ['127.0.0.1'] };
const config = (key?: string) => readConfig({ ...(key ? { MCP_SECRETS_KEY: key } : {}) } as unknown as Env);
const entry = (extra: Record<string, unknown> = {}) => AssistantTool.parse({ type: 'mcp', server_label: 'docs', server_url: 'http://127.0.0.1:9/mcp', ...extra });

describe('MCP secrets sealing', () => {
  it('round-trips, bound to project, label and URL, under its key only', async () => {
    const key = await importSecretsKey(KEY);
    const binding = secretsBinding('proj_1', 'docs', 'https://mcp.example.com');
    const sealed = await sealSecrets(key, { headers: { 'X-Api-Key': 'k-123' }, authorization: 'tok' }, binding);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('k-123');
    expect(await openSecrets(key, sealed, binding)).toEqual({ headers: { 'X-Api-Key': 'k-123' }, authorization: 'tok' });
    // Two seals of the same secrets differ (a fresh IV each time).
    expect(await sealSecrets(key, { authorization: 'tok' }, binding)).not.toBe(await sealSecrets(key, { authorization: 'tok' }, binding));
    await expect(openSecrets(key, sealed, secretsBinding('proj_2', 'docs', 'https://mcp.example.com'))).rejects.toBeInstanceOf(McpSecretsError);
    await expect(openSecrets(key, sealed, secretsBinding('proj_1', 'docs', 'https://evil.example.com'))).rejects.toBeInstanceOf(McpSecretsError);
    await expect(openSecrets(await importSecretsKey(OTHER_KEY), sealed, binding)).rejects.toThrow(/MCP_SECRETS_KEY/);
    await expect(openSecrets(key, 'garbage', binding)).rejects.toBeInstanceOf(McpSecretsError);
  });

  it('sends headers as given and authorization as a bearer token', () => {
    expect(requestHeaders({ headers: { 'X-A': '1' }, authorization: 't' })).toEqual({ 'X-A': '1', Authorization: 'Bearer t' });
    expect(requestHeaders(null)).toEqual({});
  });

  it('MCP_SECRETS_KEY must be 32 bytes of base64, and a bad one names the setting', () => {
    expect(secretsKeyBytes(KEY)).toHaveLength(32);
    expect(secretsKeyBytes(Buffer.alloc(16).toString('base64'))).toBeNull();
    expect(secretsKeyBytes('not base64 at all!')).toBeNull();
    expect(config(KEY).mcpSecretsKey).toBe(KEY);
    expect(config().mcpSecretsKey).toBeUndefined();
    expect(() => config('c2hvcnQ=')).toThrow(/MCP_SECRETS_KEY/);
  });

  it('npm run dev provides a valid key when none is set, and keeps one that is', () => {
    const dev = resolveSettings({}, '/nonexistent/.dev.vars').settings.MCP_SECRETS_KEY!;
    expect(dev).toEqual({ value: LOCAL_MCP_SECRETS_KEY, source: 'default for local development' });
    expect(secretsKeyBytes(dev.value)).toHaveLength(32);
    expect(resolveSettings({ MCP_SECRETS_KEY: KEY }, '/nonexistent/.dev.vars').settings.MCP_SECRETS_KEY!.value).toBe(KEY);
  });
});

describe('prepareMcpTools (assistant and run tools)', () => {
  it('seals headers/authorization out of the entry; an assistant keeps the sealed value, served tools never show it', async () => {
    const tools = [entry({ headers: { 'X-Api-Key': 'k-123' }, authorization: 'tok', require_approval: 'never' }), AssistantTool.parse({ type: 'code_interpreter' })];
    const stored = await prepareMcpTools(tools, { projectId: 'proj_1', config: config(KEY), policy, keepSealed: true });
    expect(JSON.stringify(stored.tools)).not.toMatch(/k-123|tok"/);
    const sealed = sealedSecretsOf(stored.tools);
    expect(Object.keys(sealed)).toEqual(['docs']);
    expect(servedTools(stored.tools)).toEqual([{ type: 'mcp', server_label: 'docs', server_url: 'http://127.0.0.1:9/mcp', require_approval: 'never' }, { type: 'code_interpreter' }]);
    const key = await importSecretsKey(KEY);
    expect(await openSecrets(key, sealed.docs!, secretsBinding('proj_1', 'docs', 'http://127.0.0.1:9/mcp'))).toEqual({ headers: { 'X-Api-Key': 'k-123' }, authorization: 'tok' });
    // A run's tools: the sealed values come back apart; the entries carry none.
    const run = await prepareMcpTools(tools, { projectId: 'proj_1', config: config(KEY), policy, keepSealed: false });
    expect(sealedSecretsOf(run.tools)).toEqual({});
    expect(Object.keys(run.sealed)).toEqual(['docs']);
  });

  it('without MCP_SECRETS_KEY: an entry with secrets is a 400 naming the setting, one without is accepted', async () => {
    const refused = prepareMcpTools([entry({ headers: { 'X-Api-Key': 'k' } })], { projectId: 'p', config: config(), policy, keepSealed: true });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 400, param: 'tools[0].headers', message: expect.stringContaining('MCP_SECRETS_KEY') });
    await expect(prepareMcpTools([entry({ authorization: 'x' })], { projectId: 'p', config: config(), policy, keepSealed: true })).rejects.toMatchObject({ param: 'tools[0].authorization' });
    const plain = await prepareMcpTools([entry()], { projectId: 'p', config: config(), policy, keepSealed: true });
    expect(plain.tools).toEqual([{ type: 'mcp', server_label: 'docs', server_url: 'http://127.0.0.1:9/mcp' }]);
  });

  it('applies the server URL policy', async () => {
    await expect(prepareMcpTools([entry({ server_url: 'http://example.com/mcp' })], { projectId: 'p', config: config(KEY), policy, keepSealed: true })).rejects.toMatchObject({
      status: 400,
      param: 'tools[0].server_url',
    });
    await expect(prepareMcpTools([entry({ server_url: 'https://10.0.0.1/mcp' })], { projectId: 'p', config: config(KEY), policy, keepSealed: true })).rejects.toMatchObject({ status: 400 });
  });
});
