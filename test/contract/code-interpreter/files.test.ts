// Files in and out of the code_interpreter sandbox through both SDK majors: a matplotlib chart becomes
// an `assistants_output` PNG file (image output of the step, image_file part of the answer); a CSV the
// user attached (message attachment, or the assistant's tool_resources) is read from /mnt/data and a
// file the code writes is linked as `sandbox:/mnt/data/out.csv` → a file_path annotation (docs/openai-behaviour.md §2.4).
import { describe, expect, it } from 'vitest';
import { pushScripts } from '../../support/upstream-control.js';
import { ciCallOf, ciSetup, expectCompleted, logsOf, MAJORS, PNG_MAGIC, python, textOf, toolMessagesSent, type CiCall, type FilesApi } from './ci-support.js';
import type { RunsApi } from '../runs/majors.js';
import type { Run } from 'openai/resources/beta/threads/runs/runs';

const CSV = 'a,b\n1,10\n2,20\n3,30\n';
const OUT_CSV = 'a,b,total\n1,10,11\n2,20,22\n3,30,33\n';
const CSV_CODE = [
  'import pandas as pd',
  "df = pd.read_csv('/mnt/data/data.csv')",
  "df['total'] = df.a + df.b",
  "df.to_csv('/mnt/data/out.csv', index=False)",
  "print('rows', len(df), 'sum', df.total.sum())",
].join('\n');
const ANSWER = 'Done: [download out.csv](sandbox:/mnt/data/out.csv). Totals are 11, 22 and 33.';

/** The run of the CSV tests: logs, tool message, file_path annotation and the written bytes. */
async function expectCsvRoundTrip(api: RunsApi, files: FilesApi, run: Run, m: string, input: { id: string }) {
  expectCompleted(run);
  const call: CiCall = await ciCallOf(api, run);
  expect(call.code_interpreter.input).toBe(CSV_CODE);
  expect(logsOf(call)).toBe('rows 3 sum 66\n');
  const tool = (await toolMessagesSent(m))[1]!;
  expect(tool[0]!.content).toContain('rows 3 sum 66');
  expect(tool[0]!.content).toContain('sandbox:/mnt/data/out.csv');

  const [message] = (await api.listMessages(run.thread_id, { run_id: run.id })).data;
  const text = textOf(message!);
  expect(text.value).toBe(ANSWER);
  expect(text.annotations).toHaveLength(1);
  const a = text.annotations[0] as { type: string; text: string; start_index: number; end_index: number; file_path: { file_id: string } };
  expect(a).toEqual({
    type: 'file_path',
    text: 'sandbox:/mnt/data/out.csv',
    start_index: ANSWER.indexOf('sandbox:'),
    end_index: ANSWER.indexOf('sandbox:') + 'sandbox:/mnt/data/out.csv'.length,
    file_path: { file_id: expect.stringMatching(/^file-/) },
  });
  expect(text.value.slice(a.start_index, a.end_index)).toBe(a.text);
  expect(a.file_path.file_id).not.toBe(input.id);
  const out = await files.retrieve(a.file_path.file_id);
  expect(out).toMatchObject({ id: a.file_path.file_id, object: 'file', purpose: 'assistants_output', filename: 'out.csv', bytes: Buffer.byteLength(OUT_CSV) });
  expect((await files.bytes(a.file_path.file_id)).toString('utf8')).toBe(OUT_CSV);
  // The input file is untouched.
  expect((await files.bytes(input.id)).toString('utf8')).toBe(CSV);
}

describe.each(MAJORS)('code_interpreter files (SDK %s)', (major) => {
  it('a matplotlib chart: image output of the step, image_file part of the answer, an assistants_output PNG', async () => {
    const { api, files, assistant, m } = await ciSetup('plot', major);
    const code = 'import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3], [1, 4, 9])\nax.set_title("squares")\nplt.show()';
    await pushScripts(m, python(code), { text: 'Here is the chart of squares.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Plot squares ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run);

    const call = await ciCallOf(api, run);
    expect(call.code_interpreter.input).toBe(code);
    const images = call.code_interpreter.outputs.filter((o) => o.type === 'image');
    expect(images).toEqual([{ type: 'image', image: { file_id: expect.stringMatching(/^file-/) } }]);
    const fileId = images[0]!.image!.file_id;
    // plt.show() printed nothing: no logs output besides the image (or only an empty one).
    expect(call.code_interpreter.outputs.filter((o) => o.type === 'logs' && o.logs !== '')).toEqual([]);

    const [message] = (await api.listMessages(thread.id, { run_id: run.id })).data;
    expect(message!.content).toContainEqual({ type: 'image_file', image_file: { file_id: fileId, detail: 'auto' } });
    expect(message!.content.filter((c) => c.type === 'image_file')).toHaveLength(1);
    expect(textOf(message!).value).toBe('Here is the chart of squares.');

    const file = await files.retrieve(fileId);
    expect(file).toMatchObject({ id: fileId, object: 'file', purpose: 'assistants_output', filename: expect.stringMatching(/\.png$/) });
    const bytes = await files.bytes(fileId);
    expect(bytes.subarray(0, 8).equals(PNG_MAGIC), `starts with ${bytes.subarray(0, 8).toString('hex')}`).toBe(true);
    expect(bytes.length).toBe(file.bytes);
    expect(bytes.length).toBeGreaterThan(1000);
    const tool = (await toolMessagesSent(m))[1]!;
    expect(tool[0]!.content).toContain(fileId);
  });

  it('reads a CSV attached to the message and links the file it wrote (file_path annotation)', async () => {
    const { api, files, assistant, m } = await ciSetup('csv-attach', major);
    const input = await files.upload(CSV, 'data.csv');
    expect(input).toMatchObject({ purpose: 'assistants', filename: 'data.csv' });
    await pushScripts(m, python(CSV_CODE), { text: ANSWER });
    const thread = await api.createThread({
      messages: [{ role: 'user', content: `Add the columns ${m}`, attachments: [{ file_id: input.id, tools: [{ type: 'code_interpreter' }] }] }],
    });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    await expectCsvRoundTrip(api, files, run, m, input);
  });

  it("reads a CSV from the assistant's tool_resources.code_interpreter.file_ids", async () => {
    const { api, files, v6, m } = await ciSetup('csv-resources', major);
    const input = await files.upload(CSV, 'data.csv');
    const assistant = await v6.beta.assistants.create({
      model: 'gpt-4o-mini',
      tools: [{ type: 'code_interpreter' }],
      tool_resources: { code_interpreter: { file_ids: [input.id] } },
    });
    expect(assistant.tool_resources).toEqual({ code_interpreter: { file_ids: [input.id] } });
    await pushScripts(m, python(CSV_CODE), { text: ANSWER });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Add the columns ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    await expectCsvRoundTrip(api, files, run, m, input);
  });
});
