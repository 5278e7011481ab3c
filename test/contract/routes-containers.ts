// The Containers routes of the route table (routes.ts): valid bodies (and the file upload's form) and the
// invalid inputs that must be refused with a 400 naming the field (docs/containers.md).
import { LIST_QUERIES, type Route } from './route-cases.js';

const PROBE = { file: { filename: 'probe.txt', content: 'probe' } };

export const CONTAINER_ROUTES: Route[] = [
  { method: 'GET', template: '/containers', auth: 'project', invalid: [...LIST_QUERIES] },
  {
    method: 'POST', template: '/containers', auth: 'project', body: { name: 'probe' },
    invalid: [
      ['no name', {}, 'name'],
      ['name as a number', { name: 1 }, 'name'],
      ['expires_after.minutes 0', { name: 'x', expires_after: { anchor: 'last_active_at', minutes: 0 } }, 'expires_after.minutes'],
      ['expires_after.minutes 1441', { name: 'x', expires_after: { anchor: 'last_active_at', minutes: 1441 } }, 'expires_after.minutes'],
      ["expires_after.anchor 'created_at'", { name: 'x', expires_after: { anchor: 'created_at', minutes: 5 } }, 'expires_after.anchor'],
      ["memory_limit '2g'", { name: 'x', memory_limit: '2g' }, 'memory_limit'],
      ['file_ids not an array', { name: 'x', file_ids: 'file-1' }, 'file_ids'],
      ['51 file_ids', { name: 'x', file_ids: Array.from({ length: 51 }, (_, i) => `file-${i}`) }, 'file_ids'],
      ['an allowlist network_policy (the sandbox has no network)', { name: 'x', network_policy: { type: 'allowlist', allowed_domains: ['example.com'] } }, /^network_policy/],
    ],
  },
  { method: 'GET', template: '/containers/{container_id}', auth: 'project' },
  { method: 'DELETE', template: '/containers/{container_id}', auth: 'project' },
  {
    method: 'POST', template: '/containers/{container_id}/files', auth: 'project', body: { file_id: '{file_id}' },
    invalid: [['no file_id', {}, 'file_id'], ['file_id as a number', { file_id: 1 }, 'file_id']],
    multipart: {
      valid: PROBE,
      invalid: [
        ['no file', {}, 'file'],
        ['file as a text field', { file: 'not a file' }, 'file'],
        ['an unknown field', { ...PROBE, frobnicate: '1' }, 'frobnicate'],
      ],
    },
  },
  { method: 'GET', template: '/containers/{container_id}/files', auth: 'project', invalid: [...LIST_QUERIES] },
  { method: 'GET', template: '/containers/{container_id}/files/{container_file_id}', auth: 'project' },
  { method: 'DELETE', template: '/containers/{container_id}/files/{container_file_id}', auth: 'project' },
  { method: 'GET', template: '/containers/{container_id}/files/{container_file_id}/content', auth: 'project' },
];
