// Ids inside tool_resources and image_file parts are checked when written (issue 17 item 9), as OpenAI
// does: an unknown id, or another project's, is a 404 "No file found with id ..." / "No vector store
// found with id ...", and nothing is written.
import { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, missingId, newProject, type TestProject } from './fixtures.js';

describe('ids named in tool_resources and image_file parts', () => {
  let mine: TestProject;
  let theirs: TestProject;
  let theirFile: string;
  let theirStore: string;
  let myFile: string;
  let myStore: string;
  beforeAll(async () => {
    [mine, theirs] = await Promise.all([newProject('ids-mine'), newProject('ids-theirs')]);
    theirFile = (await theirs.v6.files.create({ file: await toFile(Buffer.from('theirs'), 't.txt'), purpose: 'assistants' })).id;
    theirStore = (await theirs.v6.vectorStores.create({ name: 'theirs' })).id;
    myFile = (await mine.v6.files.create({ file: await toFile(Buffer.from('mine'), 'm.txt'), purpose: 'assistants' })).id;
    myStore = (await mine.v6.vectorStores.create({ name: 'mine' })).id;
  });

  const fileMissing = (id: string) => ({ status: 404, message: `No file found with id '${id}'.`, param: 'tool_resources.code_interpreter.file_ids' });
  const storeMissing = (id: string) => ({ status: 404, message: `No vector store found with id '${id}'.`, param: 'tool_resources.file_search.vector_store_ids' });

  it('assistants: create and update refuse unknown and foreign ids, and write nothing', async () => {
    const unknownFile = missingId('file-');
    const unknownStore = missingId('vs_');
    const api = mine.v6.beta.assistants;
    await expectApiError(api.create({ model: 'gpt-4o-mini', tool_resources: { code_interpreter: { file_ids: [unknownFile] } } }), fileMissing(unknownFile));
    await expectApiError(api.create({ model: 'gpt-4o-mini', tool_resources: { code_interpreter: { file_ids: [myFile, theirFile] } } }), fileMissing(theirFile));
    await expectApiError(api.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [unknownStore] } } }), storeMissing(unknownStore));
    await expectApiError(api.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [theirStore] } } }), storeMissing(theirStore));
    expect((await api.list()).data).toEqual([]);

    const ok = await api.create({ model: 'gpt-4o-mini', tool_resources: { code_interpreter: { file_ids: [myFile] }, file_search: { vector_store_ids: [myStore] } } });
    await expectApiError(api.update(ok.id, { tool_resources: { file_search: { vector_store_ids: [theirStore] } } }), storeMissing(theirStore));
    expect((await api.retrieve(ok.id)).tool_resources).toEqual({ code_interpreter: { file_ids: [myFile] }, file_search: { vector_store_ids: [myStore] } });
  });

  it('threads: create, update and createAndRun refuse foreign ids; a thread that was refused does not exist', async () => {
    const threads = mine.v6.beta.threads;
    await expectApiError(threads.create({ tool_resources: { code_interpreter: { file_ids: [theirFile] } } }), fileMissing(theirFile));
    const t = await threads.create({ tool_resources: { code_interpreter: { file_ids: [myFile] } } });
    await expectApiError(threads.update(t.id, { tool_resources: { file_search: { vector_store_ids: [theirStore] } } }), storeMissing(theirStore));
    expect((await threads.retrieve(t.id)).tool_resources).toEqual({ code_interpreter: { file_ids: [myFile] } });
    const asst = await mine.v6.beta.assistants.create({ model: 'gpt-4o-mini' });
    await expectApiError(
      threads.createAndRun({ assistant_id: asst.id, thread: { tool_resources: { file_search: { vector_store_ids: [theirStore] } } } }),
      storeMissing(theirStore),
    );
    await expectApiError(threads.createAndRun({ assistant_id: asst.id, tool_resources: { code_interpreter: { file_ids: [theirFile] } } }), fileMissing(theirFile));
  });

  it('messages: an image_file part naming an unknown or foreign file is a 404, and no message is written', async () => {
    const t = await mine.v6.beta.threads.create();
    const unknown = missingId('file-');
    for (const id of [unknown, theirFile]) {
      await expectApiError(
        mine.v6.beta.threads.messages.create(t.id, { role: 'user', content: [{ type: 'image_file', image_file: { file_id: id } }] }),
        { status: 404, message: `No file found with id '${id}'.` },
      );
      await expectApiError(
        mine.v6.beta.threads.create({ messages: [{ role: 'user', content: [{ type: 'image_file', image_file: { file_id: id } }] }] }),
        { status: 404, message: `No file found with id '${id}'.` },
      );
    }
    expect((await mine.v6.beta.threads.messages.list(t.id)).data).toEqual([]);
  });
});
