// The Containers API (docs/containers.md) through SDK v6 and v7: create (with a File copied in and
// `expires_after`), retrieve, list (cursor pages, `name` filter), delete; container files uploaded
// (multipart `file`) or copied (`file_id`), listed, retrieved, downloaded and deleted. Another project's
// container is a 404, as if missing; bad input is an OpenAI-shaped 400, also for a response's
// code_interpreter tool. The copied documents do not describe /containers: shapes are checked here as
// OpenAI's API reference gives them.
import { afterAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type OpenAI from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { expectApiError } from '../fixtures.js';
import { MODEL, RESPONSE_MAJORS, responsesFixture } from '../responses/support.js';

afterAll(() => expectNoContractViolations());

const CONTAINER = {
  id: expect.stringMatching(/^cntr_/),
  object: 'container',
  created_at: expect.any(Number),
  status: 'running',
  expires_after: { anchor: 'last_active_at', minutes: 20 },
  last_active_at: expect.any(Number),
  memory_limit: '1g',
  name: expect.any(String),
};

async function bytesOf(client: OpenAI, containerId: string, fileId: string): Promise<string> {
  return Buffer.from(await (await client.containers.files.content.retrieve(fileId, { container_id: containerId })).arrayBuffer()).toString('utf8');
}

describe.each(RESPONSE_MAJORS)('containers (SDK %s)', (major) => {
  it('CRUD: create with a file and expires_after, retrieve, list with pages and a name filter, delete', async () => {
    const { client } = await responsesFixture(`containers-crud-${major}`, major);
    const file = await client.files.create({ file: await toFile(Buffer.from('x,y\n1,2\n'), 'input.csv'), purpose: 'assistants' });
    const a = await client.containers.create({ name: 'alpha', file_ids: [file.id], expires_after: { anchor: 'last_active_at', minutes: 45 }, memory_limit: '4g' });
    expect(a).toEqual({ ...CONTAINER, name: 'alpha', memory_limit: '4g', expires_after: { anchor: 'last_active_at', minutes: 45 } });
    const b = await client.containers.create({ name: 'beta' });
    expect(b).toEqual({ ...CONTAINER, name: 'beta' });
    expect(await client.containers.retrieve(a.id)).toEqual(a);

    // The File was copied in at /mnt/data/<filename>.
    const [copied] = (await client.containers.files.list(a.id)).data;
    expect(copied).toEqual({ id: expect.stringMatching(/^cfile_/), object: 'container.file', container_id: a.id, created_at: expect.any(Number), bytes: 8, path: '/mnt/data/input.csv', source: 'user' });
    expect(await bytesOf(client, a.id, copied!.id)).toBe('x,y\n1,2\n');

    const first = await client.containers.list({ limit: 1 });
    expect(first.data.map((c) => c.id)).toEqual([b.id]);
    expect(first.has_more).toBe(true);
    const all = [];
    for await (const c of client.containers.list({ limit: 1, order: 'asc' })) all.push(c.id);
    expect(all).toEqual([a.id, b.id]);
    expect((await client.containers.list({ name: 'alpha' })).data.map((c) => c.id)).toEqual([a.id]);

    await client.containers.delete(a.id);
    await expectApiError(client.containers.retrieve(a.id), { status: 404, message: `No container found with id '${a.id}'.` });
    expect((await client.containers.list()).data.map((c) => c.id)).toEqual([b.id]);
  });

  it('files: upload, copy by file_id, list, retrieve, download, delete; the same path replaces the file', async () => {
    const { client } = await responsesFixture(`containers-files-${major}`, major);
    const c = await client.containers.create({ name: 'files' });
    const up = await client.containers.files.create(c.id, { file: await toFile(Buffer.from('hello container'), 'notes.txt') });
    expect(up).toEqual({ id: expect.stringMatching(/^cfile_/), object: 'container.file', container_id: c.id, created_at: expect.any(Number), bytes: 15, path: '/mnt/data/notes.txt', source: 'user' });
    const file = await client.files.create({ file: await toFile(Buffer.from('{"k":1}'), 'data.json'), purpose: 'assistants' });
    const copied = await client.containers.files.create(c.id, { file_id: file.id });
    expect(copied).toMatchObject({ container_id: c.id, bytes: 7, path: '/mnt/data/data.json', source: 'user' });

    const listed = await client.containers.files.list(c.id, { order: 'asc' });
    expect(listed.data.map((f) => f.id)).toEqual([up.id, copied.id]);
    expect(await client.containers.files.retrieve(up.id, { container_id: c.id })).toEqual(up);
    expect(await bytesOf(client, c.id, up.id)).toBe('hello container');
    expect(await bytesOf(client, c.id, copied.id)).toBe('{"k":1}');

    const again = await client.containers.files.create(c.id, { file: await toFile(Buffer.from('v2'), 'notes.txt') });
    expect(again).toMatchObject({ id: up.id, bytes: 2 });
    expect(await bytesOf(client, c.id, up.id)).toBe('v2');

    await client.containers.files.delete(up.id, { container_id: c.id });
    await expectApiError(client.containers.files.retrieve(up.id, { container_id: c.id }), { status: 404 });
    expect((await client.containers.files.list(c.id)).data.map((f) => f.id)).toEqual([copied.id]);
  });

  it("another project's container is missing: 404 on every route, 400 as a response's container", async () => {
    const { client: owner } = await responsesFixture(`containers-owner-${major}`, major);
    const { client } = await responsesFixture(`containers-other-${major}`, major);
    const c = await owner.containers.create({ name: 'private' });
    const f = await owner.containers.files.create(c.id, { file: await toFile(Buffer.from('secret'), 's.txt') });
    const missing = { status: 404, message: `No container found with id '${c.id}'.` };
    await expectApiError(client.containers.retrieve(c.id), missing);
    await expectApiError(client.containers.delete(c.id), missing);
    await expectApiError(client.containers.files.list(c.id), missing);
    await expectApiError(client.containers.files.retrieve(f.id, { container_id: c.id }), missing);
    await expectApiError(client.containers.files.content.retrieve(f.id, { container_id: c.id }), missing);
    await expectApiError(client.containers.files.create(c.id, { file: await toFile(Buffer.from('x'), 'x.txt') }), missing);
    expect((await client.containers.list()).data).toEqual([]);
    await expectApiError(client.responses.create({ model: MODEL, input: 'hi', tools: [{ type: 'code_interpreter', container: c.id }] }), {
      status: 400, param: 'tools[0].container', message: `Container with id '${c.id}' not found.`,
    });
    // Still there for its owner.
    expect(await owner.containers.retrieve(c.id)).toMatchObject({ id: c.id, status: 'running' });
  });

  it('bad input: OpenAI-shaped 400s naming the field', async () => {
    const { client } = await responsesFixture(`containers-bad-${major}`, major);
    const bad = (body: unknown) => client.containers.create(body as OpenAI.Containers.ContainerCreateParams);
    await expectApiError(bad({}), { status: 400, param: 'name' });
    await expectApiError(bad({ name: 'x', expires_after: { anchor: 'last_active_at', minutes: 0 } }), { status: 400, param: 'expires_after.minutes' });
    await expectApiError(bad({ name: 'x', expires_after: { anchor: 'created_at', minutes: 5 } }), { status: 400, param: 'expires_after.anchor' });
    await expectApiError(bad({ name: 'x', memory_limit: '2g' }), { status: 400, param: 'memory_limit' });
    await expectApiError(bad({ name: 'x', file_ids: ['file-doesnotexist'] }), { status: 404, param: 'file_ids', message: "No file found with id 'file-doesnotexist'." });
    await expectApiError(bad({ name: 'x', frobnicate: 1 }), { status: 400, param: 'frobnicate' });
    const c = await client.containers.create({ name: 'ok' });
    await expectApiError(client.containers.files.create(c.id, {}), { status: 400, param: 'file_id' });
    await expectApiError(client.containers.files.create(c.id, { file_id: 'file-doesnotexist' }), { status: 404, param: 'file_id' });
    await expectApiError(client.containers.retrieve('nope'), { status: 400, param: 'container_id' });

    const tool = (container: unknown) => client.responses.create({ model: MODEL, input: 'hi', tools: [{ type: 'code_interpreter', container } as never] });
    await expectApiError(tool('not-a-container'), { status: 400, param: 'tools[0].container' });
    await expectApiError(tool({ type: 'auto', file_ids: ['file-doesnotexist'] }), { status: 400, param: 'tools[0].container.file_ids' });
    await expectApiError(tool({ type: 'auto', memory_limit: '3g' }), { status: 400, param: /^tools\[0\]\.container/ });
    await expectApiError(tool(undefined), { status: 400, param: 'tools[0].container' });
    await expectApiError(tool('cntr_doesnotexist'), { status: 400, param: 'tools[0].container', message: "Container with id 'cntr_doesnotexist' not found." });
  });
});
