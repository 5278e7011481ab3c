// The Conversations routes of the route table (routes.ts): valid bodies and the invalid inputs that
// must be refused with a 400 naming the field (docs/conversations.md).
import { LIST_QUERIES, META_CASES, type InvalidCase, type Route } from './route-cases.js';

const MESSAGE = { type: 'message', role: 'user', content: 'hi' };

const ITEM_CASES = (wrap: (items: unknown) => unknown): InvalidCase[] => [
  ['items not an array', wrap('hi'), 'items'],
  ['21 items', wrap(Array.from({ length: 21 }, () => MESSAGE)), 'items'],
  ['an item of an unknown type', wrap([{ type: 'web_search_call', id: 'ws_1' }]), /^items\[0\]/],
  ["role 'tool'", wrap([{ role: 'tool', content: 'x' }]), 'items[0].role'],
  ['a message without content', wrap([{ type: 'message', role: 'user' }]), 'items[0].content'],
  ['an unknown content part', wrap([{ role: 'user', content: [{ type: 'input_video' }] }]), /^items\[0\]\.content/],
  ['an input_file without file_id', wrap([{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/y.pdf' }] }]), /^items\[0\]\.content\[0\]/],
  ['a function_call without call_id', wrap([{ type: 'function_call', name: 'f', arguments: '{}' }]), 'items[0].call_id'],
  ['a function_call_output with a numeric output', wrap([{ type: 'function_call_output', call_id: 'c', output: 42 }]), /^items\[0\]\.output/],
  ['a reasoning item without summary', wrap([{ type: 'reasoning' }]), 'items[0].summary'],
];

export const CONVERSATION_ROUTES: Route[] = [
  { method: 'GET', template: '/conversations', auth: 'project', invalid: [...LIST_QUERIES, ['metadata[] without a key', 'metadata[]=x', 'metadata[]']] },
  {
    method: 'POST', template: '/conversations', auth: 'project', body: { metadata: { k: 'v' }, items: [MESSAGE] },
    invalid: [...ITEM_CASES((items) => ({ items })), ...META_CASES((m) => ({ metadata: m }))],
  },
  { method: 'GET', template: '/conversations/{conversation_id}', auth: 'project' },
  {
    method: 'POST', template: '/conversations/{conversation_id}', auth: 'project', body: { metadata: { k: 'v' } },
    invalid: [['no metadata', {}, 'metadata'], ...META_CASES((m) => ({ metadata: m }))],
  },
  { method: 'DELETE', template: '/conversations/{conversation_id}', auth: 'project' },
  {
    method: 'POST', template: '/conversations/{conversation_id}/items', auth: 'project', body: { items: [MESSAGE] },
    invalid: [['no items', {}, 'items'], ['items []', { items: [] }, 'items'], ...ITEM_CASES((items) => ({ items }))],
  },
  {
    method: 'GET', template: '/conversations/{conversation_id}/items', auth: 'project',
    invalid: [...LIST_QUERIES, ['include[]=everything', 'include[]=everything', 'include']],
  },
  { method: 'GET', template: '/conversations/{conversation_id}/items/{item_id}', auth: 'project', invalid: [['include=x', 'include=x', 'include']] },
  { method: 'DELETE', template: '/conversations/{conversation_id}/items/{item_id}', auth: 'project' },
];
