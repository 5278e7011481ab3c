import { describe, expect, it } from 'vitest';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { marker, runFixture } from './run-support.js';

describe('runs smoke', () => {
  it('createAndPoll completes with the upstream text', async () => {
    const { v6, assistant } = await runFixture('smoke');
    const m = marker('smoke');
    await pushScripts(m, { text: 'Hello there, friend.', chunkSize: 5 });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `hi ${m}` }] });
    const t0 = Date.now();
    const run = await v6.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
    console.log('run took', Date.now() - t0, 'ms', run.status, run.last_error);
    expect(run.status).toBe('completed');
    const msgs = await v6.beta.threads.messages.list(thread.id);
    expect(msgs.data[0]!.content[0]).toEqual({ type: 'text', text: { value: 'Hello there, friend.', annotations: [] } });
    const reqs = await upstreamRequests(m);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.body.messages[0]).toEqual({ role: 'system', content: 'You are terse.' });
  });

  it('streams', async () => {
    const { v6, assistant } = await runFixture('smoke-stream');
    const m = marker('stream');
    await pushScripts(m, { text: 'Streaming works fine.', chunkSize: 4 });
    const thread = await v6.beta.threads.create({ messages: [{ role: 'user', content: `hi ${m}` }] });
    const stream = v6.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const events: string[] = [];
    stream.on('event', (e) => events.push(e.event));
    const final = await stream.finalRun();
    console.log(events.join(' '));
    expect(final.status).toBe('completed');
    expect((await stream.finalMessages())[0]!.content[0]).toMatchObject({ text: { value: 'Streaming works fine.' } });
  });
});
