// Bad input to /v1/responses: OpenAI-shaped 400s/404s, checked through the SDK and raw requests.
import { describe, expect, it } from 'vitest';
import { expectApiError, expectErrorResponse, json, missingId } from '../fixtures.js';
import { MODEL, responsesFixture } from './support.js';

describe('responses: bad input', () => {
  it('refuses what OpenAI refuses, with its messages', async () => {
    const { client, raw } = await responsesFixture('resp-bad', 'v6');
    const unknownPrev = missingId('resp_');
    await expectApiError(client.responses.create({ model: MODEL, input: 'x', previous_response_id: unknownPrev }), {
      status: 400, code: 'previous_response_not_found', param: 'previous_response_id', message: `Previous response with id '${unknownPrev}' not found.`,
    });
    await expectApiError(client.responses.create({ model: MODEL, input: 'x', previous_response_id: unknownPrev, conversation: 'conv_abc' }), {
      status: 400, param: 'conversation', message: /Mutually exclusive parameters/,
    });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: 'x', bogus: 1 })), { status: 400, message: "Unknown parameter: 'bogus'.", param: 'bogus' });
    await expectErrorResponse(await raw('/responses', json({ input: 'x' })), { status: 400, message: "Missing required parameter: 'model'.", param: 'model' });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: 'x', temperature: 3 })), { status: 400, param: 'temperature' });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: 'x', tools: [{ type: 'web_search_preview_x' }] })), { status: 400, param: /^tools\[0\]/ });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: [{ type: 'function_call_output', call_id: 'call_nope', output: 'x' }] })), {
      status: 400, param: 'input', message: 'No tool call found for function call output with call_id call_nope.',
    });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: 'x', text: { format: { type: 'json_schema', name: 'n' } } })), { status: 400, param: 'text.format.schema' });
    await expectErrorResponse(await raw('/responses', json({ model: MODEL, input: 'x', background: true, store: false })), { status: 400, param: 'background' });
    await expectApiError(client.responses.retrieve(missingId('resp_')), { status: 404 });
    await expectErrorResponse(await raw('/responses/thread_abc'), { status: 400, param: 'response_id' });
    await expectApiError(client.responses.inputItems.list(missingId('resp_')), { status: 404 });
    await expectApiError(client.responses.cancel(missingId('resp_')), { status: 404 });
  });

  it('another project cannot see a response', async () => {
    const a = await responsesFixture('resp-tenant-a', 'v6');
    const b = await responsesFixture('resp-tenant-b', 'v6');
    const response = await a.client.responses.create({ model: MODEL, input: 'mine' });
    await expectApiError(b.client.responses.retrieve(response.id), { status: 404 });
    await expectApiError(b.client.responses.delete(response.id), { status: 404 });
    await expectApiError(b.client.responses.create({ model: MODEL, input: 'x', previous_response_id: response.id }), { status: 400, code: 'previous_response_not_found' });
    expect((await a.client.responses.retrieve(response.id)).id).toBe(response.id);
  });
});
