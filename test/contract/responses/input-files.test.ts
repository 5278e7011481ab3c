// input_file parts of a response's input reach the model as the file's extracted text (docs/responses.md
// "Input files"): an uploaded text file and PDF (file_id), file_data; a missing file id, a file_url and an
// unsupported type are 400s naming the part. Through SDK v6 and v7; bodies validated against the document.
import { describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { buildPdf } from '../../unit/retrieval/fixtures.js';
import { expectApiError } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

describe.each(RESPONSE_MAJORS)('responses input_file (SDK %s)', (major) => {
  it('sends the text of uploaded text and PDF files, and of file_data, to the model', async () => {
    const { client } = await responsesFixture(`resp-files-${major}`, major);
    const m = marker(`files-${major}`);
    await pushScripts(m, { text: 'Read them.' });
    const txt = await client.files.create({ file: await toFile(Buffer.from('The launch code is 7731.\n'), 'notes.txt'), purpose: 'user_data' });
    const pdf = await client.files.create({ file: await toFile(Buffer.from(buildPdf([['Quarterly revenue grew 12 percent.']])), 'report.pdf'), purpose: 'user_data' });
    const response = await client.responses.create({
      model: MODEL,
      input: [{ role: 'user', content: [
        { type: 'input_text', text: `Summarise ${m}` },
        { type: 'input_file', file_id: txt.id },
        { type: 'input_file', file_id: pdf.id },
        { type: 'input_file', filename: 'inline.csv', file_data: `data:text/csv;base64,${Buffer.from('city,temp\nOslo,3\n').toString('base64')}` },
      ] }],
    });
    expect(response.status).toBe('completed');
    const [upstream] = await upstreamRequests(m);
    const content = upstream!.body.messages[0].content as string;
    expect(content).toContain('<file name="notes.txt">\nThe launch code is 7731.\n');
    expect(content).toMatch(/<file name="report\.pdf">\n[^<]*Quarterly revenue grew 12 percent\.[^<]*\n<\/file>/);
    expect(content).toContain('<file name="inline.csv">\n');
    expect(content).toContain('Oslo');
    expect(content).not.toContain('could not be loaded');
    // The stored input keeps the parts as given (OpenAI lists them as sent).
    const items = await client.responses.inputItems.list(response.id);
    expect((items.data[0] as { content: unknown[] }).content[1]).toMatchObject({ type: 'input_file', file_id: txt.id });
    expectNoContractViolations();
  });

  it('sends an earlier turn\'s file again through previous_response_id, and names it once the file is deleted', async () => {
    const { client } = await responsesFixture(`resp-files-chain-${major}`, major);
    const m = marker(`files-chain-${major}`);
    await pushScripts(m, { text: 'Noted.' }, { text: 'Still noted.' }, { text: 'Gone.' });
    const file = await client.files.create({ file: await toFile(Buffer.from('Meeting moved to Thursday.'), 'memo.md'), purpose: 'user_data' });
    const first = await client.responses.create({ model: MODEL, input: [{ role: 'user', content: [{ type: 'input_text', text: m }, { type: 'input_file', file_id: file.id }] }] });
    const second = await client.responses.create({ model: MODEL, previous_response_id: first.id, input: `And? ${m}` });
    await client.files.delete(file.id);
    const third = await client.responses.create({ model: MODEL, previous_response_id: second.id, input: `Again? ${m}` });
    expect(third.status).toBe('completed');
    const [, again, gone] = await upstreamRequests(m);
    expect(again!.body.messages[0].content).toContain('<file name="memo.md">\nMeeting moved to Thursday.\n</file>');
    expect(gone!.body.messages[0].content).toContain(`[file ${file.id} could not be loaded]`);
  });

  it('refuses a missing file id, a file_url and an unsupported type with a 400 naming the part', async () => {
    const { client } = await responsesFixture(`resp-files-bad-${major}`, major);
    const m = marker(`files-bad-${major}`);
    await expectApiError(client.responses.create({
      model: MODEL, input: [{ role: 'user', content: [{ type: 'input_text', text: m }, { type: 'input_file', file_id: 'file-doesnotexist000000000' }] }],
    }), { status: 400, param: 'input[0].content[1].file_id', message: "Invalid 'input[0].content[1].file_id': file 'file-doesnotexist000000000' not found." });
    await expectApiError(client.responses.create({
      model: MODEL, input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] }],
    }), { status: 400, param: 'input[0].content[0].file_url' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8b1f50000000049454e44ae426082', 'hex');
    const image = await client.files.create({ file: await toFile(png, 'pixel.png'), purpose: 'user_data' });
    await expectApiError(client.responses.create({
      model: MODEL, input: [{ role: 'user', content: [{ type: 'input_file', file_id: image.id }] }],
    }), { status: 400, param: 'input[0].content[0]', code: 'unsupported_file' });
    await expectApiError(client.responses.create({
      model: MODEL, input: [{ role: 'user', content: [{ type: 'input_file', filename: 'a.txt', file_data: 'not a data url' }] }],
    }), { status: 400, param: 'input[0].content[0].file_data' });
    expect(await upstreamRequests(m)).toEqual([]);
    expectNoContractViolations();
  });
});

describe.each(RESPONSE_MAJORS)('responses usage details (SDK %s)', (major) => {
  it('reports the cached and reasoning tokens the provider reported, and the cached ones in the usage API', async () => {
    const { client, raw } = await responsesFixture(`resp-usage-details-${major}`, major);
    const start_time = Math.floor(Date.now() / 1000) - 60;
    const m = marker(`usage-details-${major}`);
    await pushScripts(m, { text: 'Cached.', usage: { prompt_tokens: 2000, completion_tokens: 90, cached_tokens: 1536, reasoning_tokens: 64 } });
    const response = await client.responses.create({ model: MODEL, input: `Hi ${m}` });
    expect(response.usage).toEqual({
      input_tokens: 2000, input_tokens_details: expect.objectContaining({ cached_tokens: 1536 }),
      output_tokens: 90, output_tokens_details: { reasoning_tokens: 64 }, total_tokens: 2090,
    });
    expect((await client.responses.retrieve(response.id)).usage).toEqual(response.usage);
    type Page = { data: { results: { input_tokens: number; input_cached_tokens: number; output_tokens: number }[] }[] };
    const page = (await (await raw(`/organization/usage/completions?start_time=${start_time}&end_time=${start_time + 3600}&bucket_width=1d`)).json()) as Page;
    expect(page.data.flatMap((b) => b.results), JSON.stringify(page)).toEqual([expect.objectContaining({ input_tokens: 2000, input_cached_tokens: 1536, output_tokens: 90 })]);
    expectNoContractViolations();
  });
});
