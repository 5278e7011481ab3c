import { describe, expect, it } from 'vitest';
import { assembleContext, type ContextMessage } from '../../src/domain/context';

const msg = (role: 'user' | 'assistant', text: string, id = text): ContextMessage => ({
  id, role, content: [{ type: 'text', text: { value: text, annotations: [] } }], attachments: [],
});
const base = { instructions: 'Be brief.', truncation_strategy: { type: 'auto' as const, last_messages: null }, max_prompt_tokens: null };

describe('assembleContext', () => {
  it('puts instructions first, then history, then the run\'s tool rounds as tool messages', () => {
    const r = assembleContext({
      run: base,
      history: [msg('user', 'hi'), msg('assistant', 'hello'), msg('user', 'weather?')],
      turns: [{ kind: 'tool_calls', calls: [{ id: 'call_1', name: 'weather', arguments: '{}', output: 'sunny' }] }],
      defaultPromptBudget: 100_000,
    });
    if (!r.ok) throw new Error('expected ok');
    expect(r.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ]);
  });

  it('applies last_messages truncation', () => {
    const r = assembleContext({
      run: { ...base, truncation_strategy: { type: 'last_messages', last_messages: 2 } },
      history: [msg('user', 'a'), msg('assistant', 'b'), msg('user', 'c')],
      turns: [],
      defaultPromptBudget: 100_000,
    });
    expect(r.ok && r.messages.map((m) => m.content)).toEqual(['Be brief.', 'b', 'c']);
  });

  it('drops the oldest messages to fit max_prompt_tokens, and reports when nothing fits', () => {
    const long = 'x'.repeat(400); // ~100 tokens
    const history = [msg('user', long, '1'), msg('assistant', long, '2'), msg('user', 'last', '3')];
    const fits = assembleContext({ run: { ...base, max_prompt_tokens: 120 }, history, turns: [], defaultPromptBudget: 1 });
    if (!fits.ok) throw new Error('expected ok');
    expect(fits.droppedMessages).toBe(1);
    expect(fits.estimatedTokens).toBeLessThanOrEqual(120);
    const tooSmall = assembleContext({ run: { ...base, max_prompt_tokens: 5 }, history, turns: [], defaultPromptBudget: 1 });
    expect(tooSmall).toMatchObject({ ok: false, reason: 'max_prompt_tokens' });
  });

  it('passes image parts to vision models and tells the model about attachments', () => {
    const r = assembleContext({
      run: { ...base, instructions: '' },
      history: [{
        id: 'm', role: 'user', attachments: [{ file_id: 'file-1', tools: [{ type: 'file_search' }] }],
        content: [
          { type: 'text', text: { value: 'what is this?', annotations: [] } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
          { type: 'image_file', image_file: { file_id: 'file-img', detail: 'auto' } },
        ],
      }],
      turns: [],
      defaultPromptBudget: 100_000,
      imageUrlFor: (id) => (id === 'file-img' ? 'data:image/png;base64,AAAA' : null),
    });
    expect(r.ok && r.messages).toEqual([{
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'auto' } },
        { type: 'text', text: '[Attached files: file-1 (file_search)]' },
      ],
    }]);
  });
});
