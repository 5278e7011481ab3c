// Non-streaming runs with both SDK majors: createAndPoll, createAndRunPoll, the full Run object
// (docs/openai-behaviour.md §2.5), the run's message, runs list/retrieve/update, steps list/retrieve (§2.6),
// additional_messages, and what the worker sends upstream (system prompt, history, sampling, formats).
import { describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { MAJORS, runsApi } from './majors.js';
import { marker, runFixture } from './run-support.js';

const textOf = (m: { content: unknown[] }) => (m.content as { text?: { value: string } }[]).map((c) => c.text?.value ?? '').join('');

describe.each(MAJORS)('plain runs (SDK %s)', (major) => {
  async function setup(label: string, assistant: Record<string, unknown> = {}) {
    const fx = await runFixture(`plain-${label}-${major}`, assistant);
    return { ...fx, api: runsApi(fx, major), m: marker(`${label}-${major}`) };
  }

  it('createAndPoll: every Run field, usage summed, instructions + additional_instructions, defaults', async () => {
    const { api, assistant, m } = await setup('fields');
    await pushScripts(m, { text: 'Bonjour.', usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `hi ${m}` }] });
    const run = await api.createAndPoll(thread.id, {
      assistant_id: assistant.id,
      additional_instructions: 'Answer in French.',
      metadata: { purpose: 'contract' },
    });
    expect(run).toEqual({
      id: expect.stringMatching(/^run_[A-Za-z0-9]+$/),
      object: 'thread.run',
      created_at: expect.any(Number),
      thread_id: thread.id,
      assistant_id: assistant.id,
      status: 'completed',
      required_action: null,
      last_error: null,
      expires_at: null,
      started_at: expect.any(Number),
      cancelled_at: null,
      failed_at: null,
      completed_at: expect.any(Number),
      incomplete_details: null,
      model: 'gpt-4o-mini',
      instructions: expect.stringMatching(/^You are terse\.\s*Answer in French\.$/),
      tools: [],
      metadata: { purpose: 'contract' },
      usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
      temperature: 1,
      top_p: 1,
      max_prompt_tokens: null,
      max_completion_tokens: null,
      truncation_strategy: { type: 'auto', last_messages: null },
      tool_choice: 'auto',
      parallel_tool_calls: true,
      response_format: 'auto',
      // Extra fields are allowed by the schema (docs/openai-behaviour.md §2.5 notes tool_resources on real payloads).
      ...Object.fromEntries(Object.keys(run).filter((k) => ['tool_resources', 'reasoning_effort'].includes(k)).map((k) => [k, (run as never)[k]])),
    });
    expect(run.started_at!).toBeGreaterThanOrEqual(run.created_at);
    expect(run.completed_at!).toBeGreaterThanOrEqual(run.started_at!);
    expect(Math.abs(run.created_at - Date.now() / 1000)).toBeLessThan(300);

    const [req, ...more] = await upstreamRequests(m);
    expect(more).toHaveLength(0);
    expect(req!.path).toBe('/v1/chat/completions');
    expect(req!.body.model).toBe('gpt-4o-mini');
    expect(req!.body.messages).toEqual([
      { role: 'system', content: run.instructions },
      { role: 'user', content: `hi ${m}` },
    ]);
    expect(req!.body).not.toHaveProperty('max_completion_tokens');
    expect(req!.body).not.toHaveProperty('max_tokens');
    expect(req!.body).not.toHaveProperty('tools');
    expect(req!.body).not.toHaveProperty('response_format');

    // The reply: run_id/assistant_id, newest first in the default (desc) order, and the run_id filter.
    const all = await api.listMessages(thread.id);
    expect(all.data.map((x) => x.role)).toEqual(['assistant', 'user']);
    const reply = all.data[0]!;
    expect(reply).toMatchObject({
      object: 'thread.message', thread_id: thread.id, role: 'assistant', status: 'completed',
      run_id: run.id, assistant_id: assistant.id, incomplete_details: null, incomplete_at: null,
      content: [{ type: 'text', text: { value: 'Bonjour.', annotations: [] } }],
    });
    expect(reply.completed_at).toEqual(expect.any(Number));
    expect(all.data[1]!.run_id).toBeNull();
    const own = await api.listMessages(thread.id, { run_id: run.id });
    expect(own.data).toEqual([reply]);
    expect(await api.retrieveMessage(thread.id, reply.id)).toEqual(reply);

    // retrieve / list / update.
    expect(await api.retrieve(thread.id, run.id)).toEqual(run);
    const runs = await api.list(thread.id);
    expect(runs.data).toEqual([run]);
    expect(runs.has_more).toBe(false);
    const updated = await api.update(thread.id, run.id, { metadata: { purpose: 'changed', extra: '1' } });
    expect(updated).toEqual({ ...run, metadata: { purpose: 'changed', extra: '1' } });
    expect(await api.retrieve(thread.id, run.id)).toEqual(updated);

    // Steps: one message_creation step pointing at the reply, with the call's usage.
    const steps = await api.listSteps(thread.id, run.id);
    expect(steps.data).toHaveLength(1);
    const step = steps.data[0]!;
    expect(step).toEqual({
      id: expect.stringMatching(/^step_[A-Za-z0-9]+$/),
      object: 'thread.run.step',
      created_at: expect.any(Number),
      assistant_id: assistant.id,
      thread_id: thread.id,
      run_id: run.id,
      type: 'message_creation',
      status: 'completed',
      step_details: { type: 'message_creation', message_creation: { message_id: reply.id } },
      last_error: null,
      expired_at: null,
      cancelled_at: null,
      failed_at: null,
      completed_at: expect.any(Number),
      metadata: {},
      usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
      ...('expires_at' in step ? { expires_at: null } : {}),
    });
    expect(await api.retrieveStep(thread.id, run.id, step.id)).toEqual(step);
    expectNoContractViolations();
  });

  it('threads.createAndRunPoll: run.thread_id is the new thread, which holds the message and the reply', async () => {
    const { api, assistant, m } = await setup('car');
    await pushScripts(m, { text: 'Created and ran.' });
    const run = await api.createAndRunPoll({
      assistant_id: assistant.id,
      thread: { messages: [{ role: 'user', content: `start ${m}` }], metadata: { t: '1' } },
      metadata: { r: '1' },
    });
    expect(run.status).toBe('completed');
    expect(run.thread_id).toMatch(/^thread_[A-Za-z0-9]+$/);
    expect(run.metadata).toEqual({ r: '1' });
    expect(run.usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
      total_tokens: run.usage!.prompt_tokens + run.usage!.completion_tokens,
    });
    const msgs = await api.listMessages(run.thread_id, { order: 'asc' });
    expect(msgs.data.map((x) => [x.role, textOf(x)])).toEqual([
      ['user', `start ${m}`],
      ['assistant', 'Created and ran.'],
    ]);
    expect(msgs.data[1]!.run_id).toBe(run.id);
    expect((await api.list(run.thread_id)).data.map((r) => r.id)).toEqual([run.id]);
  });

  it('run overrides: model, instructions, sampling, json_schema response_format, max_completion_tokens reach upstream', async () => {
    const { api, assistant, m } = await setup('overrides', { temperature: 0.5, top_p: 0.8 });
    await pushScripts(m, { text: '{"answer":42}' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `json please ${m}` }] });
    const responseFormat = {
      type: 'json_schema' as const,
      json_schema: { name: 'answer', schema: { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'], additionalProperties: false }, strict: true },
    };
    const run = await api.createAndPoll(thread.id, {
      assistant_id: assistant.id,
      model: 'gpt-4o',
      instructions: 'Only JSON.',
      temperature: 0.2,
      top_p: 0.9,
      response_format: responseFormat,
      max_completion_tokens: 300,
    });
    expect(run).toMatchObject({
      status: 'completed', model: 'gpt-4o', instructions: 'Only JSON.', temperature: 0.2, top_p: 0.9,
      response_format: responseFormat, max_completion_tokens: 300, max_prompt_tokens: null,
    });
    const [req] = await upstreamRequests(m);
    expect(req!.body).toMatchObject({ model: 'gpt-4o', temperature: 0.2, top_p: 0.9, response_format: responseFormat, max_completion_tokens: 300 });
    expect(req!.body.messages[0]).toEqual({ role: 'system', content: 'Only JSON.' });
  });

  it("the assistant's temperature / top_p / response_format are the run's defaults and reach upstream", async () => {
    const { api, assistant, m } = await setup('asst-defaults', { temperature: 0.5, top_p: 0.8, response_format: { type: 'json_object' } });
    await pushScripts(m, { text: '{}' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `json ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect(run).toMatchObject({ status: 'completed', temperature: 0.5, top_p: 0.8, response_format: { type: 'json_object' } });
    const [req] = await upstreamRequests(m);
    expect(req!.body).toMatchObject({ temperature: 0.5, top_p: 0.8, response_format: { type: 'json_object' } });
  });

  it('additional_messages are added to the thread before the run; upstream gets the whole history in order', async () => {
    const { api, assistant, m } = await setup('additional');
    await pushScripts(m, { text: 'Fifth.' });
    const thread = await api.createThread({
      messages: [
        { role: 'user', content: 'First.' },
        { role: 'assistant', content: 'Second.' },
        { role: 'user', content: 'Third.' },
      ],
    });
    await api.createMessage(thread.id, { role: 'assistant', content: 'Fourth (added later).' });
    const run = await api.createAndPoll(thread.id, {
      assistant_id: assistant.id,
      additional_messages: [
        { role: 'user', content: `Extra one ${m}` },
        { role: 'user', content: [{ type: 'text', text: 'Extra two.' }], metadata: { k: 'v' } },
      ],
    });
    expect(run.status).toBe('completed');
    const msgs = await api.listMessages(thread.id, { order: 'asc' });
    expect(msgs.data.map((x) => [x.role, textOf(x)])).toEqual([
      ['user', 'First.'],
      ['assistant', 'Second.'],
      ['user', 'Third.'],
      ['assistant', 'Fourth (added later).'],
      ['user', `Extra one ${m}`],
      ['user', 'Extra two.'],
      ['assistant', 'Fifth.'],
    ]);
    expect(msgs.data[5]!.metadata).toEqual({ k: 'v' });
    expect(msgs.data[6]!.run_id).toBe(run.id);
    // Only the run's own reply carries its run_id when filtering.
    expect((await api.listMessages(thread.id, { run_id: run.id })).data.map((x) => x.role)).toEqual(['assistant']);
    const [req] = await upstreamRequests(m);
    expect(req!.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'First.' },
      { role: 'assistant', content: 'Second.' },
      { role: 'user', content: 'Third.' },
      { role: 'assistant', content: 'Fourth (added later).' },
      { role: 'user', content: `Extra one ${m}` },
      { role: 'user', content: 'Extra two.' },
    ]);
  });

  it('a second run on the thread sees the first run\'s reply in its history; runs.list is newest first', async () => {
    const { api, assistant, m } = await setup('two-runs');
    await pushScripts(m, { text: 'Reply one.' }, { text: 'Reply two.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `q1 ${m}` }] });
    const r1 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    await api.createMessage(thread.id, { role: 'user', content: 'q2' });
    const r2 = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expect([r1.status, r2.status]).toEqual(['completed', 'completed']);
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.body.messages.slice(1)).toEqual([
      { role: 'user', content: `q1 ${m}` },
      { role: 'assistant', content: 'Reply one.' },
      { role: 'user', content: 'q2' },
    ]);
    expect((await api.list(thread.id)).data.map((r) => r.id)).toEqual([r2.id, r1.id]);
    const first = await api.list(thread.id, { order: 'asc', limit: 1 });
    expect([first.data.map((r) => r.id), first.has_more]).toEqual([[r1.id], true]);
    const next = await api.list(thread.id, { order: 'asc', limit: 1, after: r1.id });
    expect([next.data.map((r) => r.id), next.has_more]).toEqual([[r2.id], false]);
    expect((await api.listMessages(thread.id, { run_id: r2.id })).data.map(textOf)).toEqual(['Reply two.']);
  });
});
