import { describe, expect, it } from 'vitest';
import { conversationChainKey, conversationObjectName, isChainResponseId, newId, newResponseId, responseObjectName, unixSeconds } from '../../src/domain/ids';

describe('newId', () => {
  it('has the OpenAI shape: prefix + 24 base62 characters', () => {
    for (const prefix of ['asst_', 'thread_', 'msg_', 'file-'] as const) {
      expect(newId(prefix)).toMatch(new RegExp(`^${prefix}[0-9A-Za-z]{24}$`));
    }
  });

  it('sorts in creation order, even within one millisecond', () => {
    const now = Date.now();
    const ids = Array.from({ length: 1000 }, () => newId('msg_', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('never goes backwards when the clock does', () => {
    const a = newId('msg_', Date.now() + 5000);
    const b = newId('msg_', Date.now());
    expect(b > a).toBe(true);
  });

  it('unixSeconds truncates milliseconds', () => {
    expect(unixSeconds(1_700_000_000_999)).toBe(1_700_000_000);
  });
});

describe('response ids and their chains (docs/responses.md "Chains")', () => {
  it('gives a first response a chain of its own and a continuation its previous one\'s chain', () => {
    const first = newResponseId();
    expect(first).toMatch(/^resp_[0-9A-Za-z]{44}$/);
    expect(isChainResponseId(first)).toBe(true);
    const next = newResponseId(first);
    const again = newResponseId(first);
    expect(new Set([first, next, again]).size).toBe(3);
    expect(responseObjectName(next)).toBe(responseObjectName(first));
    expect(responseObjectName(again)).toBe(`chain_${first.slice(-20)}`);
    expect(responseObjectName(newResponseId())).not.toBe(responseObjectName(first));
    // Time-ordered like every id: the chain key comes after the 24 characters that sort.
    expect(next.slice(0, 29) < again.slice(0, 29)).toBe(true);
  });

  it('keeps ids made before chains in objects of their own, and starts a new chain after one', () => {
    const old = newId('resp_');
    expect(isChainResponseId(old)).toBe(false);
    expect(responseObjectName(old)).toBe(old);
    const next = newResponseId(old);
    expect(isChainResponseId(next)).toBe(true);
    expect(responseObjectName(next)).not.toBe(old);
    // Anything else a client sends is not of the chain format.
    for (const id of ['resp_x', `resp_${'a'.repeat(43)}!`, `msg_${'a'.repeat(45)}`, `resp_${'a'.repeat(45)}`, null, undefined]) {
      expect(isChainResponseId(id ?? '')).toBe(false);
      expect(responseObjectName(newResponseId(id))).toMatch(/^chain_[0-9A-Za-z]{20}$/);
    }
  });
});

describe('conversation chain keys', () => {
  it('names one object for every turn of a conversation, a different one for another conversation', () => {
    const conv = newId('conv_');
    const first = newResponseId(null, conv);
    const next = newResponseId(undefined, conv);
    expect(isChainResponseId(first)).toBe(true);
    expect(first.slice(-20)).toBe(conversationChainKey(conv));
    expect(responseObjectName(first)).toBe(conversationObjectName(conv));
    expect(responseObjectName(next)).toBe(conversationObjectName(conv));
    expect(conversationChainKey(conv)).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(conversationChainKey(newId('conv_'))).not.toBe(conversationChainKey(conv));
    expect(conversationChainKey(conv.replace('conv_', 'thread_'))).not.toBe(conversationChainKey(conv));
    // A continuation keeps its previous response's chain, conversation or not.
    const plain = newResponseId();
    expect(responseObjectName(newResponseId(plain, conv))).toBe(responseObjectName(plain));
  });
});
