// WebSocket mode of the Responses API (docs/responses.md "WebSocket mode"): `response.create` messages on
// `wss://…/v1/responses` answered by the streaming events, one text frame each, every frame validated
// against ResponseStreamEvent of OpenAI's document (websocket-support.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { pushScripts, upstreamRequests } from '../../support/upstream-control.js';
import { MODEL, marker, responsesFixture } from './support.js';
import { ResponsesSocket, socketURL, textOf, upgradeAnswer, type Frame } from './websocket-support.js';

/** The events of a one-chunk text answer (the scripts send their text in one chunk). */
const TEXT_EVENTS = [
  'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
  'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
];

const open: ResponsesSocket[] = [];
async function connect(apiKey: string): Promise<ResponsesSocket> {
  const socket = await ResponsesSocket.open(apiKey);
  open.push(socket);
  return socket;
}

afterEach(() => {
  for (const socket of open.splice(0)) {
    expect(socket.problems).toEqual([]);
    socket.close();
  }
});

const idOf = (frames: Frame[]) => frames[0]!.response!.id;

describe('responses over a WebSocket', () => {
  it('answers several response.create messages in turn on one connection with the streaming events', async () => {
    const { key } = await responsesFixture('resp-ws-turns', 'v6');
    const socket = await connect(key.apiKey);
    const ids: string[] = [];
    for (const word of ['one', 'two', 'three']) {
      const m = marker(`ws-turn-${word}`);
      await pushScripts(m, { text: `Turn ${word}.`, chunkSize: 100 });
      const frames = await socket.turn({ type: 'response.create', model: MODEL, input: `Say ${word} ${m}` });
      expect(frames.map((f) => f.type)).toEqual(TEXT_EVENTS);
      expect(frames.map((f) => f.sequence_number)).toEqual(frames.map((_, i) => i));
      expect(textOf(frames)).toBe(`Turn ${word}.`);
      ids.push(idOf(frames));
    }
    expect(new Set(ids).size).toBe(3);
  });

  it('continues a store: false response on the same connection with previous_response_id', async () => {
    const { key, client } = await responsesFixture('resp-ws-chain', 'v6');
    const socket = await connect(key.apiKey);
    const m = marker('ws-chain');
    await pushScripts(m, { text: 'Noted, your name is Ada.' }, { text: 'Your name is Ada.' });
    const first = await socket.turn({ type: 'response.create', model: MODEL, store: false, input: `My name is Ada ${m}` });
    expect(first.at(-1)!.type).toBe('response.completed');
    const second = await socket.turn({ type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(first), input: `What is my name? ${m}` });
    expect(second.at(-1)!.type).toBe('response.completed');
    expect(textOf(second)).toBe('Your name is Ada.');
    // The model saw the first turn's input and output before the second input.
    const [, continued] = await upstreamRequests(m);
    const messages = (continued!.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(messages.map((x) => x.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(messages[1]!.content)).toContain('Noted, your name is Ada.');
    // Not stored: over HTTP it does not exist.
    await expect(client.responses.retrieve(idOf(first))).rejects.toMatchObject({ status: 404 });
  });

  it('on a new connection an unstored previous_response_id is previous_response_not_found, and the connection stays usable', async () => {
    const { key } = await responsesFixture('resp-ws-reconnect', 'v6');
    const m = marker('ws-reconnect');
    await pushScripts(m, { text: 'First.' }, { text: 'Fresh start.', chunkSize: 100 });
    const first = await connect(key.apiKey);
    const frames = await first.turn({ type: 'response.create', model: MODEL, store: false, input: `Hello ${m}` });
    first.close();
    const second = await connect(key.apiKey);
    const refused = await second.turn({ type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(frames), input: `Again ${m}` });
    expect(refused).toEqual([expect.objectContaining({ type: 'error', code: 'previous_response_not_found', param: 'previous_response_id' })]);
    const fresh = await second.turn({ type: 'response.create', model: MODEL, store: false, input: `Start over ${m}` });
    expect(fresh.map((f) => f.type)).toEqual(TEXT_EVENTS);
    expect(textOf(fresh)).toBe('Fresh start.');
  });

  it('drops a failed turn from the connection\'s chain', async () => {
    const { key } = await responsesFixture('resp-ws-evict', 'v6');
    const socket = await connect(key.apiKey);
    const m = marker('ws-evict');
    await pushScripts(m, { text: 'Kept.' }, { status: 400, body: { error: { message: 'Bad prompt upstream.', type: 'invalid_request_error', param: null, code: null } } });
    const kept = await socket.turn({ type: 'response.create', model: MODEL, store: false, input: `Keep ${m}` });
    // A function_call_output that answers no call: refused before any response exists.
    const orphan = await socket.turn({
      type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(kept),
      input: [{ type: 'function_call_output', call_id: 'call_nothing', output: '42' }],
    });
    expect(orphan).toEqual([expect.objectContaining({ type: 'error', param: 'input' })]);
    // A response that fails upstream ends with response.failed and cannot be continued.
    const failed = await socket.turn({ type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(kept), input: `Fail ${m}` });
    expect(failed.at(-1)).toMatchObject({ type: 'response.failed' });
    const after = await socket.turn({ type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(failed), input: `After ${m}` });
    expect(after).toEqual([expect.objectContaining({ type: 'error', code: 'previous_response_not_found' })]);
    // The good turn is still there to continue from.
    await pushScripts(m, { text: 'Continued.' });
    const continued = await socket.turn({ type: 'response.create', model: MODEL, store: false, previous_response_id: idOf(kept), input: `Go on ${m}` });
    expect(textOf(continued)).toBe('Continued.');
  });

  it('refuses a second response.create while one is in progress with an error event, not interleaved', async () => {
    const { key } = await responsesFixture('resp-ws-busy', 'v6');
    const socket = await connect(key.apiKey);
    const m = marker('ws-busy');
    await pushScripts(m, { text: 'Slow answer.', chunkSize: 100, delayMs: 500 });
    socket.send({ type: 'response.create', model: MODEL, input: `Slow ${m}` });
    socket.send({ type: 'response.create', model: MODEL, input: `Too soon ${m}` });
    const refused = await socket.untilEnd();
    expect(refused.at(-1)).toMatchObject({ type: 'error', code: 'response_in_progress' });
    const answered = [...refused.slice(0, -1), ...(await socket.untilEnd())];
    expect(answered.map((f) => f.type)).toEqual(TEXT_EVENTS);
    expect(textOf(answered)).toBe('Slow answer.');
    expect(await upstreamRequests(m)).toHaveLength(1);
  });

  it('answers bad JSON and an unknown message type with an error event and keeps the connection', async () => {
    const { key } = await responsesFixture('resp-ws-bad', 'v6');
    const socket = await connect(key.apiKey);
    expect(await socket.turn('{not json')).toEqual([expect.objectContaining({ type: 'error', code: 'invalid_json', param: null })]);
    expect(await socket.turn({ type: 'session.update' })).toEqual([expect.objectContaining({ type: 'error', code: 'unknown_message_type', param: 'type' })]);
    expect(await socket.turn({ type: 'response.create', model: MODEL })).toEqual([expect.objectContaining({ type: 'error', code: 'missing_required_parameter', param: 'input' })]);
    const m = marker('ws-bad');
    await pushScripts(m, { text: 'Still here.' });
    expect(textOf(await socket.turn({ type: 'response.create', model: MODEL, input: `Hi ${m}` }))).toBe('Still here.');
  });

  it('continues a stored response from another connection, as over HTTP', async () => {
    const { key } = await responsesFixture('resp-ws-stored', 'v6');
    const m = marker('ws-stored');
    await pushScripts(m, { text: 'Stored.' }, { text: 'Continued from D1.' });
    const first = await connect(key.apiKey);
    const stored = await first.turn({ type: 'response.create', model: MODEL, input: `Remember ${m}` });
    first.close();
    const second = await connect(key.apiKey);
    const next = await second.turn({ type: 'response.create', model: MODEL, previous_response_id: idOf(stored), input: `Next ${m}` });
    expect(textOf(next)).toBe('Continued from D1.');
    const [, continued] = await upstreamRequests(m);
    expect(JSON.stringify((continued!.body as { messages: unknown[] }).messages)).toContain('Stored.');
  });

  it('refuses the upgrade without a valid key with the usual 401', async () => {
    const { key } = await responsesFixture('resp-ws-auth', 'v6');
    const missing = await upgradeAnswer({});
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    const wrong = await upgradeAnswer({ authorization: 'Bearer sk-wrong-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect((await upgradeAnswer({ authorization: `Bearer ${key.apiKey}` })).status).toBe(101);
    // Without the upgrade there is no GET /v1/responses.
    const plain = await fetch(`${socketURL().replace(/^ws/, 'http')}`, { headers: { authorization: `Bearer ${key.apiKey}` } });
    expect(plain.status).toBe(404);
    expect(await plain.json()).toMatchObject({ error: { message: 'Invalid URL (GET /v1/responses)' } });
  });
});
