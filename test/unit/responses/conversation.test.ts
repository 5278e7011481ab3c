import { describe, expect, it } from 'vitest';
import { addsToConversation, conversationIdOf, isConversationId, toConversationItems } from '../../../src/domain/responses/conversation';
import { initialResponse } from '../../../src/domain/responses/request';
import { responseLockTtlMs } from '../../../src/durable/conversations';
import { validateSchema } from '../../support/openapi';

describe('a response continuing a conversation', () => {
  it('reads the conversation parameter as a string id or an {id} object', () => {
    expect(conversationIdOf('conv_1')).toBe('conv_1');
    expect(conversationIdOf({ id: 'thread_1' })).toBe('thread_1');
    expect(conversationIdOf(null)).toBeNull();
    expect(conversationIdOf(undefined)).toBeNull();
    expect([isConversationId('conv_abc'), isConversationId('thread_abc'), isConversationId('resp_abc'), isConversationId('conv_'), isConversationId('conv_a/b')]).toEqual([true, true, false, false, false]);
  });

  it('echoes conversation: {id} on the Response (valid against the document), and nothing without one', () => {
    const response = initialResponse({ model: 'm', conversation: 'conv_x' }, { id: 'resp_1', createdAt: 1, status: 'in_progress' });
    expect(response.conversation).toEqual({ id: 'conv_x' });
    expect(validateSchema('Response', response, 'responses')).toEqual([]);
    expect('conversation' in initialResponse({ model: 'm' }, { id: 'resp_2', createdAt: 1, status: 'in_progress' })).toBe(false);
  });

  it('turns input and output items into conversation items without their ids, and names the first it cannot hold', () => {
    const converted = toConversationItems([
      { id: 'msg_1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hi' }] },
      { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', status: 'completed' },
      { id: 'fco_1', type: 'function_call_output', call_id: 'c1', output: 'ok', status: 'completed' },
      { id: 'msg_2', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Done.', annotations: [], logprobs: [] }] },
    ]);
    expect(converted).toEqual({ items: [
      { type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', status: 'completed' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok', status: 'completed' },
      { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Done.', annotations: [], logprobs: [] }] },
    ] });
    expect(toConversationItems([
      { id: 'msg_1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hi' }] },
      { id: 'msg_2', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] },
    ])).toEqual({ refused: 1 });
  });

  it('adds completed and incomplete responses to the conversation, not failed or cancelled ones', () => {
    expect(['completed', 'incomplete', 'failed', 'cancelled'].map(addsToConversation)).toEqual([true, true, false, false]);
  });

  it('lets a lock outlive every model call the response may make, and no longer', () => {
    expect(responseLockTtlMs(300, 3)).toBe(4 * 300_000 + 120_000);
    expect(responseLockTtlMs(10, 0)).toBe(130_000);
  });
});
