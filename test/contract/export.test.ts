// Thread export and import (our extension) through the SDK's generic get/post: a thread with messages,
// an attachment, plain and function-calling runs and their steps goes out as one document and comes back
// equal (ids mapped); ids kept when free; another project's files refused; invalid documents refused
// before anything is written; a thread with a run in progress exports a consistent snapshot.
import { beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type OpenAI from 'openai';
import { pushScripts } from '../support/upstream-control.js';
import { expectApiError, missingId, newProject, type TestProject } from './fixtures.js';

interface ExportDoc {
  object: string;
  format_version: number;
  thread: { id: string; metadata: Record<string, string> };
  messages: { id: string; thread_id: string; run_id: string | null; content: unknown[]; status: string }[];
  runs: { id: string; thread_id: string; status: string; usage: unknown }[];
  run_steps: { id: string; run_id: string; thread_id: string; status: string; step_details: any }[];
  file_ids: string[];
  vector_store_ids: string[];
}
interface ImportResult { object: string; thread: { id: string; metadata: Record<string, string> }; id_mapping: Record<string, string>; counts: Record<string, number> }

const marker = (label: string) => `[export-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}]`;
const exportOf = (client: OpenAI, threadId: string) => client.get(`/threads/${threadId}/export`) as unknown as Promise<ExportDoc>;
const importInto = (client: OpenAI, doc: unknown, ids?: 'keep' | 'new') =>
  client.post('/threads/import', { body: doc, ...(ids ? { query: { ids } } : {}) }) as unknown as Promise<ImportResult>;

/** The thread's messages, runs and steps as the API lists them, oldest first. */
async function snapshot(client: OpenAI, threadId: string) {
  const messages = (await client.beta.threads.messages.list(threadId, { order: 'asc', limit: 100 })).data;
  const runs = (await client.beta.threads.runs.list(threadId, { order: 'asc', limit: 100 })).data;
  const steps = [];
  for (const run of runs) steps.push(...(await client.beta.threads.runs.steps.list(run.id, { thread_id: threadId, order: 'asc' })).data);
  return { messages, runs, steps };
}

/** Replaces every old id in the value by its mapped id. */
function mapIds<T>(value: T, mapping: Record<string, string>): T {
  return JSON.parse(JSON.stringify(value).replace(/"(thread_|msg_|run_|step_)[A-Za-z0-9]+"/g, (m) => JSON.stringify(mapping[JSON.parse(m) as string] ?? JSON.parse(m)))) as T;
}

describe('thread export and import', () => {
  let p: TestProject;
  let other: TestProject;
  let threadId: string;
  let fileId: string;

  beforeAll(async () => {
    [p, other] = await Promise.all([newProject('export'), newProject('export-other')]);
    fileId = (await p.v6.files.create({ file: await toFile(Buffer.from('notes'), 'notes.txt'), purpose: 'assistants' })).id;
    const assistant = await p.v6.beta.assistants.create({
      model: 'gpt-4o-mini',
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
    });
    const m = marker('rt');
    const thread = await p.v6.beta.threads.create({
      metadata: { purpose: 'round trip' },
      messages: [
        { role: 'user', content: `first ${m}`, metadata: { n: '1' } },
        { role: 'user', content: 'see file', attachments: [{ file_id: fileId, tools: [{ type: 'code_interpreter' }] }] },
      ],
    });
    threadId = thread.id;
    await pushScripts(m, { text: 'A plain answer.' }, { toolCalls: [{ name: 'lookup', arguments: '{"q":1}' }] }, { text: 'After the tool.' });
    expect((await p.v6.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistant.id })).status).toBe('completed');
    await p.v6.beta.threads.messages.create(threadId, { role: 'user', content: 'and now?' });
    let run = await p.v6.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistant.id, metadata: { second: 'yes' } });
    expect(run.status).toBe('requires_action');
    const call = run.required_action!.submit_tool_outputs.tool_calls[0]!;
    run = await p.v6.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: threadId, tool_outputs: [{ tool_call_id: call.id, output: '{"a":42}' }] });
    expect(run.status).toBe('completed');
  });

  it('exports the whole thread as one document', async () => {
    const doc = await exportOf(p.v6, threadId);
    expect(doc).toMatchObject({ object: 'thread.export', format_version: 1, thread: { id: threadId, metadata: { purpose: 'round trip' } } });
    const original = await snapshot(p.v6, threadId);
    expect(doc.messages).toEqual(original.messages);
    expect(doc.runs).toEqual(original.runs);
    expect(doc.run_steps).toEqual(original.steps);
    expect(doc.runs).toHaveLength(2);
    expect(doc.run_steps.some((s) => s.step_details.type === 'tool_calls' && s.step_details.tool_calls[0].function.output === '{"a":42}')).toBe(true);
    expect(doc.file_ids).toEqual([fileId]);
  });

  it('imports it back with new ids: messages, runs and steps equal the original\'s', async () => {
    const doc = await exportOf(p.v6, threadId);
    const result = await importInto(p.v6, doc);
    expect(result.object).toBe('thread.import');
    expect(result.thread.id).not.toBe(threadId);
    expect(result.id_mapping[threadId]).toBe(result.thread.id);
    expect(result.counts).toEqual({ messages: doc.messages.length, runs: 2, run_steps: doc.run_steps.length, conversation_items: 0 });
    const copy = await snapshot(p.v6, result.thread.id);
    const original = await snapshot(p.v6, threadId);
    expect(copy).toEqual(mapIds(original, result.id_mapping));
    expect(await p.v6.beta.threads.retrieve(result.thread.id)).toMatchObject({ metadata: { purpose: 'round trip' } });
    // The copy is a working thread: it takes new messages.
    await p.v6.beta.threads.messages.create(result.thread.id, { role: 'user', content: 'continuing the copy' });
  });

  it('keeps the ids when they are free (restore after delete) and refuses when they are taken', async () => {
    const doc = await exportOf(p.v6, threadId);
    await expectApiError(importInto(p.v6, doc, 'keep'), { status: 409, code: 'id_in_use', param: 'ids' });
    const before = await snapshot(p.v6, threadId);
    await p.v6.beta.threads.delete(threadId);
    const restored = await importInto(p.v6, doc, 'keep');
    expect(restored.thread.id).toBe(threadId);
    expect(Object.entries(restored.id_mapping).every(([a, b]) => a === b)).toBe(true);
    expect(await snapshot(p.v6, threadId)).toEqual(before);
  });

  it('moves a thread without files to another project; refuses references to another project\'s files', async () => {
    const doc = await exportOf(p.v6, threadId);
    await expectApiError(importInto(other.v6, doc), { status: 400, code: 'invalid_reference', param: 'file_ids' });
    const plain = await p.v6.beta.threads.create({ messages: [{ role: 'user', content: 'portable' }] });
    const moved = await importInto(other.v6, await exportOf(p.v6, plain.id));
    expect((await other.v6.beta.threads.messages.list(moved.thread.id)).data.map((m) => m.content)).toEqual([
      [{ type: 'text', text: { value: 'portable', annotations: [] } }],
    ]);
    // The other project cannot export p's thread: it does not exist there.
    await expectApiError(exportOf(other.v6, plain.id), { status: 404 });
  });

  it('validates the whole document before writing anything', async () => {
    const doc = await exportOf(p.v6, threadId);
    const listThreads = async () => (await p.v6.get('/threads', { query: { limit: 100 } }) as unknown as { data: { id: string }[] }).data.map((t) => t.id);
    const threadsBefore = await listThreads();
    const badStep = structuredClone(doc);
    badStep.run_steps[0]!.run_id = missingId('run_');
    await expectApiError(importInto(p.v6, badStep), { status: 400, param: 'run_steps[0].run_id' });
    const badMessage = structuredClone(doc);
    (badMessage.messages[1] as unknown as { role: string }).role = 'tool';
    await expectApiError(importInto(p.v6, badMessage), { status: 400, param: 'messages[1].role' });
    const missingField = structuredClone(doc) as unknown as { runs: Record<string, unknown>[] };
    delete missingField.runs[0]!.usage;
    await expectApiError(importInto(p.v6, missingField), { status: 400, param: 'runs[0].usage' });
    await expectApiError(importInto(p.v6, { ...doc, format_version: 2 }), { status: 400, param: 'format_version' });
    await expectApiError(importInto(p.v6, { ...doc, extra: true }), { status: 400, code: 'unknown_parameter' });
    await expectApiError(importInto(p.v6, doc, 'sometimes' as 'keep'), { status: 400, param: 'ids' });
    expect(await listThreads()).toEqual(threadsBefore);
  });

  it('exports a consistent snapshot while a run is in progress; the import ends that run', async () => {
    const assistant = await p.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    const m = marker('live');
    await pushScripts(m, { hang: true });
    const thread = await p.v6.beta.threads.create({ messages: [{ role: 'user', content: `wait ${m}` }] });
    const run = await p.v6.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const doc = await exportOf(p.v6, thread.id);
    expect(doc.runs.map((r) => r.id)).toEqual([run.id]);
    expect(['queued', 'in_progress']).toContain(doc.runs[0]!.status);
    // Every step the snapshot holds points at a message the snapshot holds.
    for (const step of doc.run_steps) {
      if (step.step_details.type === 'message_creation') expect(doc.messages.map((x) => x.id)).toContain(step.step_details.message_creation.message_id);
    }
    const imported = await importInto(p.v6, doc);
    const copy = await snapshot(p.v6, imported.thread.id);
    expect(copy.runs[0]).toMatchObject({ status: 'cancelled' });
    expect(copy.steps.every((s) => s.status !== 'in_progress')).toBe(true);
    // The copy is not locked by the cut run.
    await p.v6.beta.threads.messages.create(imported.thread.id, { role: 'user', content: 'unlocked' });
    await p.v6.beta.threads.runs.cancel(run.id, { thread_id: thread.id });
  });

  it('answers 401 without a key and 400 for a malformed thread id', async () => {
    const res = await p.raw(`/threads/${threadId}/export`, { apiKey: null });
    expect(res.status).toBe(401);
    await expectApiError(exportOf(p.v6, 'not-a-thread'), { status: 400, param: 'thread_id' });
    await expectApiError(exportOf(p.v6, missingId('thread_')), { status: 404 });
  });
});
