// Background responses (docs/responses.md "Background"): `background: true` answers `queued` at once and
// the response runs in its Durable Object; cancel; `GET ?stream=true&starting_after=N` replays the stored
// events after N and follows the live ones.
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expectNoStreamErrors } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { collect, expectApiError } from '../fixtures.js';
import { MODEL, marker, RESPONSE_MAJORS, responsesFixture } from './support.js';

/** Polls (as the SDK's users do) until the response leaves queued/in_progress. */
async function settled(client: OpenAI, id: string) {
  for (;;) {
    const r = await client.responses.retrieve(id);
    if (r.status !== 'queued' && r.status !== 'in_progress') return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(RESPONSE_MAJORS)('background responses (SDK %s)', (major) => {
  it('answers queued at once, completes in the background, and replays its events after starting_after', async () => {
    const { client } = await responsesFixture(`resp-bg-${major}`, major);
    const m = marker(`bg-${major}`);
    await pushScripts(m, { text: 'Done in the background.', chunkSize: 6 });
    const queued = await client.responses.create({ model: MODEL, input: `Work ${m}`, background: true });
    expect(queued).toMatchObject({ status: 'queued', background: true, output: [] });
    const done = await settled(client, queued.id);
    expect(done).toMatchObject({ status: 'completed', background: true });
    expect(done.output_text).toBe('Done in the background.');

    const all = await collect(await client.responses.retrieve(queued.id, { stream: true }));
    expect(all[0]!.type).toBe('response.created');
    expect(all.at(-1)!.type).toBe('response.completed');
    const after = await collect(await client.responses.retrieve(queued.id, { stream: true, starting_after: 3 }));
    expect(after.map((e) => e.sequence_number)).toEqual(all.slice(4).map((e) => e.sequence_number));
    expect(after).toEqual(all.slice(4));
    await expectNoStreamErrors();
  });

  it('a replay of a running response follows the live events to the end', async () => {
    const { client } = await responsesFixture(`resp-live-${major}`, major);
    const m = marker(`live-${major}`);
    await pushScripts(m, { text: 'Slowly arriving text.', chunkSize: 3, chunkDelayMs: 60 });
    const queued = await client.responses.create({ model: MODEL, input: `Slow ${m}`, background: true });
    const events = await collect(await client.responses.retrieve(queued.id, { stream: true }));
    const types = events.map((e) => e.type);
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(1);
    const text = events.filter((e): e is Extract<ResponseStreamEvent, { type: 'response.output_text.delta' }> => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    expect(text).toBe('Slowly arriving text.');
    await expectNoStreamErrors();
  });

  it('an upstream that never answers (keep-alives only) fails the response at the call limit, as runs', async () => {
    // The contract worker runs with MODEL_CALL_TIMEOUT_SECONDS=6 (test/support/global-setup.ts).
    const { client } = await responsesFixture(`resp-drip-${major}`, major);
    const m = marker(`drip-${major}`);
    await pushScripts(m, { drip: true, everyMs: 200 });
    const queued = await client.responses.create({ model: MODEL, input: `Drip ${m}`, background: true });
    const done = await settled(client, queued.id);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'The model call took longer than 6 seconds and was abandoned.' } });
  });

  it('cancels a running background response; a synchronous one cannot be cancelled', async () => {
    const { client } = await responsesFixture(`resp-cancel-${major}`, major);
    const m = marker(`cancel-${major}`);
    await pushScripts(m, { hang: true }, { text: 'Sync.' });
    const queued = await client.responses.create({ model: MODEL, input: `Hang ${m}`, background: true });
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled', background: true });
    expect((await client.responses.retrieve(queued.id)).status).toBe('cancelled');
    // Cancelling again returns it as it is.
    expect((await client.responses.cancel(queued.id)).status).toBe('cancelled');

    const sync = await client.responses.create({ model: MODEL, input: `Sync ${m}` });
    await expectApiError(client.responses.cancel(sync.id), { status: 400, message: 'Cannot cancel a synchronous response.' });
  });
});
