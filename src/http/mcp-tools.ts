import type { ResponseCreateParams } from '../contract/responses';
import type { McpUrlPolicy } from '../domain/mcp/url-policy';
import { serverUrlProblem } from '../domain/mcp/url-policy';
import { invalidRequest } from './errors';

/**
 * The request's `mcp` tools checked before anything is stored (docs/mcp.md "Tool entry"): a server URL
 * the operator's policy allows, no OpenAI-hosted connector or tunnel, one entry per `server_label`.
 * Refusals are OpenAI-shaped 400s naming the field.
 */
export function checkMcpTools(tools: ResponseCreateParams['tools'], policy: McpUrlPolicy): void {
  const labels = new Set<string>();
  for (const [i, tool] of (tools ?? []).entries()) {
    if (tool.type !== 'mcp') continue;
    const param = `tools[${i}]`;
    if (tool.connector_id !== undefined) {
      throw invalidRequest(`Connectors ('connector_id') are hosted by OpenAI and not available on this server; give the MCP server's 'server_url' instead.`, `${param}.connector_id`, 'unsupported_parameter');
    }
    if (tool.tunnel_id !== undefined) {
      throw invalidRequest(`Secure MCP tunnels ('tunnel_id') are hosted by OpenAI and not available on this server; give the MCP server's 'server_url' instead.`, `${param}.tunnel_id`, 'unsupported_parameter');
    }
    if (tool.server_url === undefined) throw invalidRequest("Missing required parameter: 'tools[].server_url'.", `${param}.server_url`, 'missing_required_parameter');
    const problem = serverUrlProblem(tool.server_url, policy);
    if (problem) throw invalidRequest(problem, `${param}.server_url`, 'invalid_value');
    if (labels.has(tool.server_label)) throw invalidRequest(`Duplicate MCP server label '${tool.server_label}': each mcp tool needs its own 'server_label'.`, `${param}.server_label`, 'invalid_value');
    labels.add(tool.server_label);
  }
}
