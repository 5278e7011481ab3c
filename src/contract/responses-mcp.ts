import { z } from 'zod';

/**
 * The `mcp` tool of the Responses API and its items replayed as input (OpenAI's MCPTool, MCPListTools,
 * MCPToolCall, MCPApprovalRequest, MCPApprovalResponse; docs/mcp.md). Checks that need the server's
 * settings (the URL policy) or OpenAI's wording for a missing URL are made by the route.
 */

const ToolFilter = z.strictObject({ tool_names: z.array(z.string()).optional(), read_only: z.boolean().optional() });

export const ResponseMcpTool = z.strictObject({
  type: z.literal('mcp'),
  server_label: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes'),
  server_url: z.string().min(1).optional(),
  /** OpenAI's hosted connectors and tunnels: accepted here so the route can refuse them with a clear message. */
  connector_id: z.string().optional(),
  tunnel_id: z.string().optional(),
  authorization: z.string().optional(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
  server_description: z.string().optional(),
  allowed_tools: z.union([z.array(z.string()), ToolFilter]).nullable().optional(),
  require_approval: z
    .union([z.enum(['always', 'never']), z.strictObject({ always: ToolFilter.optional(), never: ToolFilter.optional() })])
    .nullable()
    .optional(),
  defer_loading: z.boolean().optional(),
});
export type ResponseMcpTool = z.infer<typeof ResponseMcpTool>;

const McpListToolsInput = z.strictObject({
  type: z.literal('mcp_list_tools'),
  id: z.string().min(1),
  server_label: z.string().min(1),
  tools: z.array(
    z.looseObject({
      name: z.string(),
      description: z.string().nullable().optional(),
      input_schema: z.record(z.string(), z.unknown()),
      annotations: z.record(z.string(), z.unknown()).nullable().optional(),
    }),
  ),
  error: z.string().nullable().optional(),
  status: z.string().optional(),
});

const McpApprovalRequestInput = z.strictObject({
  type: z.literal('mcp_approval_request'),
  id: z.string().min(1),
  server_label: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: z.string().optional(),
});

const McpApprovalResponseInput = z.strictObject({
  type: z.literal('mcp_approval_response'),
  id: z.string().nullable().optional(),
  approval_request_id: z.string().min(1),
  approve: z.boolean(),
  reason: z.string().nullable().optional(),
});

const McpCallInput = z.strictObject({
  type: z.literal('mcp_call'),
  id: z.string().min(1),
  server_label: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  output: z.string().nullable().optional(),
  error: z.unknown().optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete', 'calling', 'failed']).optional(),
  approval_request_id: z.string().nullable().optional(),
});

export const MCP_INPUT_ITEMS = [McpListToolsInput, McpApprovalRequestInput, McpApprovalResponseInput, McpCallInput] as const;
