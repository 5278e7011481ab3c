// Issue 11 "Done when": an Assistants thread with a completed run (user message, a function call the
// client answered through submit_tool_outputs, the assistant's answer) is continued through
// `responses.create({ conversation: thread.id })`; the model receives the whole history in order, and
// the threads API and the conversation's items show the new turn (docs/responses.md "Conversation state").
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { expectApiError } from '../fixtures.js';
import { runFixture } from '../runs/run-support.js';
import { MODEL, marker, RESPONSE_MAJORS } from './support.js';

const GET_WEATHER = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe.each(RESPONSE_MAJORS)('a thread continued as a conversation by responses (SDK %s)', (major) => {
  it('sends the run\'s whole history to the model and adds the new turn to the thread', async () => {
    const fx = await runFixture(`resp-conv-thread-${major}`, { tools: [GET_WEATHER] });
    const client = (major === 'v6' ? fx.v6 : fx.v7) as unknown as OpenAI;
    const m = marker(`conv-thread-${major}`);
    const thread = await fx.v6.beta.threads.create({ messages: [{ role: 'user', content: `Weather in Paris? ${m}` }] });
    await pushScripts(m,
      { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { text: 'It is sunny in Paris.' },
      { text: 'Rain tomorrow.' });
    const run = await fx.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: fx.assistant.id });
    expect(run.status).toBe('requires_action');
    const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id;

    // While the run waits for its tool output the conversation is locked: a response is refused.
    await expectApiError(client.responses.create({ model: MODEL, conversation: thread.id, input: 'x' }), {
      status: 400, message: `Conversation ${thread.id} already has an active run ${run.id}.`,
    });
    const done = await fx.v6.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: callId, output: '{"sky":"sunny"}' }] });
    expect(done.status).toBe('completed');

    const response = await client.responses.create({ model: MODEL, conversation: thread.id, input: 'And tomorrow?' });
    expect(response).toMatchObject({ status: 'completed', conversation: { id: thread.id }, previous_response_id: null });
    expect(response.output_text).toBe('Rain tomorrow.');

    const requests = await upstreamRequests(m);
    expect(requests).toHaveLength(3);
    expect(requests[2]!.body.messages).toEqual([
      { role: 'user', content: `Weather in Paris? ${m}` },
      expect.objectContaining({ role: 'assistant', tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }),
      { role: 'tool', tool_call_id: callId, content: '{"sky":"sunny"}' },
      { role: 'assistant', content: 'It is sunny in Paris.' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
    expect(requests[2]!.body.messages[1].content ?? null).toBeNull();

    // The threads API shows the new turn as two messages; the conversation as two more items.
    const messages = await fx.v6.beta.threads.messages.list(thread.id, { order: 'asc' });
    expect(messages.data.map((x) => [x.role, x.content[0]!.type === 'text' ? x.content[0]!.text.value : null])).toEqual([
      ['user', `Weather in Paris? ${m}`], ['assistant', 'It is sunny in Paris.'], ['user', 'And tomorrow?'], ['assistant', 'Rain tomorrow.'],
    ]);
    const items = await client.conversations.items.list(thread.id, { order: 'asc' });
    expect(items.data.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message', 'message', 'message']);
    expect(items.data.slice(4)).toEqual([
      { type: 'message', id: messages.data[2]!.id, status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'And tomorrow?' }] },
      { type: 'message', id: messages.data[3]!.id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Rain tomorrow.', annotations: [], logprobs: [] }] },
    ]);
    // The response's own input items are listed as before.
    const input = await client.responses.inputItems.list(response.id);
    expect(input.data).toEqual([{ id: expect.stringMatching(/^msg_/), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'And tomorrow?' }] }]);
    expect(await client.responses.retrieve(response.id)).toMatchObject({ conversation: { id: thread.id } });

    // The lock is released: a run may start on the thread again.
    await pushScripts(m, { text: 'Done.' });
    const next = await fx.v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: fx.assistant.id });
    expect(next.status).toBe('completed');
    expectNoContractViolations();
  });
});
