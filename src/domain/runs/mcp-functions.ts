import type { ChatToolDefinition } from '../ports';
import type { McpToolInfo } from '../mcp/port';
import { mcpFunctionNames } from '../mcp/tool-config';

/** One server tool as the model sees it in a run: a function, and which server and tool it stands for. */
export interface McpFunction {
  name: string;
  serverLabel: string;
  serverDescription?: string;
  tool: McpToolInfo;
}

/**
 * The functions a run offers for its servers' allowed tools, named as the Responses API names them
 * (`<server_label>__<tool>`, src/domain/mcp/tool-config.ts), unique among themselves and `taken` (the
 * run's own functions, the hosted tools'). Deterministic for the same lists, so every model call of a
 * run, and its earlier turns in the prompt, use the same names.
 */
export function mcpFunctions(servers: { serverLabel: string; serverDescription?: string; tools: McpToolInfo[] }[], taken: Iterable<string>): McpFunction[] {
  const used = new Set(taken);
  return servers.flatMap(({ serverLabel, serverDescription, tools }) => {
    const names = mcpFunctionNames(serverLabel, tools.map((t) => t.name), used);
    return tools.map((tool, i) => ({ name: names[i]!, serverLabel, ...(serverDescription ? { serverDescription } : {}), tool }));
  });
}

/** The function definition sent to the model for one server tool. */
export function mcpFunctionDefinition(fn: McpFunction): ChatToolDefinition {
  const origin = fn.serverDescription ? `(MCP server '${fn.serverLabel}': ${fn.serverDescription})` : `(MCP server '${fn.serverLabel}')`;
  const description = fn.tool.description ? `${fn.tool.description} ${origin}` : origin;
  const schema = fn.tool.input_schema;
  return { type: 'function', function: { name: fn.name, description, parameters: schema && typeof schema === 'object' ? schema : { type: 'object', properties: {} } } };
}
