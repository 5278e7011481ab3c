// The table of every route the router serves (bad-input.test.ts checks it against src/http/routes), each with
// a valid body and the invalid inputs that must be refused with a 400 naming the offending field.
// Expected params use OpenAI's path syntax (`tools[0].function.name`); a RegExp where OpenAI's exact
// choice is not known (docs/openai-behaviour.md §4 only gives the templates). Files, uploads and vector stores live in
// routes-retrieval.ts; the types and shared cases in route-cases.ts.
import { LIST_QUERIES, long, META_CASES, type InvalidCase, type Route } from './route-cases.js';
import { RETRIEVAL_ROUTES } from './routes-retrieval.js';
import { CONVERSATION_ROUTES } from './routes-conversations.js';
import { CONTAINER_ROUTES } from './routes-containers.js';

export * from './route-cases.js';

const M = { model: 'gpt-4o' };
const fn = (f: unknown) => ({ tools: [{ type: 'function', function: f }] });
const ASSISTANT_FIELDS = (base: Record<string, unknown>): InvalidCase[] => [
  ['temperature 3', { ...base, temperature: 3 }, 'temperature'],
  ['temperature -0.5', { ...base, temperature: -0.5 }, 'temperature'],
  ['temperature as a string', { ...base, temperature: 'hot' }, 'temperature'],
  ['top_p 1.5', { ...base, top_p: 1.5 }, 'top_p'],
  ['name of 257 chars', { ...base, name: long(257) }, 'name'],
  ['description of 513 chars', { ...base, description: long(513) }, 'description'],
  ['instructions as a number', { ...base, instructions: 123 }, 'instructions'],
  ['model as a number', { ...base, model: 42 }, 'model'],
  ['model null', { ...base, model: null }, 'model'],
  ['a function name with spaces', { ...base, ...fn({ name: 'get weather!' }) }, 'tools[0].function.name'],
  ['function parameters as a string', { ...base, ...fn({ name: 'f', parameters: 'none' }) }, 'tools[0].function.parameters'],
  ['tools not an array', { ...base, tools: 'code_interpreter' }, 'tools'],
  ['an unknown tool type', { ...base, tools: [{ type: 'browser' }] }, /^tools\[0\]/],
  ['a function tool without function', { ...base, tools: [{ type: 'function' }] }, 'tools[0].function'],
  ['129 tools', { ...base, tools: Array.from({ length: 129 }, () => ({ type: 'code_interpreter' })) }, 'tools'],
  ['file_search max_num_results 51', { ...base, tools: [{ type: 'file_search', file_search: { max_num_results: 51 } }] }, 'tools[0].file_search.max_num_results'],
  ['ranking_options score_threshold 2', { ...base, tools: [{ type: 'file_search', file_search: { ranking_options: { score_threshold: 2 } } }] }, /^tools\[0\]\.file_search\.ranking_options/],
  ['an unknown field inside a tool', { ...base, tools: [{ type: 'code_interpreter', foo: 1 }] }, 'tools[0].foo'],
  ['21 code_interpreter file_ids', { ...base, tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file-${i}`) } } }, 'tool_resources.code_interpreter.file_ids'],
  ['2 vector_store_ids', { ...base, tool_resources: { file_search: { vector_store_ids: ['vs_a', 'vs_b'] } } }, 'tool_resources.file_search.vector_store_ids'],
  ['2 inline vector_stores', { ...base, tool_resources: { file_search: { vector_stores: [{ file_ids: [] }, { file_ids: [] }] } } }, 'tool_resources.file_search.vector_stores'],
  ['both vector_store_ids and vector_stores', { ...base, tool_resources: { file_search: { vector_store_ids: ['vs_a'], vector_stores: [{ file_ids: [] }] } } }, /^tool_resources\.file_search/],
  ['an inline vector store with a bad chunking_strategy', { ...base, tool_resources: { file_search: { vector_stores: [{ file_ids: [], chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 401 } } }] } } }, /^tool_resources\.file_search\.vector_stores\[0\]\.chunking_strategy/],
  ["response_format 'json'", { ...base, response_format: 'json' }, 'response_format'],
  ['json_schema without json_schema', { ...base, response_format: { type: 'json_schema' } }, /^response_format/],
  ["reasoning_effort 'extreme'", { ...base, reasoning_effort: 'extreme' }, 'reasoning_effort'],
  ...META_CASES((m) => ({ ...base, metadata: m })),
];

const MESSAGE_FIELDS = (wrap: (msg: unknown) => unknown, prefix: string): InvalidCase[] => [
  ['no role', wrap({ content: 'hi' }), `${prefix}role`],
  ["role 'system'", wrap({ role: 'system', content: 'hi' }), `${prefix}role`],
  ['no content', wrap({ role: 'user' }), `${prefix}content`],
  ['content []', wrap({ role: 'user', content: [] }), `${prefix}content`],
  ['content as a number', wrap({ role: 'user', content: 42 }), `${prefix}content`],
  ['a text part in the response shape', wrap({ role: 'user', content: [{ type: 'text', text: { value: 'x' } }] }), `${prefix}content[0].text`],
  ['an unknown content part type', wrap({ role: 'user', content: [{ type: 'video', video: {} }] }), new RegExp(`^${prefix.replace(/[[\].]/g, '\\$&')}content`)],
  ['an image_url that is not a URL', wrap({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'not a url' } }] }), new RegExp(`^${prefix.replace(/[[\].]/g, '\\$&')}content\\[0\\]\\.image_url`)],
  ['an attachment without file_id', wrap({ role: 'user', content: 'hi', attachments: [{ tools: [] }] }), `${prefix}attachments[0].file_id`],
  ["an attachment tool 'function'", wrap({ role: 'user', content: 'hi', attachments: [{ file_id: 'file-x', tools: [{ type: 'function' }] }] }), new RegExp(`^${prefix.replace(/[[\].]/g, '\\$&')}attachments\\[0\\]\\.tools`)],
];

const RUN = { assistant_id: '{assistant_id}' };
const RESPONSE = { model: 'gpt-4o', input: 'hi' };

/** A minimal valid thread export document (docs/export-format.md): one thread, one message, no runs. */
const EXPORT_MESSAGE = {
  id: 'msg_probe0001', object: 'thread.message', created_at: 1_700_000_000, thread_id: 'thread_probe0001', status: 'completed',
  incomplete_details: null, completed_at: null, incomplete_at: null, role: 'user',
  content: [{ type: 'text', text: { value: 'hi', annotations: [] } }], assistant_id: null, run_id: null, attachments: [], metadata: {},
};
const EXPORT_DOC = {
  object: 'thread.export', format_version: 1, exported_at: 1_700_000_000,
  thread: { id: 'thread_probe0001', object: 'thread', created_at: 1_700_000_000, tool_resources: null, metadata: {} },
  messages: [EXPORT_MESSAGE], runs: [], run_steps: [], file_ids: [], vector_store_ids: [],
};
const RUN_FIELDS: InvalidCase[] = [
  ['temperature 3', { ...RUN, temperature: 3 }, 'temperature'],
  ['top_p 2', { ...RUN, top_p: 2 }, 'top_p'],
  ['max_prompt_tokens 100 (minimum 256)', { ...RUN, max_prompt_tokens: 100 }, 'max_prompt_tokens'],
  ['max_completion_tokens as a string', { ...RUN, max_completion_tokens: 'many' }, 'max_completion_tokens'],
  ["truncation_strategy type 'middle'", { ...RUN, truncation_strategy: { type: 'middle' } }, /^truncation_strategy/],
  ["tool_choice 'sometimes'", { ...RUN, tool_choice: 'sometimes' }, /^tool_choice/],
  ['parallel_tool_calls as a string', { ...RUN, parallel_tool_calls: 'yes' }, 'parallel_tool_calls'],
  ['stream as a string', { ...RUN, stream: 'yes' }, 'stream'],
  ['21 tools', { ...RUN, tools: Array.from({ length: 21 }, () => ({ type: 'code_interpreter' })) }, 'tools'],
  ...META_CASES((m) => ({ ...RUN, metadata: m })),
];


export const ROUTES: Route[] = [
  { method: 'GET', template: '/assistants', auth: 'project', invalid: LIST_QUERIES },
  {
    method: 'POST', template: '/assistants', auth: 'project', body: M,
    invalid: [['no model', {}, 'model'], ...ASSISTANT_FIELDS(M)],
  },
  { method: 'GET', template: '/assistants/{assistant_id}', auth: 'project' },
  { method: 'POST', template: '/assistants/{assistant_id}', auth: 'project', body: { name: 'renamed' }, invalid: ASSISTANT_FIELDS({}) },
  { method: 'DELETE', template: '/assistants/{assistant_id}', auth: 'project' },

  {
    method: 'POST', template: '/threads', auth: 'project', body: {},
    invalid: [
      ['messages not an array', { messages: 'hi' }, 'messages'],
      ...MESSAGE_FIELDS((m) => ({ messages: [m] }), 'messages[0].'),
      ['21 code_interpreter file_ids', { tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file-${i}`) } } }, 'tool_resources.code_interpreter.file_ids'],
      ...META_CASES((m) => ({ metadata: m })),
    ],
  },
  { method: 'GET', template: '/threads/{thread_id}', auth: 'project' },
  {
    method: 'POST', template: '/threads/{thread_id}', auth: 'project', body: { metadata: { a: 'b' } },
    invalid: [['tool_resources as a string', { tool_resources: 'none' }, 'tool_resources'], ...META_CASES((m) => ({ metadata: m }))],
  },
  { method: 'DELETE', template: '/threads/{thread_id}', auth: 'project' },

  { method: 'GET', template: '/threads/{thread_id}/messages', auth: 'project', invalid: LIST_QUERIES },
  {
    method: 'POST', template: '/threads/{thread_id}/messages', auth: 'project', body: { role: 'user', content: 'hi' },
    invalid: [...MESSAGE_FIELDS((m) => m, ''), ...META_CASES((m) => ({ role: 'user', content: 'hi', metadata: m }))],
  },
  { method: 'GET', template: '/threads/{thread_id}/messages/{message_id}', auth: 'project' },
  {
    method: 'POST', template: '/threads/{thread_id}/messages/{message_id}', auth: 'project', body: { metadata: { a: 'b' } },
    invalid: META_CASES((m) => ({ metadata: m })),
  },
  { method: 'DELETE', template: '/threads/{thread_id}/messages/{message_id}', auth: 'project' },

  // Runs and run steps (their own contract tests live in test/contract/runs/; here only hostile input).
  {
    method: 'POST', template: '/threads/runs', auth: 'project', body: RUN,
    invalid: [
      ['no assistant_id', {}, 'assistant_id'],
      ['a thread message with role system', { ...RUN, thread: { messages: [{ role: 'system', content: 'x' }] } }, 'thread.messages[0].role'],
      ['an unknown field in thread', { ...RUN, thread: { foo: 1 } }, 'thread.foo'],
      ...RUN_FIELDS,
    ],
  },
  {
    method: 'POST', template: '/threads/{thread_id}/runs', auth: 'project', body: RUN,
    invalid: [
      ['no assistant_id', {}, 'assistant_id'],
      ["additional_messages with role 'system'", { ...RUN, additional_messages: [{ role: 'system', content: 'x' }] }, 'additional_messages[0].role'],
      ['additional_instructions as a number', { ...RUN, additional_instructions: 1 }, 'additional_instructions'],
      ...RUN_FIELDS,
    ],
  },
  { method: 'GET', template: '/threads/{thread_id}/runs', auth: 'project', invalid: LIST_QUERIES },
  { method: 'GET', template: '/threads/{thread_id}/runs/{run_id}', auth: 'project' },
  { method: 'POST', template: '/threads/{thread_id}/runs/{run_id}', auth: 'project', body: { metadata: { a: 'b' } }, invalid: META_CASES((m) => ({ metadata: m })) },
  { method: 'POST', template: '/threads/{thread_id}/runs/{run_id}/cancel', auth: 'project' },
  {
    method: 'POST', template: '/threads/{thread_id}/runs/{run_id}/submit_tool_outputs', auth: 'project',
    body: { tool_outputs: [{ tool_call_id: 'call_abc', output: '42' }] },
    invalid: [
      ['no tool_outputs', {}, 'tool_outputs'],
      ['tool_outputs as a string', { tool_outputs: '42' }, 'tool_outputs'],
      ['a tool output without tool_call_id', { tool_outputs: [{ output: '42' }] }, 'tool_outputs[0].tool_call_id'],
      ['stream as a string', { tool_outputs: [{ tool_call_id: 'call_abc', output: '42' }], stream: 'yes' }, 'stream'],
    ],
  },
  {
    method: 'GET', template: '/threads/{thread_id}/runs/{run_id}/steps', auth: 'project',
    invalid: [...LIST_QUERIES, ['an unknown include[] value', 'include[]=bogus', /^include/]],
  },
  { method: 'GET', template: '/threads/{thread_id}/runs/{run_id}/steps/{step_id}', auth: 'project', invalid: [['an unknown include[] value', 'include[]=bogus', /^include/]] },

  // Models (no OpenAI-Beta, no cursor).
  { method: 'GET', template: '/models', auth: 'project' },
  { method: 'GET', template: '/models/{model}', auth: 'project' },

  // Pass-through to the model providers. Chat completions has no body here: fields it does not know go
  // to the provider, which answers for them (the (c)-(f) checks assume this server refuses them).
  { method: 'POST', template: '/chat/completions', auth: 'project' },
  {
    method: 'POST', template: '/embeddings', auth: 'project', body: { model: 'text-embedding-3-small', input: 'hello' },
    invalid: [
      ['no model', { input: 'hello' }, 'model'],
      ['input as a number', { model: 'text-embedding-3-small', input: 42 }, 'input'],
      ["encoding_format 'hex'", { model: 'text-embedding-3-small', input: 'x', encoding_format: 'hex' }, 'encoding_format'],
    ],
  },

  // The Responses API (its own contract tests live in test/contract/responses/; here only hostile input).
  {
    method: 'POST', template: '/responses', auth: 'project', body: RESPONSE,
    invalid: [
      ['no model', { input: 'hi' }, 'model'],
      ['input as a number', { ...RESPONSE, input: 42 }, 'input'],
      ['an input item of an unknown type', { ...RESPONSE, input: [{ type: 'video', url: 'x' }] }, /^input/],
      ['a message with an unknown content part', { ...RESPONSE, input: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, /^input\[0\]/],
      ['temperature 3', { ...RESPONSE, temperature: 3 }, 'temperature'],
      ['top_p 2', { ...RESPONSE, top_p: 2 }, 'top_p'],
      ['max_output_tokens as a string', { ...RESPONSE, max_output_tokens: 'many' }, 'max_output_tokens'],
      ['tools not an array', { ...RESPONSE, tools: 'function' }, 'tools'],
      ['an unknown tool type', { ...RESPONSE, tools: [{ type: 'browser' }] }, /^tools\[0\]/],
      ['a function tool without name', { ...RESPONSE, tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name'],
      ['a file_search tool with no stores', { ...RESPONSE, tools: [{ type: 'file_search', vector_store_ids: [] }] }, 'tools[0].vector_store_ids'],
      ['a file_search tool with max_num_results 0', { ...RESPONSE, tools: [{ type: 'file_search', vector_store_ids: ['vs_x'], max_num_results: 0 }] }, 'tools[0].max_num_results'],
      ['a file_search tool with an unknown ranker', { ...RESPONSE, tools: [{ type: 'file_search', vector_store_ids: ['vs_x'], ranking_options: { ranker: 'best' } }] }, 'tools[0].ranking_options.ranker'],
      ['a code_interpreter tool without container', { ...RESPONSE, tools: [{ type: 'code_interpreter' }] }, 'tools[0].container'],
      ['a code_interpreter container that is not a container id', { ...RESPONSE, tools: [{ type: 'code_interpreter', container: 'my-box' }] }, 'tools[0].container'],
      ["a code_interpreter auto container with memory_limit '3g'", { ...RESPONSE, tools: [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '3g' } }] }, /^tools\[0\]\.container/],
      ['a code_interpreter auto container with 51 file_ids', { ...RESPONSE, tools: [{ type: 'code_interpreter', container: { type: 'auto', file_ids: Array.from({ length: 51 }, (_, i) => `file-${i}`) } }] }, /^tools\[0\]\.container/],
      ["tool_choice 'sometimes'", { ...RESPONSE, tool_choice: 'sometimes' }, /^tool_choice/],
      ['json_schema format without schema', { ...RESPONSE, text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema'],
      ["truncation 'middle'", { ...RESPONSE, truncation: 'middle' }, 'truncation'],
      ['store as a string', { ...RESPONSE, store: 'yes' }, 'store'],
      ["an unknown include value", { ...RESPONSE, include: ['everything'] }, /^include/],
      ...META_CASES((m) => ({ ...RESPONSE, metadata: m })),
    ],
  },
  {
    method: 'POST', template: '/responses/input_tokens', auth: 'project', body: RESPONSE,
    invalid: [['input as a number', { ...RESPONSE, input: 42 }, 'input'], ['tools not an array', { ...RESPONSE, tools: 'x' }, 'tools']],
  },
  // Compaction (docs/responses.md "Compaction"): the model writes the summary.
  {
    method: 'POST', template: '/responses/compact', auth: 'project', body: RESPONSE,
    invalid: [['no model', { input: 'hi' }, 'model'], ['input as a number', { ...RESPONSE, input: 42 }, 'input'], ['a conversation', { ...RESPONSE, conversation: 'conv_x' }, 'conversation']],
  },
  // The WebSocket upgrade (docs/responses.md "WebSocket mode"); without `Upgrade: websocket` it is a 404.
  { method: 'GET', template: '/responses', auth: 'project' },
  { method: 'GET', template: '/responses/{response_id}', auth: 'project', invalid: [['starting_after=abc', 'stream=true&starting_after=abc', 'starting_after']] },
  { method: 'DELETE', template: '/responses/{response_id}', auth: 'project' },
  { method: 'POST', template: '/responses/{response_id}/cancel', auth: 'project' },
  { method: 'GET', template: '/responses/{response_id}/input_items', auth: 'project', invalid: LIST_QUERIES },

  // The admin API (ours, shaped after OpenAI's organization API).
  { method: 'GET', template: '/organization/projects', auth: 'admin', invalid: LIST_QUERIES },
  { method: 'POST', template: '/organization/projects', auth: 'admin', body: { name: 'bad-input probe' }, invalid: [['no name', {}, 'name'], ['name as a number', { name: 1 }, 'name']] },
  { method: 'GET', template: '/organization/projects/{project_id}', auth: 'admin' },
  { method: 'POST', template: '/organization/projects/{project_id}', auth: 'admin', body: { name: 'bad-input probe' }, invalid: [['name as a number', { name: 1 }, 'name']] },
  { method: 'POST', template: '/organization/projects/{project_id}/archive', auth: 'admin' },
  { method: 'GET', template: '/organization/projects/{project_id}/service_accounts', auth: 'admin', invalid: LIST_QUERIES },
  { method: 'POST', template: '/organization/projects/{project_id}/service_accounts', auth: 'admin', body: { name: 'probe' }, invalid: [['no name', {}, 'name']] },
  { method: 'GET', template: '/organization/projects/{project_id}/service_accounts/{service_account_id}', auth: 'admin' },
  { method: 'DELETE', template: '/organization/projects/{project_id}/service_accounts/{service_account_id}', auth: 'admin' },
  { method: 'GET', template: '/organization/projects/{project_id}/api_keys', auth: 'admin', invalid: LIST_QUERIES },
  { method: 'GET', template: '/organization/projects/{project_id}/api_keys/{key_id}', auth: 'admin' },
  { method: 'DELETE', template: '/organization/projects/{project_id}/api_keys/{key_id}', auth: 'admin' },

  // Our extensions (issue 9): thread list, export/import, usage and costs, project export.
  {
    method: 'GET', template: '/threads', auth: 'project',
    invalid: [
      ...LIST_QUERIES,
      ['created_after=yesterday', 'created_after=yesterday', 'created_after'],
      ['created_before=-5', 'created_before=-5', 'created_before'],
      ['assistant_id that is a thread id', 'assistant_id=thread_abc', 'assistant_id'],
      ['a metadata filter key with a quote', 'metadata[a"b]=x', 'metadata[a"b]'],
    ],
  },
  { method: 'GET', template: '/threads/{thread_id}/export', auth: 'project' },
  {
    method: 'POST', template: '/threads/import', auth: 'project', body: EXPORT_DOC,
    invalid: [
      ['not an export document', { object: 'thread' }, /^(object|format_version|thread)/],
      ['format_version 2', { ...EXPORT_DOC, format_version: 2 }, 'format_version'],
      ['messages as a string', { ...EXPORT_DOC, messages: 'none' }, 'messages'],
      ['a message of another thread', { ...EXPORT_DOC, messages: [{ ...EXPORT_MESSAGE, thread_id: 'thread_other' }] }, 'messages[0].thread_id'],
      ['a message of a run the document lacks', { ...EXPORT_DOC, messages: [{ ...EXPORT_MESSAGE, run_id: 'run_missing' }] }, 'messages[0].run_id'],
      // system and developer are roles of a conversation's messages (docs/conversations.md); tool is no message role.
      ['a message role tool', { ...EXPORT_DOC, messages: [{ ...EXPORT_MESSAGE, role: 'tool' }] }, 'messages[0].role'],
      ['a conversation item of an unknown type', { ...EXPORT_DOC, conversation_items: [{ item: { id: 'fc_1', type: 'web_search_call', status: 'completed' }, created_at: 1, response_id: null }] }, 'conversation_items[0].item.type'],
      ['a thread id without its prefix', { ...EXPORT_DOC, thread: { ...EXPORT_DOC.thread, id: 'abc' } }, 'thread.id'],
    ],
  },
  ...['completions', 'code_interpreter_sessions', 'vector_stores', 'file_storage'].map((kind): Route => ({
    method: 'GET', template: `/organization/usage/${kind}`, auth: 'project',
    invalid: [
      ['no start_time', 'bucket_width=1d', 'start_time'],
      ['start_time=abc', 'start_time=abc', 'start_time'],
      ['bucket_width=2h', 'start_time=0&bucket_width=2h', 'bucket_width'],
      ['group_by=user_id', 'start_time=0&group_by=user_id', 'group_by'],
      ['end_time before start_time', 'start_time=100&end_time=50', 'end_time'],
      ['a page cursor not ours', 'start_time=0&page=abc', 'page'],
      ['limit=0', 'start_time=0&limit=0', 'limit'],
    ],
  })),
  {
    method: 'GET', template: '/organization/costs', auth: 'project',
    invalid: [
      ['no start_time', '', 'start_time'],
      ['bucket_width=1h', 'start_time=0&bucket_width=1h', 'bucket_width'],
      ['limit=181', 'start_time=0&limit=181', 'limit'],
      ['group_by=model', 'start_time=0&group_by=model', 'group_by'],
    ],
  },
  { method: 'GET', template: '/organization/projects/{project_id}/export', auth: 'admin' },

  ...RETRIEVAL_ROUTES,
  ...CONVERSATION_ROUTES,
  ...CONTAINER_ROUTES,
];

export const routeLabel = (r: Route): string => `${r.method} ${r.template}`;
