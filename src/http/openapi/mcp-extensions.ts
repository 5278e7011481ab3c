/**
 * The `mcp` tool of assistants and runs (extension, docs/mcp-assistants.md) as OpenAPI schemas, and
 * where they join OpenAI's Assistants schemas: a fourth tool type in every `tools` list, a fourth
 * tool-call type in run steps and their deltas, a second call type in `required_action`, and the
 * `approve`/`reason` answer in `submit_tool_outputs`. The served document (document.ts) and the
 * contract tests' validator (test/support/openapi-documents.ts) both apply `withMcpExtensions`, so responses
 * are checked against exactly this extension and nothing else.
 */
type Json = Record<string, unknown>;

const str = { type: 'string' };
const nullableStr = { anyOf: [str, { type: 'null' }] };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const filter: Json = {
  type: 'object',
  additionalProperties: false,
  description: 'MCP tool filter (OpenAI\'s MCPToolFilter): tool names and/or the server\'s readOnlyHint.',
  properties: { tool_names: { type: 'array', items: str }, read_only: { type: 'boolean' } },
};

const entryProperties: Json = {
  type: { type: 'string', enum: ['mcp'] },
  server_label: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$', description: 'Names the server in function names and tool calls; unique in a tools list.' },
  server_url: { type: 'string', description: 'The server\'s Streamable HTTP endpoint (https; the operator\'s MCP_ALLOW_* settings decide the exceptions).' },
  server_description: str,
  defer_loading: { type: 'boolean', description: 'Accepted as in the Responses API; every allowed tool is offered at once.' },
  allowed_tools: { anyOf: [{ type: 'array', items: str }, filter, { type: 'null' }] },
  require_approval: {
    anyOf: [{ type: 'string', enum: ['always', 'never'] }, { type: 'object', additionalProperties: false, properties: { always: filter, never: filter } }, { type: 'null' }],
    default: 'always',
  },
};

export const MCP_SCHEMAS: Record<string, Json> = {
  AssistantToolsMcp: {
    type: 'object',
    title: 'MCP tool (extension)',
    description: 'Extension: a remote MCP server\'s tools (the Responses API\'s MCPTool, server_url only). `headers` and `authorization` are never returned.',
    additionalProperties: false,
    required: ['type', 'server_label', 'server_url'],
    properties: entryProperties,
  },
  AssistantToolsMcpParam: {
    type: 'object',
    title: 'MCP tool (extension)',
    description: 'Extension: as AssistantToolsMcp, with the secrets sent to the server. They are stored sealed (AES-GCM, MCP_SECRETS_KEY) and never returned.',
    additionalProperties: false,
    required: ['type', 'server_label', 'server_url'],
    properties: {
      ...entryProperties,
      headers: { anyOf: [{ type: 'object', additionalProperties: str }, { type: 'null' }] },
      authorization: { type: 'string', description: 'Sent as `Authorization: Bearer <value>`.' },
    },
  },
  RunStepDetailsToolCallsMcpObject: {
    type: 'object',
    title: 'MCP tool call (extension)',
    additionalProperties: false,
    required: ['id', 'type', 'mcp'],
    properties: {
      id: str,
      type: { type: 'string', enum: ['mcp'] },
      mcp: {
        type: 'object',
        additionalProperties: false,
        required: ['server_label', 'name', 'arguments', 'output', 'error'],
        properties: {
          server_label: str,
          name: { type: 'string', description: 'The server\'s tool name.' },
          arguments: { type: 'string', description: 'JSON arguments the model gave.' },
          output: { ...nullableStr, description: 'The tool\'s output; null while pending or when the call failed.' },
          error: { ...nullableStr, description: 'Why the call failed or was denied; null otherwise.' },
        },
      },
    },
  },
  RunStepDeltaStepDetailsToolCallsMcpObject: {
    type: 'object',
    title: 'MCP tool call delta (extension)',
    additionalProperties: false,
    required: ['index', 'type'],
    properties: {
      index: { type: 'integer' },
      id: str,
      type: { type: 'string', enum: ['mcp'] },
      mcp: {
        type: 'object',
        additionalProperties: false,
        properties: { server_label: str, name: str, arguments: str, output: nullableStr, error: nullableStr },
      },
    },
  },
  RunToolCallMcpObject: {
    type: 'object',
    title: 'MCP approval request (extension)',
    description: 'Answer with a tool_outputs entry `{ tool_call_id, approve, reason? }`.',
    additionalProperties: false,
    required: ['id', 'type', 'mcp'],
    properties: {
      id: str,
      type: { type: 'string', enum: ['mcp'] },
      mcp: { type: 'object', additionalProperties: false, required: ['server_label', 'name', 'arguments'], properties: { server_label: str, name: str, arguments: str } },
    },
  },
};

/** Request schemas, whose `tools` take the entry with its secrets. */
const REQUESTS = new Set(['CreateAssistantRequest', 'ModifyAssistantRequest', 'CreateRunRequest', 'CreateThreadAndRunRequest']);

/** Adds `extra` beside `member` in every `oneOf` of `node` listing it. */
function addBeside(node: unknown, member: string, extra: string): unknown {
  if (Array.isArray(node)) return node.map((n) => addBeside(n, member, extra));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'oneOf' && Array.isArray(v) && v.some((b) => (b as Json).$ref === ref(member).$ref)) out[k] = [...v.map((b) => addBeside(b, member, extra)), ref(extra)];
    else out[k] = addBeside(v, member, extra);
  }
  return out;
}

/** A copy of the Assistants document's `schemas` with the `mcp` extension joined in. */
export function withMcpExtensions(schemas: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    let s = addBeside(schema, 'AssistantToolsFunction', REQUESTS.has(name) ? 'AssistantToolsMcpParam' : 'AssistantToolsMcp');
    s = addBeside(s, 'RunStepDetailsToolCallsFunctionObject', 'RunStepDetailsToolCallsMcpObject');
    s = addBeside(s, 'RunStepDeltaStepDetailsToolCallsFunctionObject', 'RunStepDeltaStepDetailsToolCallsMcpObject');
    out[name] = s;
  }
  const run = out.RunObject as Json | undefined;
  const action = (run?.properties as Json | undefined)?.required_action as Json | undefined;
  const submit = (action?.properties as Json | undefined)?.submit_tool_outputs as Json | undefined;
  const calls = (submit?.properties as Json | undefined)?.tool_calls as Json | undefined;
  if (calls) calls.items = { oneOf: [ref('RunToolCallObject'), ref('RunToolCallMcpObject')] };
  const submitRequest = out.SubmitToolOutputsRunRequest as Json | undefined;
  const outputs = (submitRequest?.properties as Json | undefined)?.tool_outputs as Json | undefined;
  const item = outputs?.items as Json | undefined;
  if (item) {
    item.properties = {
      ...(item.properties as Json),
      approve: { type: 'boolean', description: 'Extension: the answer to an `mcp` approval request (instead of `output`).' },
      reason: { type: 'string', description: 'Extension: why, with `approve` (the model is told when a call is denied).' },
    };
  }
  return { ...out, ...MCP_SCHEMAS };
}
