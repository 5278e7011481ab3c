// touchVectorStore against the migrated D1: activity moves last_active_at and the expiry, and a store
// already touched this second is not written again (the same values; a busy store costs one write a
// second, not one a search).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { database } from '../../src/db/client';
import { getVectorStoreRow, insertVectorStore, touchVectorStore } from '../../src/db/vector-stores';
import { newId, unixSeconds } from '../../src/domain/ids';

const stored = async (id: string) =>
  (await env.DB.prepare('SELECT last_active_at, expires_at FROM vector_stores WHERE id = ?').bind(id).first()) as { last_active_at: number; expires_at: number | null };

describe('touchVectorStore', () => {
  it('moves last_active_at and the expiry of a store last active earlier', async () => {
    const db = database(env.DB);
    const project = newId('proj_');
    const row = await insertVectorStore(db, project, { name: 't', expires_after: { anchor: 'last_active_at', days: 2 } });
    await env.DB.prepare('UPDATE vector_stores SET last_active_at = 1000, expires_at = 1000 + 2 * 86400 WHERE id = ?').bind(row.id).run();
    const before = (await getVectorStoreRow(db, project, row.id))!;
    const t0 = unixSeconds();
    await touchVectorStore(db, before);
    const after = await stored(row.id);
    expect(after.last_active_at).toBeGreaterThanOrEqual(t0);
    expect(after.expires_at).toBe(after.last_active_at + 2 * 86400);
  });

  it('writes nothing when the row it was given is already touched this second', async () => {
    const db = database(env.DB);
    const project = newId('proj_');
    const row = await insertVectorStore(db, project, { name: 't', expires_after: { anchor: 'last_active_at', days: 2 } });
    // The caller's row says "touched now"; the table says otherwise: a write would overwrite it.
    for (let tries = 0; tries < 5; tries++) {
      await env.DB.prepare('UPDATE vector_stores SET last_active_at = 1000, expires_at = 5000 WHERE id = ?').bind(row.id).run();
      const now = unixSeconds();
      await touchVectorStore(db, { ...row, lastActiveAt: now, expiresAt: now + 2 * 86400 });
      if (unixSeconds() === now) break; // the second did not turn meanwhile: the check below is meaningful
    }
    expect(await stored(row.id)).toEqual({ last_active_at: 1000, expires_at: 5000 });
  });
});
