import { ftsQuery } from '../../src/db/chunks';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/errors';
import { parseListQuery } from '../../src/http/pagination';
import { AssistantCreateParams } from '../../src/contract/assistants';
import { MessageCreateParams } from '../../src/contract/messages';
import { ThreadCreateParams } from '../../src/contract/threads';
import { parseWith } from '../../src/http/validation';

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.toBody().error;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('request validation speaks OpenAI', () => {
  it('unknown fields', () => {
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', foo: 1 }))).toEqual({
      message: "Unknown parameter: 'foo'.",
      type: 'invalid_request_error',
      param: 'foo',
      code: 'unknown_parameter',
    });
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', tools: [{ type: 'code_interpreter', x: 1 }] })).param).toBe(
      'tools[0].x',
    );
  });

  it('missing required fields', () => {
    expect(errorOf(() => parseWith(AssistantCreateParams, {}))).toMatchObject({
      message: "Missing required parameter: 'model'.",
      param: 'model',
      code: 'missing_required_parameter',
    });
    expect(errorOf(() => parseWith(MessageCreateParams, { role: 'user' })).message).toBe("Missing required parameter: 'content'.");
  });

  it('wrong types', () => {
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', temperature: 'hot' }))).toMatchObject({
      message: "Invalid type for 'temperature': expected a number, but got a string instead.",
      param: 'temperature',
      code: 'invalid_type',
    });
    expect(errorOf(() => parseWith(MessageCreateParams, { role: 'user', content: 5 }))).toMatchObject({
      param: 'content',
      code: 'invalid_type',
    });
  });

  it('out-of-range values', () => {
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', temperature: 2.5 }))).toMatchObject({
      message: "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
      param: 'temperature',
      code: 'decimal_above_max_value',
    });
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', top_p: -0.5 })).code).toBe('decimal_below_min_value');
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', name: 'x'.repeat(257) })).code).toBe('string_above_max_length');
    expect(errorOf(() => parseWith(ThreadCreateParams, { messages: Array(33).fill({ role: 'user', content: 'x' }) })).code).toBe(
      'array_above_max_length',
    );
  });

  it('enums and tagged unions', () => {
    expect(errorOf(() => parseWith(MessageCreateParams, { role: 'system', content: 'x' }))).toMatchObject({
      message: "Invalid value: 'system'. Supported values are: 'user' and 'assistant'.",
      param: 'role',
      code: 'invalid_value',
    });
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', tools: [{ type: 'browser' }] }))).toMatchObject({
      // 'mcp' is our extension (docs/mcp-assistants.md), so it is one of the supported values.
      message: "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'file_search', 'function', and 'mcp'.",
      param: 'tools[0].type',
    });
    expect(
      errorOf(() => parseWith(AssistantCreateParams, { model: 'm', tools: [{ type: 'function', function: { name: 'bad name' } }] })).param,
    ).toBe('tools[0].function.name');
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', response_format: { type: 'xml' } })).param).toBe(
      'response_format.type',
    );
    expect(
      errorOf(() => parseWith(MessageCreateParams, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'nope' } }] })).param,
    ).toBe('content[0].image_url.url');
  });

  it('metadata limits: 16 pairs, keys <= 64, values <= 512', () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', metadata: many }))).toMatchObject({
      param: 'metadata',
      code: 'object_above_max_properties',
    });
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', metadata: { ['k'.repeat(65)]: 'v' } })).param).toBe('metadata');
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', metadata: { k: 'v'.repeat(513) } })).param).toBe('metadata.k');
    expect(errorOf(() => parseWith(AssistantCreateParams, { model: 'm', metadata: { k: 1 } })).code).toBe('invalid_type');
    expect(parseWith(AssistantCreateParams, { model: 'm', metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])) })).toBeTruthy();
  });

  it('list queries: limit 1..100 default 20, order default desc', () => {
    expect(parseListQuery({})).toEqual({ limit: 20, order: 'desc' });
    expect(errorOf(() => parseListQuery({ limit: '101' }))).toMatchObject({
      message: "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.",
      param: 'limit',
      code: 'integer_above_max_value',
    });
    expect(errorOf(() => parseListQuery({ limit: '0' })).code).toBe('integer_below_min_value');
    expect(errorOf(() => parseListQuery({ limit: 'ten' }))).toMatchObject({
      message: "Invalid type for 'limit': expected an integer, but got a string instead.",
      code: 'invalid_type',
    });
    expect(errorOf(() => parseListQuery({ order: 'up' })).message).toBe("Invalid value: 'up'. Supported values are: 'asc' and 'desc'.");
  });
});

describe('ftsQuery', () => {
  it('ORs the meaningful words as quoted terms, dropping stopwords unless nothing else is left', () => {
    expect(ftsQuery('What is the launch date of Aurora?')).toBe('"launch" OR "date" OR "aurora"');
    expect(ftsQuery('who is it')).toBe('"who" OR "is" OR "it"');
    expect(ftsQuery('  ?! ')).toBeNull();
  });
});
