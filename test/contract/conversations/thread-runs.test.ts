// An Assistants thread with messages and a completed run that called a function, read as conversation
// items (docs/conversations.md §3): the user's message, the run's function_call and
// function_call_output (from its tool step), then the assistant's answer, in that order; the run lock
// refuses new items while the run waits for its tool output.
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { expectApiError } from '../fixtures.js';
import { marker, runFixture } from '../runs/run-support.js';

describe('an Assistants thread as a conversation', () => {
  it('shows messages and a run\'s function call and output as items, in order', async () => {
    const fx = await runFixture('conv-thread-run', { tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] });
    const client: OpenAI = fx.v6;
    const m = marker('conv-run');
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: `Weather in Paris? ${m}` }] });
    await pushScripts(m, { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] }, { text: 'It is sunny in Paris.' });

    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: fx.assistant.id });
    expect(run.status).toBe('requires_action');
    const callId = run.required_action!.submit_tool_outputs.tool_calls[0]!.id;

    // While the run waits for its output, the conversation is locked like the thread.
    await expectApiError(client.conversations.items.create(thread.id, { items: [{ role: 'user', content: 'x' }] }), {
      status: 400,
      message: `Can't add items to ${thread.id} while a run ${run.id} is active.`,
    });
    const waiting = await client.conversations.items.list(thread.id, { order: 'asc' });
    expect(waiting.data.map((i) => [i.type, (i as { status?: string }).status])).toEqual([['message', 'completed'], ['function_call', 'in_progress']]);

    const done = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, { thread_id: thread.id, tool_outputs: [{ tool_call_id: callId, output: '{"sky":"sunny"}' }] });
    expect(done.status).toBe('completed');

    const messages = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
    expect(messages.data.map((x) => x.role)).toEqual(['user', 'assistant']);
    const items = await client.conversations.items.list(thread.id, { order: 'asc' });
    expect(items.data).toEqual([
      { type: 'message', id: messages.data[0]!.id, status: 'completed', role: 'user', content: [{ type: 'input_text', text: `Weather in Paris? ${m}` }] },
      { type: 'function_call', id: expect.stringMatching(/^fc_/), status: 'completed', call_id: callId, name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', id: expect.stringMatching(/^fco_/), status: 'completed', call_id: callId, output: '{"sky":"sunny"}' },
      { type: 'message', id: messages.data[1]!.id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'It is sunny in Paris.', annotations: [], logprobs: [] }] },
    ]);
    // Newest first is the same list reversed, and the derived items page and retrieve like stored ones.
    const desc = await client.conversations.items.list(thread.id, { limit: 2 });
    expect(desc.data.map((i) => i.id)).toEqual([items.data[3]!.id, items.data[2]!.id]);
    const rest = await client.conversations.items.list(thread.id, { after: desc.last_id! });
    expect(rest.data.map((i) => i.id)).toEqual([items.data[1]!.id, items.data[0]!.id]);
    expect(await client.conversations.items.retrieve(items.data[1]!.id!, { conversation_id: thread.id })).toEqual(items.data[1]);
    await expectApiError(client.conversations.items.delete(items.data[2]!.id!, { conversation_id: thread.id }), { status: 400 });

    // After the run, items may be added again; they follow the run's answer.
    const added = await client.conversations.items.create(thread.id, { items: [{ role: 'user', content: 'Thanks' }] });
    const tail = await client.conversations.items.list(thread.id, { order: 'asc', after: items.data[3]!.id! });
    expect(tail.data.map((i) => i.id)).toEqual([added.data[0]!.id]);
    expectNoContractViolations();
  });
});
