// The pure half of thread import: the document's cross-reference checks and the id remapping plan.
import { describe, expect, it } from 'vitest';
import { consistencyProblem, referencesOf, type ThreadExport } from '../../../src/domain/export/format';
import { planImport } from '../../../src/domain/export/remap';

const T = 'thread_Old0000000001';
const base = { created_at: 100, thread_id: T };
const run = (id: string, status: string) => ({
  ...base, id, object: 'thread.run', assistant_id: 'asst_A', status, model: 'gpt-4o', metadata: {},
  required_action: null, last_error: null, expires_at: null, started_at: 100, cancelled_at: null, failed_at: null, completed_at: null,
  incomplete_details: null, instructions: '', tools: [], usage: null, temperature: 1, top_p: 1, max_prompt_tokens: null,
  max_completion_tokens: null, truncation_strategy: { type: 'auto', last_messages: null }, tool_choice: 'auto', parallel_tool_calls: true,
  response_format: 'auto',
});
const message = (id: string, runId: string | null, status = 'completed', created_at = 100) => ({
  ...base, created_at, id, object: 'thread.message', status, incomplete_details: null, completed_at: null, incomplete_at: null, role: 'assistant',
  content: [{ type: 'text', text: { value: 'x', annotations: [{ type: 'file_citation', text: '【0†a】', file_citation: { file_id: 'file-Cited' } }] } }],
  assistant_id: 'asst_A', run_id: runId, attachments: [], metadata: {},
});
const step = (id: string, runId: string, messageId: string, status = 'completed') => ({
  ...base, id, object: 'thread.run.step', run_id: runId, assistant_id: 'asst_A', type: 'message_creation', status,
  step_details: { type: 'message_creation', message_creation: { message_id: messageId } },
  last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: null, metadata: {}, usage: null,
});
const doc = (over: Partial<Record<string, unknown>> = {}) =>
  ({
    object: 'thread.export', format_version: 1, exported_at: 200,
    thread: { id: T, object: 'thread', created_at: 90, tool_resources: { file_search: { vector_store_ids: ['vs_Store'] } }, metadata: {} },
    messages: [message('msg_B', 'run_R'), message('msg_A', null, 'completed', 95)],
    runs: [run('run_R', 'completed')],
    run_steps: [step('step_S', 'run_R', 'msg_B')],
    file_ids: [], vector_store_ids: [],
    ...over,
  }) as unknown as ThreadExport;

describe('consistencyProblem', () => {
  it('accepts a consistent document', () => expect(consistencyProblem(doc())).toBeNull());
  it('names the first broken reference', () => {
    expect(consistencyProblem(doc({ run_steps: [step('step_S', 'run_Gone', 'msg_B')] }))?.[1]).toBe('run_steps[0].run_id');
    expect(consistencyProblem(doc({ run_steps: [step('step_S', 'run_R', 'msg_Gone')] }))?.[1]).toBe('run_steps[0].step_details');
    expect(consistencyProblem(doc({ messages: [message('msg_B', 'run_R'), message('msg_B', null)] }))?.[1]).toBe('messages[1].id');
    expect(consistencyProblem(doc({ messages: [{ ...message('msg_B', null), thread_id: 'thread_Other' }] }))?.[1]).toBe('messages[0].thread_id');
    const { usage: _u, ...noUsage } = run('run_R', 'completed');
    expect(consistencyProblem(doc({ runs: [noUsage] }))?.[1]).toBe('runs[0].usage');
  });
  it('finds file and vector store references anywhere in the objects', () => {
    expect(referencesOf(doc())).toEqual({ fileIds: ['file-Cited'], vectorStoreIds: ['vs_Store'] });
  });
});

describe('planImport', () => {
  it('draws new ids in creation order and rewrites every reference', () => {
    const plan = planImport(doc(), 'proj_P', false);
    const m = plan.mapping;
    expect(Object.keys(m).sort()).toEqual(['msg_A', 'msg_B', 'run_R', 'step_S', T].sort());
    expect(m.msg_A! < m.msg_B!).toBe(true); // msg_A was created first
    expect(plan.messages.find((x) => x.id === m.msg_B)).toMatchObject({ threadId: m[T], runId: m.run_R, projectId: 'proj_P' });
    expect(plan.steps[0]).toMatchObject({ id: m.step_S, run_id: m.run_R, thread_id: m[T], step_details: { message_creation: { message_id: m.msg_B } } });
    expect(plan.thread).toMatchObject({ id: m[T], lastAssistantId: 'asst_A', lastRunAt: 100 });
  });
  it('keeps ids when asked', () => {
    const plan = planImport(doc(), 'proj_P', true);
    expect(Object.entries(plan.mapping).every(([a, b]) => a === b)).toBe(true);
  });
  it('ends runs that were active when exported', () => {
    const live = doc({ runs: [run('run_R', 'in_progress')], messages: [message('msg_B', 'run_R', 'in_progress')], run_steps: [step('step_S', 'run_R', 'msg_B', 'in_progress')] });
    const plan = planImport(live, 'proj_P', false, 500);
    expect(plan.runs[0]).toMatchObject({ status: 'cancelled', cancelled_at: 500 });
    expect(plan.steps[0]).toMatchObject({ status: 'cancelled', cancelled_at: 500 });
    expect(plan.messages[0]).toMatchObject({ status: 'incomplete', incompleteAt: 500 });
  });
});

describe('conversation items in an import plan', () => {
  const item = (id: string, type: string, created_at: number) => ({ item: { id, type, status: 'completed', call_id: 'c', output: 'o' }, created_at, response_id: null });

  it('draws new ids for messages and items in one creation order and keeps a conv_ prefix', () => {
    const conv = { ...doc().thread, id: 'conv_Old0000000001' };
    const messages = [
      { ...message('msg_0000000002aaaaaaaaaaaaaa', null), thread_id: conv.id, role: 'developer' },
      { ...message('msg_0000000004aaaaaaaaaaaaaa', null), thread_id: conv.id },
    ];
    const items = [item('fco_0000000003aaaaaaaaaaaaaa', 'function_call_output', 100), item('fc_0000000001aaaaaaaaaaaaaa', 'function_call', 100)];
    const d = doc({ thread: conv, messages, runs: [], run_steps: [], conversation_items: items });
    expect(consistencyProblem(d)).toBeNull();
    const plan = planImport(d, 'proj_P', false);
    expect(plan.threadId).toMatch(/^conv_/);
    const order = ['fc_0000000001aaaaaaaaaaaaaa', 'msg_0000000002aaaaaaaaaaaaaa', 'fco_0000000003aaaaaaaaaaaaaa', 'msg_0000000004aaaaaaaaaaaaaa'].map((id) => plan.mapping[id]!);
    const key = (id: string) => id.slice(id.indexOf('_') + 1);
    expect([...order].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(order);
    expect(plan.messages[0]).toMatchObject({ role: 'developer', threadId: plan.threadId });
    expect(plan.items.map((i) => [i.type, i.projectId, i.threadId, i.sortKey === key(i.id), i.payload])).toEqual([
      ['function_call_output', 'proj_P', plan.threadId, true, { call_id: 'c', output: 'o' }],
      ['function_call', 'proj_P', plan.threadId, true, { call_id: 'c', output: 'o' }],
    ]);
  });

  it('refuses an item id used twice', () => {
    const d = doc({ conversation_items: [item('fc_X', 'function_call', 1), item('fc_X', 'function_call', 2)] });
    expect(consistencyProblem(d)?.[1]).toBe('conversation_items[1].item.id');
  });
});
