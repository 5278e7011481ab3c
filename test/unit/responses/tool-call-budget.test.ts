import { describe, expect, it } from 'vitest';
import { ToolCallBudget, withoutFunctions } from '../../../src/domain/responses/tool-call-budget';
import type { ChatRequest } from '../../../src/domain/ports';

const fn = (name: string) => ({ type: 'function' as const, function: { name } });

describe('max_tool_calls', () => {
  it('processes calls up to the limit across turns and ignores the rest', () => {
    const budget = new ToolCallBudget(3);
    expect(budget.take(2)).toBe(2);
    expect(budget.spent).toBe(false);
    expect(budget.take(2)).toBe(1);
    expect(budget.spent).toBe(true);
    expect(budget.take(1)).toBe(0);
    expect(budget.ignoredOutput()).toContain('limit of 3 built-in tool calls (max_tool_calls)');
  });

  it('has no limit when max_tool_calls is null', () => {
    const budget = new ToolCallBudget(null);
    expect(budget.take(50)).toBe(50);
    expect(budget.spent).toBe(false);
  });

  it('stops offering the hosted functions once spent, keeping the client\'s own', () => {
    const request: ChatRequest = { model: 'm', messages: [], tools: [fn('file_search'), fn('get_weather')], toolChoice: { type: 'function', function: { name: 'file_search' } }, parallelToolCalls: false };
    expect(withoutFunctions(request, new Set(['file_search']))).toEqual({ model: 'm', messages: [], tools: [fn('get_weather')], toolChoice: 'auto', parallelToolCalls: false });
    const onlyHosted: ChatRequest = { model: 'm', messages: [], tools: [fn('calc__add')], toolChoice: 'auto', parallelToolCalls: true };
    expect(withoutFunctions(onlyHosted, new Set(['calc__add']))).toEqual({ model: 'm', messages: [] });
  });
});
