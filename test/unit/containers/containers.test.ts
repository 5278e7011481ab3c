import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTAINER_MINUTES, isContainerExpired, toContainerFileObject, toContainerObject, type ContainerRow } from '../../../src/db/containers';
import { absolutePath, relativePath } from '../../../src/tools/code-interpreter/containers';
import { ContainerCreateParams } from '../../../src/contract/containers';

const row = (over: Partial<ContainerRow> = {}): ContainerRow => ({
  id: 'cntr_1', projectId: 'proj_1', createdAt: 1000, name: 'c', memoryLimit: '1g', expiresAfterMinutes: DEFAULT_CONTAINER_MINUTES, lastActiveAt: 1000, ...over,
});

describe('containers', () => {
  it('expire `minutes` after their last activity (20 by default, as OpenAI)', () => {
    expect(DEFAULT_CONTAINER_MINUTES).toBe(20);
    expect(isContainerExpired(row(), 1000 + 20 * 60 - 1)).toBe(false);
    expect(isContainerExpired(row(), 1000 + 20 * 60)).toBe(true);
    expect(isContainerExpired(row({ expiresAfterMinutes: 1, lastActiveAt: 5000 }), 5059)).toBe(false);
    expect(toContainerObject(row(), 1001)).toEqual({
      id: 'cntr_1', object: 'container', created_at: 1000, status: 'running',
      expires_after: { anchor: 'last_active_at', minutes: 20 }, last_active_at: 1000, memory_limit: '1g', name: 'c',
    });
    expect(toContainerObject(row(), 1000 + 20 * 60).status).toBe('expired');
  });

  it('files: OpenAI\'s container file object; paths under /mnt/data', () => {
    expect(toContainerFileObject({ id: 'cfile_1', containerId: 'cntr_1', projectId: 'proj_1', createdAt: 5, bytes: 3, path: '/mnt/data/a.csv', source: 'user', r2Key: 'k' }))
      .toEqual({ id: 'cfile_1', object: 'container.file', container_id: 'cntr_1', created_at: 5, bytes: 3, path: '/mnt/data/a.csv', source: 'user' });
    expect(absolutePath('a.csv')).toBe('/mnt/data/a.csv');
    expect(absolutePath('/mnt/data/out/b.png')).toBe('/mnt/data/out/b.png');
    expect(relativePath('/mnt/data/out/b.png')).toBe('out/b.png');
    expect(relativePath('c.txt')).toBe('c.txt');
  });

  it('create params: name required, expires_after anchored at last_active_at, 1..1440 minutes', () => {
    expect(ContainerCreateParams.safeParse({ name: 'x', expires_after: { anchor: 'last_active_at', minutes: 1440 } }).success).toBe(true);
    for (const bad of [{}, { name: '' }, { name: 'x', expires_after: { anchor: 'last_active_at', minutes: 1441 } }, { name: 'x', expires_after: { minutes: 5 } }, { name: 'x', extra: 1 }]) {
      expect(ContainerCreateParams.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
