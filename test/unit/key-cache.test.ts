import { describe, expect, it } from 'vitest';
import { KEY_CACHE_TTL_MS, keyCache } from '../../src/domain/key-cache';

/**
 * The per-isolate API-key cache (src/domain/key-cache.ts) in front of a lookup over an in-memory key
 * table: how often the table is asked, and the revocation bound.
 */
function table() {
  const keys = new Map<string, { keyId: string; lastUsedAt: number | null }>([['sk-a', { keyId: 'key_a', lastUsedAt: null }]]);
  const asked: string[] = [];
  const cache = keyCache(async (presented: string) => (asked.push(presented), keys.get(presented)));
  return { keys, asked, cache };
}

describe('API-key cache', () => {
  it('asks the table once per key within the TTL, and again after it (a revoked key is then refused)', async () => {
    const { keys, asked, cache } = table();
    expect(await cache.find('sk-a', 1_000)).toMatchObject({ keyId: 'key_a' });
    expect(await cache.find('sk-a', 1_000 + KEY_CACHE_TTL_MS - 1)).toMatchObject({ keyId: 'key_a' });
    expect(asked).toEqual(['sk-a']);
    keys.delete('sk-a');
    expect(await cache.find('sk-a', 1_000 + KEY_CACHE_TTL_MS)).toBeUndefined();
    expect(asked).toEqual(['sk-a', 'sk-a']);
  });

  it('refuses a revoked key at once in the isolate that revoked it (forgetAll)', async () => {
    const { keys, cache } = table();
    await cache.find('sk-a', 0);
    keys.delete('sk-a');
    cache.forgetAll();
    expect(await cache.find('sk-a', 1)).toBeUndefined();
  });

  it('never caches an unknown key: a key created after a miss works at once', async () => {
    const { keys, asked, cache } = table();
    expect(await cache.find('sk-b', 0)).toBeUndefined();
    keys.set('sk-b', { keyId: 'key_b', lastUsedAt: null });
    expect(await cache.find('sk-b', 1)).toMatchObject({ keyId: 'key_b' });
    expect(asked).toEqual(['sk-b', 'sk-b']);
  });

  it("keeps the cached key's last_used_at current after a touch", async () => {
    const { cache } = table();
    await cache.find('sk-a', 0);
    await cache.touched('sk-a', 1234);
    expect(await cache.find('sk-a', 1)).toMatchObject({ lastUsedAt: 1234 });
  });
});
