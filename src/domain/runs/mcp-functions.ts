import type { ChatToolDefinition } from '../ports';
import type { McpToolInfo } from '../mcp/port';

/** One server tool as the model sees it: a function, and which server and tool it stands for. */
export interface McpFunction {
  name: string;
  serverLabel: string;
  tool: McpToolInfo;
}

const MAX_NAME = 64;

/**
 * Function names for the offered server tools: `<server_label>__<tool name>`, made function-name safe
 * (a-z, A-Z, 0-9, `_`, `-`, at most 64 characters: OpenAI's rule for function names) and unique among
 * themselves and the names in `taken` (the run's own functions, the hosted tools'), by a numeric suffix.
 * Deterministic for the same tools, so every model call of a run sees the same names.
 */
export function mcpFunctions(servers: { serverLabel: string; tools: McpToolInfo[] }[], taken: Iterable<string>): McpFunction[] {
  const used = new Set(taken);
  const out: McpFunction[] = [];
  for (const { serverLabel, tools } of servers) {
    for (const tool of tools) {
      const base = `${serverLabel}__${tool.name.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, MAX_NAME);
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
      used.add(name);
      out.push({ name, serverLabel, tool });
    }
  }
  return out;
}

/** The function definition sent to the model for one server tool. */
export function mcpFunctionDefinition(fn: McpFunction, serverDescription?: string): ChatToolDefinition {
  const description = [fn.tool.description ?? '', serverDescription ? `(MCP server '${fn.serverLabel}': ${serverDescription})` : `(MCP server '${fn.serverLabel}')`]
    .filter((s) => s !== '')
    .join(' ');
  const schema = fn.tool.input_schema;
  return {
    type: 'function',
    function: { name: fn.name, description, parameters: schema && typeof schema === 'object' ? schema : { type: 'object', properties: {} } },
  };
}

/** A call's arguments as the object `tools/call` takes; null when they are not a JSON object. */
export function callArguments(raw: string): Record<string, unknown> | null {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
