import type { Context } from 'hono';
import { z } from 'zod';
import { INTEGER_MARK } from '../contract/int';
import { ApiError, invalidRequest } from './errors';

/**
 * Request parsing: zod schemas (named after the SDK's param types) validate bodies and queries, and
 * the first issue is turned into OpenAI's wording, e.g. `Unknown parameter: 'foo'.`,
 * `Missing required parameter: 'model'.`, `Invalid type for 'limit': expected an integer, but got a
 * string instead.` (docs/openai-behaviour.md §4). `param` names the field with OpenAI's path syntax `tools[0].type`.
 */

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export { Int } from '../contract/int';

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'bigint') return 'integer';
  return typeof value;
}

const expectedNoun: Record<string, string> = {
  int: 'integer', number: 'number', string: 'string', boolean: 'boolean', object: 'object',
  array: 'array', record: 'object', null: 'null', literal: 'value', tuple: 'array',
};

function quoteList(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function issueToError(issue: z.core.$ZodIssue, root: unknown, prefix: ReadonlyArray<PropertyKey> = []): ApiError {
  const path = [...prefix, ...issue.path];
  const param = formatPath(path) || null;
  const input = valueAt(root, issue.path);
  if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value') && issue.path.length > 0) {
    return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = formatPath([...path, issue.keys[0]!]);
      return invalidRequest(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
    }
    case 'invalid_type': {
      const expected = issue.message === INTEGER_MARK ? 'integer' : (expectedNoun[issue.expected] ?? issue.expected);
      return invalidRequest(
        `Invalid type for '${param}': expected ${article(expected)}, but got ${article(describeType(input))} instead.`,
        param,
        'invalid_type',
      );
    }
    case 'too_big':
    case 'too_small': {
      const above = issue.code === 'too_big';
      const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const bound = above ? `<= ${limit}` : `>= ${limit}`;
      if (issue.origin === 'string') {
        const len = typeof input === 'string' ? input.length : 0;
        return invalidRequest(
          `Invalid '${param}': string too ${above ? 'long' : 'short'}. Expected a string with ${above ? 'maximum' : 'minimum'} length ${limit}, but got a string with length ${len} instead.`,
          param,
          above ? 'string_above_max_length' : 'string_below_min_length',
        );
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const len = Array.isArray(input) ? input.length : 0;
        return invalidRequest(
          `Invalid '${param}': array too ${above ? 'long' : 'short'}. Expected an array with ${above ? 'maximum' : 'minimum'} length ${limit}, but got an array with length ${len} instead.`,
          param,
          above ? 'array_above_max_length' : 'array_below_min_length',
        );
      }
      // Query values arrive as strings; the number they spell is what was out of range.
      const n = typeof input === 'string' ? Number(input) : input;
      const kind = Number.isInteger(n) ? 'integer' : 'decimal';
      return invalidRequest(
        `Invalid '${param}': ${kind} ${above ? 'above maximum' : 'below minimum'} value. Expected a value ${bound}, but got ${String(n)} instead.`,
        param,
        `${kind}_${above ? 'above_max' : 'below_min'}_value`,
      );
    }
    case 'invalid_value':
      return invalidRequest(
        `Invalid value: '${String(input)}'. Supported values are: ${quoteList(issue.values)}.`,
        param,
        'invalid_value',
      );
    case 'invalid_format':
      return invalidRequest(`Invalid '${param}': ${issue.message}.`, param, 'invalid_value');
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        // A discriminated union (`type`) that matched no option; zod reports the path of `type`.
        const options = (issue as { options?: unknown[] }).options ?? [];
        if (input === undefined) return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
        return invalidRequest(`Invalid value: '${String(input)}'. Supported values are: ${quoteList(options)}.`, param, 'invalid_value');
      }
      // Prefer a branch that got past the type check (e.g. `content` was an array of bad parts).
      const firsts = issue.errors.map((errs) => errs[0]).filter((e): e is z.core.$ZodIssue => e !== undefined);
      const deep =
        firsts.find((e) => e.path.length > 0 || e.code === 'invalid_union' || e.code === 'unrecognized_keys') ??
        firsts.find((e) => !(e.code === 'invalid_type' && e.path.length === 0));
      if (deep) return issueToError(deep, input, path);
      const expected = firsts.map((e) => (e.code === 'invalid_type' ? expectedNoun[e.expected] ?? e.expected : 'value'));
      return invalidRequest(
        `Invalid type for '${param}': expected one of ${[...new Set(expected)].map(article).join(' or ')}, but got ${article(describeType(input))} instead.`,
        param,
        'invalid_type',
      );
    }
    case 'custom': {
      const p = issue.params as { code?: string; param?: string } | undefined;
      return invalidRequest(issue.message, p?.param ?? param, p?.code ?? 'invalid_value');
    }
    default:
      return invalidRequest(`Invalid '${param}': ${issue.message}.`, param, 'invalid_value');
  }
}

export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0]!, data);
}

const JSON_PARSE_ERROR =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

/**
 * Reads a JSON body. An empty body counts as `{}` (curl `-d ''`, SDK cancel calls send none);
 * a body with an explicit non-JSON content type is refused.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = c.req.header('content-type');
  if (type && !/application\/([\w.+-]*\+)?json/i.test(type)) {
    throw invalidRequest(
      `Invalid Content-Type header (${type.split(';')[0]}), expected application/json.`,
      null,
      'invalid_content_type',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest(JSON_PARSE_ERROR);
  }
  if (nestingDepth(value) > MAX_JSON_DEPTH) {
    throw invalidRequest(`The JSON body is nested too deeply (more than ${MAX_JSON_DEPTH} levels).`, null, 'invalid_value');
  }
  return value;
}

/**
 * Free-form fields (function `parameters`, JSON schemas, metadata) are stored, cloned across RPC and
 * re-serialised: thousands of nesting levels would overflow the stack on the way. No legitimate
 * schema comes near this depth.
 */
const MAX_JSON_DEPTH = 64;

function nestingDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const data = await readJson(c);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidRequest(`Invalid type for body: expected an object, but got ${article(describeType(data))} instead.`, null, 'invalid_type');
  }
  return parseWith(schema, data);
}

/**
 * Prefixes accepted in place of another: a conversation is a thread (docs/conversations.md), so a
 * `conv_` id names a thread for the threads API and a `thread_` id a conversation.
 */
const SAME_KIND: Record<string, string[]> = { thread_: ['thread_', 'conv_'], conv_: ['conv_', 'thread_'] };

/** Validates a path id's prefix like OpenAI: `Invalid 'thread_id': 'x'. Expected an ID that begins with 'thread'.` */
export function pathId(c: Context, name: string, prefix: string): string {
  const value = c.req.param(name) ?? '';
  const bare = prefix.replace(/[_-]$/, '');
  if (!(SAME_KIND[prefix] ?? [prefix]).some((p) => value.startsWith(p)) || value.length > 128) {
    throw invalidRequest(`Invalid '${name}': '${value}'. Expected an ID that begins with '${bare}'.`, name, 'invalid_value');
  }
  return value;
}
