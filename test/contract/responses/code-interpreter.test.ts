// code_interpreter in the Responses API (docs/responses.md "Hosted tools", docs/containers.md), with SDK v6
// and v7. The scripted model calls the `python` function with `{code}`, then answers linking the file the code
// wrote as `sandbox:/mnt/data/<name>`. Checked: the `code_interpreter_call` item (code, container_id, status,
// outputs only with `include: ["code_interpreter_call.outputs"]`: logs and the chart as an image URL); the
// `container_file_citation` annotation, whose file downloads through the Containers API; the `auto`
// container listed by `containers.list`; a container named by id reused by two responses (its files and the
// files of the first response are there); the stream events in OpenAI's order. Every body and event is
// validated against the document.
import { afterAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type OpenAI from 'openai';
import type { ResponseCodeInterpreterToolCall, ResponseOutputMessage, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expectNoContractViolations, expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { collect } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

afterAll(() => expectNoContractViolations());

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHART_AND_CSV = [
  'import matplotlib.pyplot as plt',
  'plt.plot([1, 2, 3], [1, 4, 9])',
  'plt.show()',
  "open('/mnt/data/squares.csv', 'w').write('n,sq\\n1,1\\n2,4\\n3,9\\n')",
  "print('squares written')",
].join('\n');
const ANSWER = 'Here is the chart, and the table: [squares.csv](sandbox:/mnt/data/squares.csv).';
const LINK = 'sandbox:/mnt/data/squares.csv';

const python = (code: string, id?: string) => ({ toolCalls: [{ name: 'python', arguments: JSON.stringify({ code }), ...(id ? { id } : {}) }] });
const ciItem = (r: { output: unknown[] }) => r.output[0] as ResponseCodeInterpreterToolCall;
const message = (r: { output: unknown[] }) => r.output.at(-1) as ResponseOutputMessage;
const textPart = (r: { output: unknown[] }) => message(r).content[0] as unknown as { text: string; annotations: Record<string, unknown>[] };

async function download(client: OpenAI, containerId: string, fileId: string): Promise<Buffer> {
  return Buffer.from(await (await client.containers.files.content.retrieve(fileId, { container_id: containerId })).arrayBuffer());
}

describe.each(RESPONSE_MAJORS)('code_interpreter in responses (SDK %s)', (major) => {
  it('create with an auto container: the call\'s code, logs and chart; the written file cited and downloadable', async () => {
    const { client } = await responsesFixture(`resp-ci-${major}`, major);
    const m = marker(`resp-ci-${major}`);
    await pushScripts(m, python(CHART_AND_CSV, 'call_ci1'), { text: ANSWER });
    const response = await client.responses.create({
      model: MODEL,
      input: `Plot squares and save them ${m}`,
      tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
      include: ['code_interpreter_call.outputs'],
    });
    expect(response.status, JSON.stringify(response.error)).toBe('completed');
    expect(response.output.map((o) => o.type)).toEqual(['code_interpreter_call', 'message']);
    const call = ciItem(response);
    expect(call).toMatchObject({ type: 'code_interpreter_call', status: 'completed', code: CHART_AND_CSV, container_id: expect.stringMatching(/^cntr_/) });
    expect(call.id).toMatch(/^ci_/);
    expect(call.outputs!.map((o) => o.type)).toEqual(['logs', 'image']);
    expect(call.outputs![0]).toEqual({ type: 'logs', logs: 'squares written\n' });
    const url = (call.outputs![1] as { url: string }).url;
    expect(url).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(response.tools).toEqual([{ type: 'code_interpreter', container: { type: 'auto' } }]);

    // The answer's link is a container_file_citation of the file the code wrote.
    const text = textPart(response);
    expect(text.text).toBe(ANSWER);
    expect(text.annotations).toEqual([{
      type: 'container_file_citation', container_id: call.container_id, file_id: expect.stringMatching(/^cfile_/), filename: 'squares.csv',
      start_index: ANSWER.indexOf(LINK), end_index: ANSWER.indexOf(LINK) + LINK.length,
    }]);
    const fileId = text.annotations[0]!.file_id as string;
    expect((await download(client, call.container_id, fileId)).toString('utf8')).toBe('n,sq\n1,1\n2,4\n3,9\n');

    // The auto container is listed; its files are the CSV and the chart, written by the code.
    const containers = await client.containers.list();
    expect(containers.data.map((c) => c.id)).toContain(call.container_id);
    const files = (await client.containers.files.list(call.container_id)).data;
    expect(files.map((f) => [f.path, f.source]).sort()).toEqual([[`/mnt/data/${call.id}-0.png`, 'assistant'], ['/mnt/data/squares.csv', 'assistant']]);
    const png = files.find((f) => f.path.endsWith('.png'))!;
    const pngBytes = await download(client, call.container_id, png.id);
    expect(pngBytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(pngBytes.length).toBe(png.bytes);

    // Upstream: the tool offered as the `python` function; the model read the logs and the saved paths.
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    expect((reqs[0]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['python']);
    const toolMsg = reqs[1]!.body.messages.find((x: { role: string }) => x.role === 'tool');
    expect(toolMsg.tool_call_id).toBe('call_ci1');
    expect(toolMsg.content).toContain('squares written');
    expect(toolMsg.content).toContain(LINK);

    // Stored: retrieve returns the same output.
    expect((await client.responses.retrieve(response.id)).output).toEqual(response.output);
  });

  it('without include the call has no outputs; "auto" as a string creates a container too', async () => {
    const { client } = await responsesFixture(`resp-ci-noinc-${major}`, major);
    const m = marker(`resp-ci-noinc-${major}`);
    await pushScripts(m, python('print(6 * 7)'), { text: 'It is 42.' });
    const response = await client.responses.create({ model: MODEL, input: `6 times 7? ${m}`, tools: [{ type: 'code_interpreter', container: 'auto' }] });
    expect(ciItem(response)).toMatchObject({ status: 'completed', code: 'print(6 * 7)', outputs: null, container_id: expect.stringMatching(/^cntr_/) });
    expect(response.output_text).toBe('It is 42.');
    expect(textPart(response).annotations).toEqual([]);
    const toolMsg = (await upstreamRequests(m))[1]!.body.messages.find((x: { role: string }) => x.role === 'tool');
    expect(toolMsg.content).toBe('42');
    expect((await client.containers.retrieve(ciItem(response).container_id)).status).toBe('running');
  });

  it('create({stream: true}): the call\'s events in OpenAI\'s order, then the cited answer', async () => {
    const { client } = await responsesFixture(`resp-ci-stream-${major}`, major);
    const m = marker(`resp-ci-stream-${major}`);
    await pushScripts(m, python(CHART_AND_CSV), { text: ANSWER });
    const events = await collect(await client.responses.create({ model: MODEL, input: `Plot ${m}`, tools: [{ type: 'code_interpreter', container: { type: 'auto' } }], stream: true }));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 9)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added',
      'response.code_interpreter_call.in_progress', 'response.code_interpreter_call_code.delta', 'response.code_interpreter_call_code.done',
      'response.code_interpreter_call.interpreting', 'response.code_interpreter_call.completed', 'response.output_item.done',
    ]);
    expect(types.at(-1)).toBe('response.completed');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const added = events[2] as Extract<ResponseStreamEvent, { type: 'response.output_item.added' }>;
    expect(added.item).toMatchObject({ type: 'code_interpreter_call', status: 'in_progress', code: '', outputs: null });
    const delta = events[4] as Extract<ResponseStreamEvent, { type: 'response.code_interpreter_call_code.delta' }>;
    expect(delta).toMatchObject({ output_index: 0, item_id: added.item.id, delta: CHART_AND_CSV });
    expect(events[5]).toMatchObject({ item_id: added.item.id, code: CHART_AND_CSV });
    const done = events[8] as Extract<ResponseStreamEvent, { type: 'response.output_item.done' }>;
    expect(done.item).toMatchObject({ id: added.item.id, type: 'code_interpreter_call', status: 'completed', code: CHART_AND_CSV, outputs: null });
    const partDone = events.find((e) => e.type === 'response.content_part.done') as Extract<ResponseStreamEvent, { type: 'response.content_part.done' }>;
    expect(partDone.part).toMatchObject({ text: ANSWER, annotations: [{ type: 'container_file_citation', filename: 'squares.csv' }] });
    await expectNoStreamErrors();
  });

  it('a container named by id: its uploaded file is in /mnt/data, and a second response sees what the first wrote', async () => {
    const { client } = await responsesFixture(`resp-ci-reuse-${major}`, major);
    const container = await client.containers.create({ name: 'analysis' });
    await client.containers.files.create(container.id, { file: await toFile(Buffer.from('a,b\n1,2\n3,4\n'), 'data.csv') });
    const m1 = marker(`resp-ci-reuse1-${major}`);
    await pushScripts(m1, python("import pandas as pd\ndf = pd.read_csv('/mnt/data/data.csv')\ndf.sum().to_csv('/mnt/data/sums.csv')\nprint(int(df.a.sum()), int(df.b.sum()))"), { text: 'Summed.' });
    const first = await client.responses.create({ model: MODEL, input: `Sum ${m1}`, tools: [{ type: 'code_interpreter', container: container.id }], include: ['code_interpreter_call.outputs'] });
    expect(ciItem(first)).toMatchObject({ status: 'completed', container_id: container.id, outputs: [{ type: 'logs', logs: '4 6\n' }] });

    const m2 = marker(`resp-ci-reuse2-${major}`);
    await pushScripts(m2, python("print(open('/mnt/data/sums.csv').read())"), { text: 'Read.' });
    const second = await client.responses.create({ model: MODEL, input: `Read ${m2}`, tools: [{ type: 'code_interpreter', container: container.id }], include: ['code_interpreter_call.outputs'] });
    expect(ciItem(second).container_id).toBe(container.id);
    expect((ciItem(second).outputs![0] as { logs: string }).logs).toContain('a,4');
    const paths = (await client.containers.files.list(container.id)).data.map((f) => [f.path, f.source]).sort();
    expect(paths).toEqual([['/mnt/data/data.csv', 'user'], ['/mnt/data/sums.csv', 'assistant']]);
    // No second container was made.
    expect((await client.containers.list()).data.map((c) => c.id)).toEqual([container.id]);
  });

  it('code that raises: the call is failed, the model reads the traceback and answers', async () => {
    const { client } = await responsesFixture(`resp-ci-err-${major}`, major);
    const m = marker(`resp-ci-err-${major}`);
    await pushScripts(m, python('1 / 0'), { text: 'That divides by zero.' });
    const response = await client.responses.create({ model: MODEL, input: `Divide ${m}`, tools: [{ type: 'code_interpreter', container: 'auto' }], include: ['code_interpreter_call.outputs'] });
    expect(response.status).toBe('completed');
    expect(ciItem(response).status).toBe('failed');
    expect((ciItem(response).outputs![0] as { logs: string }).logs).toContain('ZeroDivisionError');
    expect(response.output_text).toBe('That divides by zero.');
  });
});
