import type { McpToolInfo } from './port';

/**
 * What an `mcp` tool entry says about its server's tools (OpenAI's MCPTool `allowed_tools` and
 * `require_approval`; docs/mcp.md "Tool entry"), as pure functions shared by the APIs that serve it.
 */

/** OpenAI's MCPToolFilter: a tool matches when it meets every criterion given. */
export interface McpToolFilter {
  tool_names?: string[];
  read_only?: boolean;
}

export type McpAllowedTools = string[] | McpToolFilter | null | undefined;

export type McpRequireApproval = 'always' | 'never' | { always?: McpToolFilter; never?: McpToolFilter } | null | undefined;

/** Whether the tool meets the filter's criteria; a filter with none matches no tool. */
export function matchesFilter(filter: McpToolFilter | undefined, tool: McpToolInfo): boolean {
  if (!filter || (filter.tool_names === undefined && filter.read_only === undefined)) return false;
  if (filter.tool_names !== undefined && !filter.tool_names.includes(tool.name)) return false;
  // MCP's ToolAnnotations.readOnlyHint, false when absent (the specification's default).
  if (filter.read_only !== undefined && (tool.annotations?.readOnlyHint === true) !== filter.read_only) return false;
  return true;
}

/** Whether the model is offered the tool: every tool without `allowed_tools` (or with an empty filter). */
export function isAllowedTool(allowed: McpAllowedTools, tool: McpToolInfo): boolean {
  if (allowed === null || allowed === undefined) return true;
  if (Array.isArray(allowed)) return allowed.includes(tool.name);
  if (allowed.tool_names === undefined && allowed.read_only === undefined) return true;
  return matchesFilter(allowed, tool);
}

/**
 * Whether a call of the tool waits for the client's approval. OpenAI's default is `always`. With a filter
 * object: a tool the `never` filter matches runs without approval, one the `always` filter matches needs it;
 * any other tool needs it too, unless the object has only an `always` filter (then only the tools it names do).
 */
export function needsApproval(policy: McpRequireApproval, tool: McpToolInfo): boolean {
  if (policy === null || policy === undefined || policy === 'always') return true;
  if (policy === 'never') return false;
  if (matchesFilter(policy.never, tool)) return false;
  if (matchesFilter(policy.always, tool)) return true;
  return !(policy.always !== undefined && policy.never === undefined);
}

/** The characters and length OpenAI-compatible function names allow (`^[a-zA-Z0-9_-]{1,64}$`). */
const FUNCTION_NAME_MAX = 64;

/**
 * The function names the model sees for a server's tools: `<server_label>__<tool>` with characters a
 * function name cannot hold replaced by `_`, so two servers offering the same tool name never clash;
 * a name too long or already taken is shortened and numbered. `taken` holds names already used (the
 * request's own functions and other servers' tools) and receives the new ones.
 */
export function mcpFunctionNames(serverLabel: string, toolNames: readonly string[], taken: Set<string>): string[] {
  return toolNames.map((tool) => {
    const base = `${serverLabel}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_');
    let name = base.slice(0, FUNCTION_NAME_MAX);
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, FUNCTION_NAME_MAX - String(n).length - 1)}_${n}`;
    taken.add(name);
    return name;
  });
}

/** What OpenAI accepts as a `server_label` (letters, digits, `_`, `-`; it names the server in items and function names). */
export const SERVER_LABEL_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The tool's arguments as the call sends them: the model's JSON object (an empty or invalid text is an error). */
export function parseToolArguments(text: string): { args: Record<string, unknown> } | { problem: string } {
  if (text.trim() === '') return { args: {} };
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { args: value as Record<string, unknown> };
    return { problem: 'The tool arguments must be a JSON object.' };
  } catch {
    return { problem: 'The tool arguments are not valid JSON.' };
  }
}
