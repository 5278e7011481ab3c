// client.beta.assistants, from the point of view of an app that used OpenAI and now points the official SDK
// (v6 and v4) at us: every v2 field round-trips, update is partial, delete then 404 like OpenAI.
// Listing and pagination: assistants-list.test.ts.
import { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AssistantCreateParams } from 'openai/resources/beta/assistants';
import { expectNoContractViolations } from '../support/clients.js';
import { collect, expectApiError, MAJORS, missingId, newProject, notFoundMessage, type Sdk, type TestProject } from './fixtures.js';

// tool_resources must name the project's own files and vector stores (checked on write, as OpenAI does):
// each project gets real ones in beforeAll.
let FILE_ID = '';
let FILE_ID_2 = '';
let VECTOR_STORE_ID = '';

const WEATHER_FN = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
    required: ['city'],
  },
  strict: false,
};

/** Every field CreateAssistantRequest has except reasoning_effort (o-series only, tested below). */
const FULL: AssistantCreateParams = {
  model: 'gpt-4o',
  name: 'Contract math tutor',
  description: 'Answers maths questions',
  instructions: 'You are a personal math tutor. Answer briefly.',
  tools: [
    { type: 'code_interpreter' },
    { type: 'file_search', file_search: { max_num_results: 7, ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0.25 } } },
    { type: 'function', function: WEATHER_FN },
    { type: 'function', function: { name: 'ping' } }, // no description, no parameters
  ],
  // Set in beforeAll, once the project's file and vector store exist.
  tool_resources: {},
  metadata: { team: 'contract', ticket: '2' },
  temperature: 0.7,
  top_p: 0.9,
  response_format: { type: 'text' },
};

const RESPONSE_FORMATS: NonNullable<AssistantCreateParams['response_format']>[] = [
  'auto',
  { type: 'text' },
  { type: 'json_object' },
  {
    type: 'json_schema',
    json_schema: {
      name: 'answer',
      description: 'The final answer',
      strict: true,
      schema: {
        type: 'object',
        properties: { answer: { type: 'number' }, steps: { type: 'array', items: { type: 'string' } } },
        required: ['answer', 'steps'],
        additionalProperties: false,
      },
    },
  },
];

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(MAJORS)('assistants (SDK %s)', (major) => {
  let p: TestProject;
  let sdk: Sdk;
  beforeAll(async () => {
    p = await newProject(`assistants-${major}`);
    sdk = p.sdk[major];
    FILE_ID = (await p.v6.files.create({ file: await toFile(Buffer.from('print(1)'), 'a.py'), purpose: 'assistants' })).id;
    FILE_ID_2 = (await p.v6.files.create({ file: await toFile(Buffer.from('print(2)'), 'b.py'), purpose: 'assistants' })).id;
    VECTOR_STORE_ID = (await p.v6.vectorStores.create({ name: 'contract' })).id;
    FULL.tool_resources = { code_interpreter: { file_ids: [FILE_ID] }, file_search: { vector_store_ids: [VECTOR_STORE_ID] } };
  });

  it('create with every v2 field: the response and retrieve carry each field as sent', async () => {
    const created = await sdk.assistants.create(FULL);
    expect(created.id).toMatch(/^asst_[A-Za-z0-9]+$/);
    expect(created.object).toBe('assistant');
    expect(Number.isInteger(created.created_at)).toBe(true);
    expect(Math.abs(created.created_at - nowSeconds())).toBeLessThan(300); // seconds, not ms
    expect(created).toMatchObject({
      model: 'gpt-4o',
      name: FULL.name,
      description: FULL.description,
      instructions: FULL.instructions,
      metadata: { team: 'contract', ticket: '2' },
      temperature: 0.7,
      top_p: 0.9,
      response_format: { type: 'text' },
    });
    expect(created.metadata).toEqual(FULL.metadata);
    // OpenAI may add defaults inside a tool (e.g. file_search.ranking_options); what was sent must survive.
    expect(created.tools).toHaveLength(4);
    expect(created.tools).toMatchObject(FULL.tools!);
    expect(created.tool_resources).toEqual(FULL.tool_resources);

    const fetched = await sdk.assistants.retrieve(created.id);
    expect(fetched).toEqual(created);
    expectNoContractViolations();
  });

  it('a minimal assistant gets OpenAI defaults: nulls, [] tools, {} metadata, temperature/top_p 1, response_format auto', async () => {
    const a = await sdk.assistants.create({ model: 'gpt-4o-mini' });
    expect(a).toMatchObject({
      object: 'assistant',
      model: 'gpt-4o-mini',
      name: null,
      description: null,
      instructions: null,
      tools: [],
      metadata: {},
      temperature: 1,
      top_p: 1,
      response_format: 'auto',
    });
    // Spec: tool_resources is nullable; OpenAI's examples show {} for an assistant without resources.
    expect([null, {}]).toContainEqual(a.tool_resources);
    expect(await sdk.assistants.retrieve(a.id)).toEqual(a);
  });

  it.each(RESPONSE_FORMATS.map((f) => [JSON.stringify(f).slice(0, 40), f] as const))('response_format %s round-trips', async (_, format) => {
    const a = await sdk.assistants.create({ model: 'gpt-4o', response_format: format, tools: [{ type: 'function', function: { name: 'f' } }] });
    expect(a.response_format).toEqual(format);
    expect((await sdk.assistants.retrieve(a.id)).response_format).toEqual(format);
  });

  it('reasoning_effort is accepted on create and update for a reasoning model', async () => {
    const a = await sdk.assistants.create({ model: 'o3-mini', reasoning_effort: 'low', name: 'thinker' });
    expect(a.model).toBe('o3-mini');
    // AssistantObject in the spec has no reasoning_effort; if the server echoes it, it must be the value sent.
    const echoed = (x: object) => (x as { reasoning_effort?: unknown }).reasoning_effort;
    if (echoed(a) !== undefined) expect(echoed(a)).toBe('low');
    const u = await sdk.assistants.update(a.id, { reasoning_effort: 'high' });
    if (echoed(u) !== undefined) expect(echoed(u)).toBe('high');
    expect(u.name).toBe('thinker');
  });

  it('update is partial: only the given fields change', async () => {
    const a = await sdk.assistants.create(FULL);

    const renamed = await sdk.assistants.update(a.id, { name: 'Renamed tutor' });
    expect(renamed).toEqual({ ...a, name: 'Renamed tutor' });

    const retuned = await sdk.assistants.update(a.id, { temperature: 0.2, top_p: 0.5, model: 'gpt-4o-mini' });
    expect(retuned).toEqual({ ...a, name: 'Renamed tutor', temperature: 0.2, top_p: 0.5, model: 'gpt-4o-mini' });

    const reformatted = await sdk.assistants.update(a.id, { response_format: { type: 'json_object' } });
    expect(reformatted.response_format).toEqual({ type: 'json_object' });

    // An empty update changes nothing (the SDK sends `{}`).
    const same = await sdk.assistants.update(a.id, {});
    expect(same).toEqual(reformatted);
    expect(await sdk.assistants.retrieve(a.id)).toEqual(same);
    expect(same.id).toBe(a.id);
    expect(same.created_at).toBe(a.created_at);
  });

  it('update replaces tools, tool_resources and metadata with the given values', async () => {
    const a = await sdk.assistants.create(FULL);
    const u = await sdk.assistants.update(a.id, {
      tools: [{ type: 'code_interpreter' }],
      tool_resources: { code_interpreter: { file_ids: [FILE_ID_2] } },
      metadata: { team: 'contract', stage: 'updated' },
    });
    expect(u.tools).toEqual([{ type: 'code_interpreter' }]);
    expect(u.tool_resources?.code_interpreter?.file_ids).toEqual([FILE_ID_2]);
    expect(u.metadata).toMatchObject({ team: 'contract', stage: 'updated' });
    expect(u.name).toBe(FULL.name);
    expect(await sdk.assistants.retrieve(a.id)).toEqual(u);

    const noTools = await sdk.assistants.update(a.id, { tools: [] });
    expect(noTools.tools).toEqual([]);
  });

  it('update with null clears the nullable fields (name, description, instructions)', async () => {
    const a = await sdk.assistants.create(FULL);
    const u = await sdk.assistants.update(a.id, { name: null, description: null, instructions: null });
    expect(u).toMatchObject({ name: null, description: null, instructions: null, model: 'gpt-4o', temperature: 0.7, top_p: 0.9 });
    expect(u.tools).toEqual(a.tools);
    expect(u.metadata).toEqual(a.metadata);
    expect(await sdk.assistants.retrieve(a.id)).toEqual(u);

    // tool_resources is nullable too: null removes the resources.
    const cleared = await sdk.assistants.update(a.id, { tool_resources: null });
    expect([null, {}]).toContainEqual(cleared.tool_resources);
  });

  it("delete returns {id, object:'assistant.deleted', deleted:true}; afterwards retrieve/update/delete are 404", async () => {
    const a = await sdk.assistants.create({ model: 'gpt-4o', name: 'to delete' });
    expect(await sdk.assistants.delete(a.id)).toEqual({ id: a.id, object: 'assistant.deleted', deleted: true });

    const missing = { status: 404, message: notFoundMessage('assistant', a.id), type: 'invalid_request_error', code: null, param: null };
    await expectApiError(sdk.assistants.retrieve(a.id), missing);
    await expectApiError(sdk.assistants.update(a.id, { name: 'zombie' }), missing);
    await expectApiError(sdk.assistants.delete(a.id), missing);
    const all = await collect(sdk.assistants.list({ limit: 100 }));
    expect(all.map((x) => x.id)).not.toContain(a.id);
  });

  it('an id that never existed is a 404 with the same wording, and a NotFoundError with the request id', async () => {
    const id = missingId('asst_');
    const err = await expectApiError(sdk.assistants.retrieve(id), { status: 404, message: notFoundMessage('assistant', id), code: null, param: null });
    expect(err.message).toBe(`404 No assistant found with id '${id}'.`);
    expect((err as Error).constructor.name).toBe('NotFoundError');
  });
});
