// The API objects the console reads, as far as it reads them (OpenAI Assistants v2 shapes).
export type Tool =
  | { type: 'code_interpreter' }
  | { type: 'file_search'; file_search?: { max_num_results?: number; ranking_options?: { ranker?: string; score_threshold?: number } } }
  | { type: 'function'; function: { name: string; description?: string; parameters?: unknown; strict?: boolean | null } };

export interface Assistant {
  id: string;
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: Tool[];
  tool_resources?: { code_interpreter?: { file_ids?: string[] }; file_search?: { vector_store_ids?: string[] } } | null;
  metadata: Record<string, string> | null;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
}

export interface Thread { id: string; created_at: number; metadata: Record<string, string> | null; tool_resources?: unknown }

export interface Annotation {
  type: 'file_citation' | 'file_path';
  text: string;
  start_index: number;
  end_index: number;
  file_citation?: { file_id: string };
  file_path?: { file_id: string };
}

export type ContentPart =
  | { type: 'text'; text: { value: string; annotations: Annotation[] } }
  | { type: 'image_file'; image_file: { file_id: string } }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'refusal'; refusal: string };

export interface Message {
  id: string;
  created_at: number;
  thread_id: string;
  role: 'user' | 'assistant';
  content: ContentPart[];
  run_id: string | null;
  assistant_id: string | null;
  attachments: Array<{ file_id: string; tools: Array<{ type: string }> }> | null;
  status?: string;
}

export interface Usage { prompt_tokens: number; completion_tokens: number; total_tokens: number }

export interface Run {
  id: string;
  thread_id: string;
  assistant_id: string;
  status: string;
  model: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  expires_at: number | null;
  last_error: { code: string; message: string } | null;
  usage: Usage | null;
  required_action: { type: 'submit_tool_outputs'; submit_tool_outputs: { tool_calls: FunctionCall[] } } | null;
}

export interface FunctionCall { id: string; type: 'function'; function: { name: string; arguments: string; output?: string | null } }

export interface FileSearchResult { file_id: string; file_name: string; score: number; content?: Array<{ type: 'text'; text: string }> }

export type ToolCall =
  | FunctionCall
  | { id: string; type: 'file_search'; file_search: { ranking_options?: unknown; results?: FileSearchResult[] } }
  | {
      id: string;
      type: 'code_interpreter';
      code_interpreter: { input: string; outputs: Array<{ type: 'logs'; logs: string } | { type: 'image'; image: { file_id: string } }> };
    };

export interface RunStep {
  id: string;
  run_id: string;
  type: 'message_creation' | 'tool_calls';
  status: string;
  created_at: number;
  completed_at: number | null;
  failed_at: number | null;
  cancelled_at: number | null;
  last_error: { code: string; message: string } | null;
  usage: Usage | null;
  step_details: { type: 'message_creation'; message_creation: { message_id: string } } | { type: 'tool_calls'; tool_calls: ToolCall[] };
}

export interface FileObject { id: string; filename: string; bytes: number; created_at: number; purpose: string; status?: string }

export interface VectorStore {
  id: string;
  name: string | null;
  created_at: number;
  status: string;
  usage_bytes: number;
  file_counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
  metadata: Record<string, string> | null;
}

export interface VectorStoreFile { id: string; status: string; created_at: number; usage_bytes: number; last_error: { code: string; message: string } | null }
