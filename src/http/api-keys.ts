import { findKeyByValue } from '../db/projects';
import { keyCache } from '../domain/key-cache';
import type { AppContext } from './context';

/**
 * The isolate's cache of API-key lookups (src/domain/key-cache.ts), one per D1 database: the
 * middleware authenticates through it, and the organization routes that revoke keys clear it.
 */
type Cache = ReturnType<typeof keyCache<NonNullable<Awaited<ReturnType<typeof findKeyByValue>>>>>;
const caches = new WeakMap<object, Cache>();

export function apiKeysOf(c: Pick<AppContext, 'var'>): Cache {
  const { db } = c.var.services;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = keyCache((presented) => findKeyByValue(db, presented))));
  return cache;
}
