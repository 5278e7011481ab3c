// The retrieval part of the route table (routes.ts): files, uploads, vector stores, their files, file batches
// and search, each with a valid body (or, for multipart routes, a valid form) and the invalid inputs that must
// be refused with a 400 naming the offending field (docs/openai-behaviour.md §2.7, §2.8 and the request
// schemas of test/support/openapi/openai-assistants-v2.openapi.json).
import { LIST_QUERIES, long, META_CASES, type Form, type InvalidCase, type Route } from './route-cases.js';

// Files, uploads and vector stores.
const FILE_LIST_QUERIES: InvalidCase[] = [
  ['limit=0', 'limit=0', 'limit'],
  ['limit=10001 (files allow up to 10,000)', 'limit=10001', 'limit'],
  ['limit=abc', 'limit=abc', 'limit'],
  ['order=sideways', 'order=sideways', 'order'],
];
const FILE_FILTER: InvalidCase[] = [...LIST_QUERIES, ["filter=done (not a file status)", 'filter=done', 'filter']];
const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, i]));
const staticChunking = (size: number, overlap: number) => ({ type: 'static', static: { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } });
const CHUNKING_CASES = (base: Record<string, unknown>): InvalidCase[] => [
  ['chunk_overlap_tokens above half of max_chunk_size_tokens', { ...base, chunking_strategy: staticChunking(800, 401) }, /^chunking_strategy/],
  ['max_chunk_size_tokens 99 (minimum 100)', { ...base, chunking_strategy: staticChunking(99, 0) }, /^chunking_strategy/],
  ['max_chunk_size_tokens 4097 (maximum 4096)', { ...base, chunking_strategy: staticChunking(4097, 0) }, /^chunking_strategy/],
  ["chunking_strategy type 'semantic'", { ...base, chunking_strategy: { type: 'semantic' } }, /^chunking_strategy/],
  ['static chunking without static', { ...base, chunking_strategy: { type: 'static' } }, /^chunking_strategy/],
];
const ATTRIBUTE_CASES = (base: Record<string, unknown>): InvalidCase[] => [
  ['attributes with 17 keys', { ...base, attributes: attributes(17) }, 'attributes'],
  ['a 65-char attribute key', { ...base, attributes: { [long(65)]: 'v' } }, /^attributes/],
  ['a 513-char attribute string', { ...base, attributes: { k: long(513) } }, /^attributes/],
  ['an object attribute value', { ...base, attributes: { k: { nested: true } } }, /^attributes/],
  ['attributes as a string', { ...base, attributes: 'tags' }, 'attributes'],
];
const EXPIRY_CASES = (base: Record<string, unknown>): InvalidCase[] => [
  ['expires_after days 0', { ...base, expires_after: { anchor: 'last_active_at', days: 0 } }, 'expires_after.days'],
  ['expires_after days 366', { ...base, expires_after: { anchor: 'last_active_at', days: 366 } }, 'expires_after.days'],
  ["expires_after anchor 'created_at'", { ...base, expires_after: { anchor: 'created_at', days: 1 } }, 'expires_after.anchor'],
];
const SEARCH = { query: 'hello' };
const UPLOAD = { filename: 'probe.txt', purpose: 'assistants', bytes: 5, mime_type: 'text/plain' };
const FILE_FORM: Form = { purpose: 'assistants', file: { filename: 'probe.txt', content: 'probe' } };

export const RETRIEVAL_ROUTES: Route[] = [
  {
    method: 'POST', template: '/files', auth: 'project',
    multipart: {
      valid: FILE_FORM,
      invalid: [
        ["purpose 'homework'", { ...FILE_FORM, purpose: 'homework' }, 'purpose'],
        ['no purpose', { file: FILE_FORM.file! }, 'purpose'],
        ['no file', { purpose: 'assistants' }, 'file'],
        ['file as a text field', { purpose: 'assistants', file: 'not a file' }, 'file'],
        ['an empty file', { purpose: 'assistants', file: { filename: 'empty.txt', content: '' } }, 'file'],
        ['expires_after[seconds]=10 (minimum 3600)', { ...FILE_FORM, 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '10' }, 'expires_after.seconds'],
        ["expires_after[anchor]=last_active_at", { ...FILE_FORM, 'expires_after[anchor]': 'last_active_at', 'expires_after[seconds]': '3600' }, 'expires_after.anchor'],
        ['an unknown field', { ...FILE_FORM, frobnicate: '1' }, 'frobnicate'],
      ],
    },
  },
  { method: 'GET', template: '/files', auth: 'project', invalid: FILE_LIST_QUERIES },
  { method: 'GET', template: '/files/{file_id}', auth: 'project' },
  { method: 'DELETE', template: '/files/{file_id}', auth: 'project' },
  { method: 'GET', template: '/files/{file_id}/content', auth: 'project' },

  {
    method: 'POST', template: '/uploads', auth: 'project', body: UPLOAD,
    invalid: [
      ['no filename', { ...UPLOAD, filename: undefined }, 'filename'],
      ["purpose 'homework'", { ...UPLOAD, purpose: 'homework' }, 'purpose'],
      ['bytes 0', { ...UPLOAD, bytes: 0 }, 'bytes'],
      ['bytes as a string', { ...UPLOAD, bytes: 'five' }, 'bytes'],
      ['bytes above 8 GB', { ...UPLOAD, bytes: 8 * 1024 ** 3 + 1 }, 'bytes'],
      ["mime_type 'text'", { ...UPLOAD, mime_type: 'text' }, 'mime_type'],
      ['no mime_type', { ...UPLOAD, mime_type: undefined }, 'mime_type'],
      ['expires_after seconds 10', { ...UPLOAD, expires_after: { anchor: 'created_at', seconds: 10 } }, 'expires_after.seconds'],
    ],
  },
  {
    method: 'POST', template: '/uploads/{upload_id}/parts', auth: 'project',
    multipart: {
      valid: { data: { filename: 'blob', content: 'probe' } },
      invalid: [
        ['no data', {}, 'data'],
        ['an unknown field', { data: { filename: 'blob', content: 'probe' }, frobnicate: '1' }, 'frobnicate'],
      ],
    },
  },
  {
    method: 'POST', template: '/uploads/{upload_id}/complete', auth: 'project', body: { part_ids: [] },
    invalid: [
      ['no part_ids', {}, 'part_ids'],
      ['part_ids as a string', { part_ids: 'part_abc' }, 'part_ids'],
      ['a part that was never added', { part_ids: ['part_NeverAddedToThisUpload0000'] }, 'part_ids[0]'],
      ['md5 that is not a checksum', { part_ids: [], md5: 'xyz' }, 'md5'],
    ],
  },
  { method: 'POST', template: '/uploads/{upload_id}/cancel', auth: 'project' },

  { method: 'GET', template: '/vector_stores', auth: 'project', invalid: LIST_QUERIES },
  {
    method: 'POST', template: '/vector_stores', auth: 'project', body: { name: 'probe', file_ids: ['{file_id}'] },
    invalid: [
      ['file_ids as a string', { file_ids: 'file-abc' }, 'file_ids'],
      ['501 file_ids', { file_ids: Array.from({ length: 501 }, (_, i) => `file-${i}`) }, 'file_ids'],
      ['name as a number', { name: 42 }, 'name'],
      ...EXPIRY_CASES({}),
      ...CHUNKING_CASES({}),
      ...META_CASES((m) => ({ metadata: m })),
    ],
  },
  { method: 'GET', template: '/vector_stores/{vector_store_id}', auth: 'project' },
  {
    method: 'POST', template: '/vector_stores/{vector_store_id}', auth: 'project', body: { name: 'renamed' },
    invalid: [['name as a number', { name: 42 }, 'name'], ...EXPIRY_CASES({}), ...META_CASES((m) => ({ metadata: m }))],
  },
  { method: 'DELETE', template: '/vector_stores/{vector_store_id}', auth: 'project' },
  {
    method: 'POST', template: '/vector_stores/{vector_store_id}/search', auth: 'project', body: SEARCH,
    invalid: [
      ['no query', {}, 'query'],
      ['query as a number', { query: 42 }, 'query'],
      ['query []', { query: [] }, 'query'],
      ['max_num_results 51', { ...SEARCH, max_num_results: 51 }, 'max_num_results'],
      ['max_num_results 0', { ...SEARCH, max_num_results: 0 }, 'max_num_results'],
      ['rewrite_query as a string', { ...SEARCH, rewrite_query: 'yes' }, 'rewrite_query'],
      ["a filter of type 'like'", { ...SEARCH, filters: { key: 'a', type: 'like', value: 'b' } }, /^filters/],
      ['a comparison filter without key', { ...SEARCH, filters: { type: 'eq', value: 'b' } }, /^filters/],
      ['a compound filter whose filters is not an array', { ...SEARCH, filters: { type: 'and', filters: 'x' } }, /^filters/],
      ['a nested filter with an object value', { ...SEARCH, filters: { type: 'or', filters: [{ key: 'a', type: 'eq', value: { x: 1 } }] } }, /^filters/],
      ['score_threshold 2', { ...SEARCH, ranking_options: { score_threshold: 2 } }, /^ranking_options/],
      ["ranker 'best'", { ...SEARCH, ranking_options: { ranker: 'best' } }, 'ranking_options.ranker'],
    ],
  },

  { method: 'GET', template: '/vector_stores/{vector_store_id}/files', auth: 'project', invalid: FILE_FILTER },
  {
    method: 'POST', template: '/vector_stores/{vector_store_id}/files', auth: 'project', body: { file_id: '{file_id}' },
    invalid: [
      ['no file_id', {}, 'file_id'],
      ['file_id as a number', { file_id: 42 }, 'file_id'],
      ...CHUNKING_CASES({ file_id: '{file_id}' }),
      ...ATTRIBUTE_CASES({ file_id: '{file_id}' }),
    ],
  },
  { method: 'GET', template: '/vector_stores/{vector_store_id}/files/{file_id}', auth: 'project' },
  {
    method: 'POST', template: '/vector_stores/{vector_store_id}/files/{file_id}', auth: 'project', body: { attributes: { team: 'a' } },
    invalid: [['no attributes', {}, 'attributes'], ...ATTRIBUTE_CASES({})],
  },
  { method: 'DELETE', template: '/vector_stores/{vector_store_id}/files/{file_id}', auth: 'project' },
  { method: 'GET', template: '/vector_stores/{vector_store_id}/files/{file_id}/content', auth: 'project' },

  {
    method: 'POST', template: '/vector_stores/{vector_store_id}/file_batches', auth: 'project', body: { file_ids: ['{file_id}'] },
    invalid: [
      ['neither file_ids nor files', {}, /^file(_id)?s$/],
      ['file_ids []', { file_ids: [] }, 'file_ids'],
      ['file_ids as a string', { file_ids: 'file-abc' }, 'file_ids'],
      ['a files entry without file_id', { files: [{ attributes: { a: 1 } }] }, 'files[0].file_id'],
      ['a files entry with 17 attributes', { files: [{ file_id: '{file_id}', attributes: attributes(17) }] }, 'files[0].attributes'],
      ...CHUNKING_CASES({ file_ids: ['{file_id}'] }),
      ...ATTRIBUTE_CASES({ file_ids: ['{file_id}'] }),
    ],
  },
  { method: 'GET', template: '/vector_stores/{vector_store_id}/file_batches/{batch_id}', auth: 'project' },
  { method: 'POST', template: '/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel', auth: 'project' },
  { method: 'GET', template: '/vector_stores/{vector_store_id}/file_batches/{batch_id}/files', auth: 'project', invalid: FILE_FILTER },
];
