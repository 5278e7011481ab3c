// code_interpreter over `runs.stream` with both SDK majors (docs/openai-behaviour.md §2.6, §5, §6.5): the tool step's
// events, `code_interpreter.input` streamed as deltas that concatenate to the exact code (escapes split
// across argument fragments), then one outputs delta (logs + image); the SDK's accumulated tool call,
// run steps and messages equal what the REST API stores afterwards.
import { describe, expect, it } from 'vitest';
import type { AssistantStream } from 'openai/lib/AssistantStream';
import type { AssistantStreamEvent } from 'openai/resources/beta/assistants';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { collapse, TEXT_EVENTS } from '../runs/majors.js';
import { ciSetup, MAJORS, python } from './ci-support.js';

type Ev = { event: string; data: any };
const RUN_START = ['thread.run.created', 'thread.run.queued', 'thread.run.in_progress'];
const TOOL_STEP = ['thread.run.step.created', 'thread.run.step.in_progress', 'thread.run.step.delta+', 'thread.run.step.completed'];

function record(stream: AssistantStream): Ev[] {
  const events: Ev[] = [];
  stream.on('event', (e: AssistantStreamEvent) => events.push(structuredClone(e) as Ev));
  return events;
}

/** A deep copy without the `index` keys the SDK's accumulation keeps from the deltas. */
function noIndex<T>(x: T): T {
  if (Array.isArray(x)) return x.map(noIndex) as T;
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'index').map(([k, v]) => [k, noIndex(v)])) as T;
  return x;
}

// Quotes, a backslash, a tab, non-ASCII and newlines: JSON escapes that the argument fragments split.
const CODE = [
  'import matplotlib.pyplot as plt',
  'label = "naïve \\"quoted\\" \\\\ tab\\there"',
  'print(label, 6 * 7)',
  "plt.bar(['a', 'b'], [3, 5])",
  'plt.show()',
].join('\n');
const LOGS = 'naïve "quoted" \\ tab\there 42\n';
const ANSWER = 'The answer is 42, and here is the bar chart.';

describe.each(MAJORS)('code_interpreter streaming (SDK %s)', (major) => {
  it('runs.stream: input deltas spell the code, an outputs delta follows, and the SDK snapshots equal the stored objects', async () => {
    const { api, assistant, m } = await ciSetup('stream', major);
    await pushScripts(m, python(CODE, { chunkSize: 5 }), { text: ANSWER, chunkSize: 6 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Compute and chart ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    const callsDone: any[] = [];
    const imagesDone: string[] = [];
    const messagesDone: unknown[] = [];
    stream.on('messageDone', (msg) => messagesDone.push(structuredClone(msg)));
    stream.on('toolCallDone', (tc) => callsDone.push(structuredClone(tc)));
    stream.on('imageFileDone', (img) => imagesDone.push(img.file_id));
    const run = await stream.finalRun();
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    expect(collapse(events.map((e) => e.event))).toEqual([...RUN_START, ...TOOL_STEP, ...TEXT_EVENTS, 'thread.run.completed']);

    // The tool step: created empty, then deltas, then completed.
    const created = events.find((e) => e.event === 'thread.run.step.created')!.data;
    expect(created).toMatchObject({ type: 'tool_calls', status: 'in_progress', run_id: run.id, step_details: { type: 'tool_calls', tool_calls: [] } });
    const deltas = events.filter((e) => e.event === 'thread.run.step.delta');
    const items = deltas.flatMap((e) => {
      expect(e.data).toMatchObject({ id: created.id, object: 'thread.run.step.delta', delta: { step_details: { type: 'tool_calls' } } });
      return e.data.delta.step_details.tool_calls as { index: number; id?: string; type: string; code_interpreter?: { input?: string; outputs?: any[] } }[];
    });
    expect(items.every((i) => i.index === 0 && i.type === 'code_interpreter')).toBe(true);
    const withInput = items.filter((i) => typeof i.code_interpreter?.input === 'string');
    expect(withInput.length).toBeGreaterThan(3);
    expect(withInput.map((i) => i.code_interpreter!.input).join('')).toBe(CODE);
    // The first delta opens the call, OpenAI's way: {index, id, type, code_interpreter: {input: '', outputs: []}}.
    expect(items[0]).toEqual({ index: 0, id: expect.stringMatching(/^call_/), type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } });
    expect(items.slice(1).every((i) => i.id === undefined)).toBe(true);
    const callId = items[0]!.id!;

    const withOutputs = items.filter((i) => (i.code_interpreter?.outputs ?? []).length > 0);
    expect(withOutputs).toHaveLength(1);
    expect(items.indexOf(withOutputs[0]!)).toBeGreaterThan(items.indexOf(withInput.at(-1)!));
    const outputs = withOutputs[0]!.code_interpreter!.outputs!;
    expect(outputs).toEqual([
      { index: 0, type: 'logs', logs: LOGS },
      { index: 1, type: 'image', image: { file_id: expect.stringMatching(/^file-/) } },
    ]);
    const imageId = outputs[1].image.file_id as string;

    // What the REST API stores is what the stream said.
    const completedStep = events.find((e) => e.event === 'thread.run.step.completed')!.data;
    const stored = await api.retrieveStep(thread.id, run.id, created.id);
    expect(completedStep).toEqual(stored);
    const storedCall = { id: callId, type: 'code_interpreter', code_interpreter: { input: CODE, outputs: [{ type: 'logs', logs: LOGS }, { type: 'image', image: { file_id: imageId } }] } };
    expect(stored).toMatchObject({ status: 'completed', step_details: { type: 'tool_calls', tool_calls: [storedCall] } });

    // SDK accumulation: toolCallDone, finalRunSteps, finalMessages.
    expect(callsDone.map(noIndex)).toEqual([storedCall]);
    const steps = await stream.finalRunSteps();
    const storedSteps = (await api.listSteps(thread.id, run.id, { order: 'asc' })).data;
    expect(storedSteps.map((s) => s.type)).toEqual(['tool_calls', 'message_creation']);
    expect(noIndex(steps)).toEqual(storedSteps);

    const finals = await stream.finalMessages();
    expect(finals).toHaveLength(1);
    const message = await api.retrieveMessage(thread.id, finals[0]!.id);
    expect(message.content).toEqual([
      { type: 'text', text: { value: ANSWER, annotations: [] } },
      { type: 'image_file', image_file: { file_id: imageId, detail: 'auto' } },
    ]);
    // v4/v6 keep the snapshot of thread.message.created (status/completed_at as then) with the content the
    // deltas accumulated (docs/openai-behaviour.md §6.5); v7 retains thread.message.completed's payload as the snapshot
    // (openai-node v7 AssistantStream). messageDone hands over the completed payload itself in all three.
    const snapshot = major === 'v7' ? message : { ...message, status: 'in_progress', completed_at: null };
    expect(noIndex(finals[0])).toEqual(snapshot);
    expect(messagesDone).toEqual([message]);
    expect(events.find((e) => e.event === 'thread.message.completed')!.data).toEqual(message);
    expect(imagesDone).toEqual([imageId]);
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);
    await expectNoStreamErrors();
    expectNoContractViolations();
  });

  it('runs.stream: a link to a written file streams as a file_path annotation delta (with index), equal to the stored one', async () => {
    const { api, assistant, m } = await ciSetup('stream-path', major);
    const answer = 'Saved as sandbox:/mnt/data/report.txt, enjoy.';
    await pushScripts(m, python("open('/mnt/data/report.txt', 'w').write('quarterly: 42')", { chunkSize: 9 }), { text: answer, chunkSize: 4 });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Write the report ${m}` }] });
    const stream = api.stream(thread.id, { assistant_id: assistant.id });
    const events = record(stream);
    const run = await stream.finalRun();
    expect(run.status, JSON.stringify(run.last_error)).toBe('completed');
    const message = await api.retrieveMessage(thread.id, (await stream.finalMessages())[0]!.id);
    const text = (message.content[0] as { text: { value: string; annotations: any[] } }).text;
    expect(text.value).toBe(answer);
    const start = answer.indexOf('sandbox:');
    expect(text.annotations).toEqual([{ type: 'file_path', text: 'sandbox:/mnt/data/report.txt', start_index: start, end_index: start + 28, file_path: { file_id: expect.stringMatching(/^file-/) } }]);

    const annotationDeltas = events
      .filter((e) => e.event === 'thread.message.delta')
      .flatMap((e) => e.data.delta.content.flatMap((c: any) => c.text?.annotations ?? []));
    expect(annotationDeltas).toEqual([{ index: 0, ...text.annotations[0] }]);
    const finals = await stream.finalMessages();
    expect(noIndex(finals[0]!.content)).toEqual(message.content);
    await expectNoStreamErrors();
    expectNoContractViolations();
  });
});
