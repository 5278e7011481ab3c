import { describe, expect, it } from 'vitest';
import { isPrivateHost, serverUrlProblem } from '../../../src/domain/mcp/url-policy';
import { isAllowedTool, mcpFunctionNames, needsApproval, parseToolArguments } from '../../../src/domain/mcp/tool-config';
import type { McpToolInfo } from '../../../src/domain/mcp/port';

const none = { allowHttpHosts: [], allowPrivateHosts: [] };
const loopback = { allowHttpHosts: ['127.0.0.1', 'localhost:8000'], allowPrivateHosts: ['127.0.0.1', 'localhost', '::1'] };

describe('MCP server URL policy', () => {
  it('accepts a public https URL', () => {
    expect(serverUrlProblem('https://mcp.example.com/mcp', none)).toBeNull();
  });

  it.each([
    ['http://mcp.example.com/mcp', /https/],
    ['ftp://mcp.example.com/mcp', /scheme 'ftp'/],
    ['not a url', /not a valid URL/],
    ['https://user:pw@mcp.example.com/', /credentials/],
    ['https://127.0.0.1/mcp', /private, loopback or link-local/],
    ['https://localhost/mcp', /private/],
    ['https://api.localhost/mcp', /private/],
    ['https://10.1.2.3/', /private/],
    ['https://172.20.0.1/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://169.254.169.254/latest/meta-data', /private/],
    ['https://100.64.0.1/', /private/],
    ['https://0.0.0.0/', /private/],
    ['https://[::1]/', /private/],
    ['https://[fe80::1]/', /private/],
    ['https://[fd00::1]/', /private/],
    ['https://[::ffff:127.0.0.1]/', /private/],
    // WHATWG URL parsing turns these spellings of 127.0.0.1 into the dotted form first.
    ['https://2130706433/', /private/],
    ['https://0x7f.1/', /private/],
  ])('refuses %s', (url, message) => {
    expect(serverUrlProblem(url, none)).toMatch(message);
  });

  it('allows plain http and private hosts only as the settings list them', () => {
    expect(serverUrlProblem('http://127.0.0.1:4000/mcp', loopback)).toBeNull();
    expect(serverUrlProblem('http://localhost:8000/mcp', loopback)).toBeNull();
    expect(serverUrlProblem('http://localhost:9000/mcp', loopback)).toMatch(/https/);
    expect(serverUrlProblem('https://[::1]:4000/mcp', loopback)).toBeNull();
    expect(serverUrlProblem('http://10.0.0.1/mcp', { allowHttpHosts: ['10.0.0.1'], allowPrivateHosts: [] })).toMatch(/private/);
  });

  it('does not take public addresses for private ones', () => {
    expect(isPrivateHost('8.8.8.8')).toBe(false);
    expect(isPrivateHost('172.32.0.1')).toBe(false);
    expect(isPrivateHost('[2606:4700::1111]')).toBe(false);
    expect(isPrivateHost('example.com')).toBe(false);
  });
});

const tool = (name: string, readOnly?: boolean): McpToolInfo => ({
  name,
  description: null,
  input_schema: { type: 'object' },
  annotations: readOnly === undefined ? null : { readOnlyHint: readOnly },
});

describe('MCP tool entry: allowed_tools and require_approval', () => {
  it('allows every tool without allowed_tools, only the named ones with a list', () => {
    expect(isAllowedTool(undefined, tool('a'))).toBe(true);
    expect(isAllowedTool(['a'], tool('a'))).toBe(true);
    expect(isAllowedTool(['a'], tool('b'))).toBe(false);
    expect(isAllowedTool({}, tool('b'))).toBe(true);
    expect(isAllowedTool({ read_only: true }, tool('b', true))).toBe(true);
    expect(isAllowedTool({ read_only: true }, tool('b'))).toBe(false);
    expect(isAllowedTool({ tool_names: ['b'], read_only: true }, tool('b', false))).toBe(false);
  });

  it('requires approval by default (OpenAI: always)', () => {
    expect(needsApproval(undefined, tool('a'))).toBe(true);
    expect(needsApproval(null, tool('a'))).toBe(true);
    expect(needsApproval('always', tool('a'))).toBe(true);
    expect(needsApproval('never', tool('a'))).toBe(false);
  });

  it('follows the never/always filters', () => {
    const policy = { never: { tool_names: ['add'] } };
    expect(needsApproval(policy, tool('add'))).toBe(false);
    expect(needsApproval(policy, tool('echo'))).toBe(true);
    expect(needsApproval({ never: { read_only: true } }, tool('add', true))).toBe(false);
    expect(needsApproval({ always: { tool_names: ['echo'] } }, tool('echo'))).toBe(true);
    expect(needsApproval({ always: { tool_names: ['echo'] } }, tool('add'))).toBe(false);
    expect(needsApproval({ always: { tool_names: ['echo'] }, never: { tool_names: ['add'] } }, tool('other'))).toBe(true);
  });
});

describe('MCP function names', () => {
  it('namespaces by server label so two servers never clash', () => {
    const taken = new Set<string>(['my_function']);
    expect(mcpFunctionNames('one', ['add', 'file.read'], taken)).toEqual(['one__add', 'one__file_read']);
    expect(mcpFunctionNames('two', ['add'], taken)).toEqual(['two__add']);
    expect(mcpFunctionNames('one', ['add'], taken)).toEqual(['one__add_2']);
  });

  it('keeps names within 64 characters', () => {
    const [name] = mcpFunctionNames('server', ['x'.repeat(100)], new Set());
    expect(name!.length).toBe(64);
  });

  it('parses arguments as a JSON object', () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ args: { a: 1 } });
    expect(parseToolArguments('')).toEqual({ args: {} });
    expect(parseToolArguments('[1]')).toHaveProperty('problem');
    expect(parseToolArguments('{')).toHaveProperty('problem');
  });
});
