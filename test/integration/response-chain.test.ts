// The `previous_response_id` chain as D1 holds it (src/db/responses.ts conversationBefore): one batch
// with a recursive walk, against the migrated D1 inside workerd. Every test makes its own ids.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { database } from '../../src/db/client';
import { conversationBefore, insertResponse } from '../../src/db/responses';
import { newId } from '../../src/domain/ids';
import type { ResponseObject, StoredItem } from '../../src/domain/responses/types';

const db = () => database(env.DB);
const message = (role: 'user' | 'assistant', text: string): StoredItem =>
  ({ type: 'message', id: newId('msg_'), role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text }] }) as unknown as StoredItem;

/** Stores a response whose input is one user message and whose output is one assistant message. */
async function stored(projectId: string, said: string, answer: string, previous: string | null = null): Promise<string> {
  const id = newId('resp_');
  const response = { id, object: 'response', created_at: 1, status: 'completed', previous_response_id: previous, output: [message('assistant', answer)] } as unknown as ResponseObject;
  await insertResponse(db(), projectId, response, [message('user', said)]);
  return id;
}
const texts = (items: StoredItem[] | undefined) => items?.map((i) => ((i as unknown as { content: { text: string }[] }).content[0]!.text));

describe('conversationBefore', () => {
  it('returns every link oldest first, each as its input then its output', async () => {
    const project = newId('proj_');
    const a = await stored(project, 'q1', 'a1');
    const b = await stored(project, 'q2', 'a2', a);
    const c = await stored(project, 'q3', 'a3', b);
    expect(texts(await conversationBefore(db(), project, c))).toEqual(['q1', 'a1', 'q2', 'a2', 'q3', 'a3']);
    expect(texts(await conversationBefore(db(), project, a))).toEqual(['q1', 'a1']);
  });

  it('is undefined for an unknown id or another project\'s response', async () => {
    const project = newId('proj_');
    const a = await stored(project, 'mine', 'yes');
    expect(await conversationBefore(db(), project, newId('resp_'))).toBeUndefined();
    expect(await conversationBefore(db(), newId('proj_'), a)).toBeUndefined();
  });

  it('starts after a deleted link, and never follows a link into another project', async () => {
    const project = newId('proj_');
    const a = await stored(project, 'q1', 'a1');
    const b = await stored(project, 'q2', 'a2', a);
    const c = await stored(project, 'q3', 'a3', b);
    await env.DB.prepare('DELETE FROM responses WHERE id = ?').bind(b).run();
    expect(texts(await conversationBefore(db(), project, c))).toEqual(['q3', 'a3']);
    // A response whose previous id names another project's response (only possible by hand) stops there.
    const other = await stored(newId('proj_'), 'theirs', 'secret');
    const d = await stored(project, 'q4', 'a4', other);
    expect(texts(await conversationBefore(db(), project, d))).toEqual(['q4', 'a4']);
  });

  it('keeps a response\'s input items in the order given, whatever their id prefixes (fc_ < fco_ < msg_)', async () => {
    const project = newId('proj_');
    const id = newId('resp_');
    const items = [
      message('user', 'q'),
      { type: 'function_call', id: newId('fc_'), call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', id: newId('fco_'), call_id: 'call_1', output: '1' },
      message('user', 'after'),
    ] as unknown as StoredItem[];
    const response = { id, object: 'response', created_at: 1, status: 'completed', previous_response_id: null, output: [] } as unknown as ResponseObject;
    await insertResponse(db(), project, response, items);
    expect((await conversationBefore(db(), project, id))!.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
  });

  it('walks at most maxLinks links (a chain object passes what its own walk left)', async () => {
    const project = newId('proj_');
    const a = await stored(project, 'q1', 'a1');
    const b = await stored(project, 'q2', 'a2', a);
    const c = await stored(project, 'q3', 'a3', b);
    expect(texts(await conversationBefore(db(), project, c, 2))).toEqual(['q2', 'a2', 'q3', 'a3']);
    expect(await conversationBefore(db(), project, c, 0)).toBeUndefined();
  });
});
