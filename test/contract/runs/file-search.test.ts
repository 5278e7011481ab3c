import { describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { marker, runFixture } from './run-support.js';

describe('file_search in runs', () => {
  it('searches the assistant\'s store, shows the results in the step and cites them', async () => {
    const { v6 } = await runFixture('fs-run');
    const store = await v6.vectorStores.create({ name: 'kb' });
    const doc = await v6.vectorStores.files.uploadAndPoll(
      store.id,
      await toFile(Buffer.from('Project Aurora launches on 14 March 2031 from the Kourou spaceport.'), 'aurora.txt'),
    );
    expect(doc.status).toBe('completed');
    const assistant = await v6.beta.assistants.create({
      model: 'gpt-4o-mini',
      tools: [{ type: 'file_search' }],
      tool_resources: { file_search: { vector_store_ids: [store.id] } },
    });
    const m = marker('fs');
    await pushScripts(
      m,
      { toolCalls: [{ name: 'file_search', arguments: JSON.stringify({ queries: ['Aurora launch date'] }) }] },
      { text: 'Aurora launches on 14 March 2031 【0:0†aurora.txt】.' },
    );
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `When does Aurora launch? ${m}` }] });
    const stream = v6.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    const [message] = await stream.finalMessages();
    const part = message!.content[0]!;
    const text = part.type === 'text' ? part.text : null;
    expect(text!.annotations).toHaveLength(1);
    const a = text!.annotations[0] as { type: string; text: string; start_index: number; end_index: number; file_citation: { file_id: string } };
    expect(a).toMatchObject({ type: 'file_citation', file_citation: { file_id: doc.id } });
    expect(text!.value.slice(a.start_index, a.end_index)).toBe(a.text);
    await expectNoStreamErrors();

    const stored = await v6.beta.threads.messages.list(thread.id, { run_id: run.id });
    // The SDK's accumulated snapshot keeps each annotation delta's `index`; the stored message has none.
    const strip = (xs: unknown[]) => xs.map((x) => ({ ...(x as object), index: undefined }));
    expect(strip((stored.data[0]!.content[0] as { text: { annotations: unknown[] } }).text.annotations)).toEqual(strip(text!.annotations));
    const requests = await upstreamRequests(m);
    const toolMessage = requests[1]!.body.messages.find((x: { role: string }) => x.role === 'tool');
    expect(toolMessage.content).toContain('【0:0†aurora.txt】');
    expect(toolMessage.content).toContain('14 March 2031');

    const steps = await v6.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    const toolStep = steps.data.find((s) => s.type === 'tool_calls')!;
    const call = (toolStep.step_details as { tool_calls: any[] }).tool_calls[0];
    expect(call.type).toBe('file_search');
    expect(call.file_search.results[0]).toMatchObject({ file_id: doc.id, file_name: 'aurora.txt' });
    expect(call.file_search.results[0].content).toBeUndefined();
    const withContent = await v6.beta.threads.runs.steps.retrieve(toolStep.id, {
      thread_id: thread.id,
      run_id: run.id,
      include: ['step_details.tool_calls[*].file_search.results[*].content'],
    });
    const full = (withContent.step_details as { tool_calls: any[] }).tool_calls[0];
    expect(full.file_search.results[0].content[0].text).toContain('Kourou');
  });
});
