/**
 * The run and run-step objects exactly as the API returns them (docs/openai-behaviour.md §2.5, §2.6). They are
 * stored whole in the thread's Durable Object, so what was persisted is what is served.
 */

import type { AssistantTool } from '../../contract/common';

export type RunStatus =
  | 'queued' | 'in_progress' | 'requires_action' | 'cancelling' | 'cancelled' | 'failed' | 'completed' | 'incomplete' | 'expired';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface FunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; output: string | null };
}

/** Extension (docs/mcp-assistants.md): a call of a remote MCP server's tool. */
export interface McpToolCall {
  id: string;
  type: 'mcp';
  mcp: { server_label: string; name: string; arguments: string; output: string | null; error: string | null };
}

export type ToolCall = FunctionToolCall | McpToolCall | { id: string; type: 'file_search' | 'code_interpreter'; [k: string]: unknown };

/** A call the client must answer: a function's output, or (extension) an MCP call's approval. */
export type RequiredActionCall =
  | { id: string; type: 'function'; function: { name: string; arguments: string } }
  | { id: string; type: 'mcp'; mcp: { server_label: string; name: string; arguments: string } };

export interface RequiredAction {
  type: 'submit_tool_outputs';
  submit_tool_outputs: { tool_calls: RequiredActionCall[] };
}

export type LastErrorCode = 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';

export interface Run {
  id: string;
  object: 'thread.run';
  created_at: number;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: RequiredAction | null;
  last_error: { code: LastErrorCode; message: string } | null;
  expires_at: number | null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: 'max_completion_tokens' | 'max_prompt_tokens' } | null;
  model: string;
  instructions: string;
  tools: AssistantTool[];
  metadata: Record<string, string>;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: { type: 'auto' | 'last_messages'; last_messages: number | null };
  tool_choice: unknown;
  parallel_tool_calls: boolean;
  response_format: unknown;
  reasoning_effort: string | null;
  tool_resources: unknown;
}

export type StepStatus = 'in_progress' | 'cancelled' | 'failed' | 'completed' | 'expired';

export interface RunStep {
  id: string;
  object: 'thread.run.step';
  created_at: number;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: 'message_creation' | 'tool_calls';
  status: StepStatus;
  step_details:
    | { type: 'message_creation'; message_creation: { message_id: string } }
    | { type: 'tool_calls'; tool_calls: ToolCall[] };
  last_error: { code: 'server_error' | 'rate_limit_exceeded'; message: string } | null;
  expired_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  metadata: Record<string, string>;
  usage: Usage | null;
}
