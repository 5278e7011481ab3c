// A run's code_interpreter call read as a conversation item (docs/conversations.md §2, §3): a
// `code_interpreter_call` between the user's message and the answer, its code and (with
// include[]=code_interpreter_call.outputs) its logs, validated against OpenAI's document.
import { describe, expect, it } from 'vitest';
import { expectNoContractViolations } from '../../support/clients.js';
import { pushScripts } from '../../support/upstream-control.js';
import { ciCallOf, ciSetup, expectCompleted, python } from '../code-interpreter/ci-support.js';

describe('a code_interpreter run as conversation items', () => {
  it('shows the call as a code_interpreter_call item, outputs only when included', async () => {
    const { api, assistant, m, v6 } = await ciSetup('conv-items', 'v6');
    const code = "print('forty-two')";
    await pushScripts(m, python(code), { text: 'It printed forty-two.' });
    const thread = await api.createThread({ messages: [{ role: 'user', content: `Print it ${m}` }] });
    const run = await api.createAndPoll(thread.id, { assistant_id: assistant.id });
    expectCompleted(run);
    const call = await ciCallOf(api, run);

    const items = await v6.conversations.items.list(thread.id, { order: 'asc' });
    expect(items.data.map((i) => i.type)).toEqual(['message', 'code_interpreter_call', 'message']);
    expect(items.data[1]).toEqual({ type: 'code_interpreter_call', id: expect.stringMatching(/^ci_/), status: 'completed', container_id: thread.id, code, outputs: null });
    const full = await v6.conversations.items.list(thread.id, { order: 'asc', include: ['code_interpreter_call.outputs'] });
    expect(call.code_interpreter.outputs).toEqual([{ type: 'logs', logs: 'forty-two\n' }]);
    expect(full.data[1]).toMatchObject({ outputs: [{ type: 'logs', logs: 'forty-two\n' }] });
    expect(await v6.conversations.items.retrieve(items.data[1]!.id!, { conversation_id: thread.id, include: ['code_interpreter_call.outputs'] })).toEqual(full.data[1]);
    expectNoContractViolations();
  });
});
