// Project-wide export (admin key): JSON Lines of the project, its assistants, files, vector stores and
// their files, and every thread as a thread export document.
import { beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { admin, adminKey, baseURL, expectErrorResponse, missingId, newProject, type TestProject } from './fixtures.js';

describe('GET /v1/organization/projects/{id}/export', () => {
  let p: TestProject;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    p = await newProject('export-project');
    ids.assistant = (await p.v6.beta.assistants.create({ model: 'gpt-4o-mini', name: 'exported' })).id;
    ids.file = (await p.v6.files.create({ file: await toFile(Buffer.from('hello'), 'a.txt'), purpose: 'assistants' })).id;
    ids.store = (await p.v6.vectorStores.create({ name: 'exported store', file_ids: [ids.file] })).id;
    for (let i = 0; i < 3; i++) {
      ids[`thread${i}`] = (await p.v6.beta.threads.create({ messages: [{ role: 'user', content: `thread ${i}` }] })).id;
    }
  });

  it('streams the project as JSON Lines', async () => {
    // Plain fetch: the validating one expects a JSON body on success, and this one is JSON Lines.
    const res = await fetch(`${baseURL()}/organization/projects/${p.projectId}/export`, { headers: { authorization: `Bearer ${adminKey()}` } });
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/jsonl/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: any });
    expect(lines.map((l) => l.type)).toEqual(['project', 'assistant', 'file', 'vector_store', 'vector_store_file', 'thread', 'thread', 'thread']);
    expect(lines[0]!.data).toMatchObject({ id: p.projectId, object: 'organization.project' });
    expect(lines[1]!.data).toMatchObject({ id: ids.assistant, name: 'exported' });
    expect(lines[2]!.data).toMatchObject({ id: ids.file, filename: 'a.txt' });
    expect(lines[3]!.data).toMatchObject({ id: ids.store });
    expect(lines[4]!.data).toMatchObject({ id: ids.file, vector_store_id: ids.store });
    expect(lines.slice(5).map((l) => l.data.thread.id)).toEqual([ids.thread0, ids.thread1, ids.thread2]);
    expect(lines[5]!.data).toMatchObject({ object: 'thread.export', messages: [{ content: [{ text: { value: 'thread 0' } }] }] });
  });

  it('is for the admin key only; unknown and malformed project ids are refused', async () => {
    const asProject = await p.raw(`/organization/projects/${p.projectId}/export`);
    await expectErrorResponse(asProject, { status: 403, code: 'insufficient_permissions' });
    const noKey = await p.raw(`/organization/projects/${p.projectId}/export`, { apiKey: null });
    await expectErrorResponse(noKey, { status: 401 });
    await expectErrorResponse((await admin(`/organization/projects/${missingId('proj_')}/export`)).res, { status: 404 });
    await expectErrorResponse((await admin('/organization/projects/nope/export')).res, { status: 400, param: 'project_id' });
  });
});
