import { sha256Hex } from './keys';

/**
 * How long an isolate trusts an API-key lookup without asking D1 again. The bound on revocation: a
 * key deleted (or its service account deleted, or its project archived) is refused at once by the
 * isolate that handled the deletion (it forgets every cached key), and by every other isolate within
 * this many ms (docs/architecture.md §2 "How a request flows"). Unknown keys are never cached, so a
 * new key works at once.
 */
export const KEY_CACHE_TTL_MS = 10_000;
/** Past this many keys the cache starts over (memory stays bounded under many distinct keys). */
const MAX_KEYS = 1_000;

/**
 * A per-isolate cache of API-key lookups in front of `lookup` (D1): saves the request's first storage
 * round trip for a key seen in the last KEY_CACHE_TTL_MS (issue 13). Entries are keyed by the key's
 * SHA-256, never by the secret itself.
 */
export function keyCache<K extends { lastUsedAt: number | null }>(lookup: (presented: string) => Promise<K | undefined>, ttlMs = KEY_CACHE_TTL_MS) {
  const entries = new Map<string, { key: K; until: number }>();
  return {
    async find(presented: string, now = Date.now()): Promise<K | undefined> {
      const digest = await sha256Hex(presented);
      const hit = entries.get(digest);
      if (hit && hit.until > now) return hit.key;
      entries.delete(digest);
      const key = await lookup(presented);
      if (key) {
        if (entries.size >= MAX_KEYS) entries.clear();
        entries.set(digest, { key, until: now + ttlMs });
      }
      return key;
    },
    /** The key's `last_used_at` was written: the cached copy follows, so it is not written again. */
    async touched(presented: string, at: number): Promise<void> {
      const hit = entries.get(await sha256Hex(presented));
      if (hit) hit.key = { ...hit.key, lastUsedAt: at };
    },
    /** After a key, service account or project is revoked here: this isolate refuses it at once. */
    forgetAll(): void {
      entries.clear();
    },
  };
}
